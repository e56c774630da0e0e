import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors/app-error";
import { useTestDatabase } from "@/test/db";
import { seedPartner, seedResident } from "@/prisma/seed/factories";
import { deliverDocument } from "./deliver-document";
import { linkPartner } from "./link-partner";
import { getDocumentPdf, pdfVerificationText } from "./render-pdf";
import {
  createTestPartnerCa,
  issueOrgSigner,
  lifeInsurancePayload,
  signPayload,
} from "../../test/mailbox/mailbox-world";

/** The text layer of a PDF, page by page, as a reader (pdf.js) extracts it. */
async function pdfText(bytes: Uint8Array): Promise<string> {
  const pdfjs = await import("pdfjs-dist/legacy/build/pdf.mjs");
  const task = pdfjs.getDocument({ data: bytes.slice(), useSystemFonts: false, isEvalSupported: false });
  const pdf = await task.promise;
  let text = "";
  for (let i = 1; i <= pdf.numPages; i++) {
    const page = await pdf.getPage(i);
    const content = await page.getTextContent();
    text += content.items.map((it) => ("str" in it ? it.str : "")).join("");
    text += "\n";
  }
  await task.destroy();
  return text;
}

describe("mailbox PDF download", () => {
  const db = useTestDatabase();

  it("[MAILBOX][PDF]: the owner gets a PDF with the Japanese title, issuer, fields and signature status in its text layer; audited; another resident gets NOT_FOUND", async () => {
    const p = db().prisma;
    const ca = await createTestPartnerCa();
    const partner = await seedPartner(p, { slug: "sakura-life", name: "さくら生命保険株式会社", kind: "LIFE_INSURER" });
    const signer = await issueOrgSigner(ca, partner);
    const owner = await seedResident(p);
    const other = await seedResident(p);
    await linkPartner(p, { residentId: owner.id, partnerId: partner.id, partnerRef: "SL-PDF" });
    const payload = lifeInsurancePayload({ policyNumber: "SL-PDF-0001", policyholder: "阿波 花子" });
    const { receipt } = await deliverDocument(p, {
      partnerId: partner.id,
      request: {
        type: "life-insurance-deduction-certificate",
        recipient: { partnerRef: "SL-PDF" },
        payload,
        signature: await signPayload(signer, payload),
      },
      trustAnchors: [ca.certificate],
    });

    const { pdf, document } = await getDocumentPdf(p, {
      residentId: owner.id,
      documentId: receipt.id,
      locale: "ja",
      channel: "pc",
    });
    expect(Buffer.from(pdf.subarray(0, 5)).toString("latin1")).toBe("%PDF-");
    expect(Buffer.from(pdf.subarray(-6)).toString("latin1")).toContain("%%EOF");
    // Embedded subset fonts, not a reference to a system font.
    expect(Buffer.from(pdf).toString("latin1")).toMatch(/\/FontFile2|\/FontFile3/);
    const text = (await pdfText(pdf)).replace(/\s+/g, "");
    expect(text).toContain("生命保険料控除証明書");
    expect(text).toContain("さくら生命保険株式会社");
    expect(text).toContain("阿波花子");
    expect(text).toContain("SL-PDF-0001");
    expect(text).toContain("有効（発行者の署名を確認済み）");
    expect(text).toContain(document.payloadHash);
    expect(pdfVerificationText(document)).toBe(`sha256:${receipt.payloadHash}`);

    const en = await getDocumentPdf(p, { residentId: owner.id, documentId: receipt.id, locale: "en", channel: "pc" });
    expect((await pdfText(en.pdf)).replace(/\s+/g, " ")).toContain("Life insurance premium deduction certificate");

    const audit = await p.auditEvent.findMany({ where: { type: "document.read", subjectResidentId: owner.id } });
    expect(audit.some((e) => (e.data as { format?: string }).format === "pdf")).toBe(true);

    const refused = await getDocumentPdf(p, {
      residentId: other.id,
      documentId: receipt.id,
      locale: "ja",
      channel: "pc",
    }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).code).toBe("NOT_FOUND");
    expect(await p.auditEvent.count({ where: { type: "document.read", subjectResidentId: other.id } })).toBe(0);
  });
});

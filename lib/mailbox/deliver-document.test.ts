import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { generateRsaKeyPair } from "@/jlis-sim/ca/ca";
import {
  currentPartnerCrl,
  issueOrganizationCertificate,
  openPartnerCa,
  revokeOrganizationCertificate,
} from "@/jlis-sim/partner-ca/partner-ca";
import { seedPartner, seedResident } from "@/prisma/seed/factories";
import { useTestDatabase } from "../../test/db";
import { sha256Hex } from "@/lib/crypto/sha256";
import { canonicalJsonBytes } from "./canonical-json";
import { deliverDocument } from "./deliver-document";
import { getDocumentOrThrow } from "./get-document";
import { getDocumentReceiptOrThrow } from "./get-document-receipt";
import { linkPartner } from "./link-partner";
import {
  createTestPartnerCa,
  issueOrgSigner,
  lifeInsurancePayload,
  noticePayload,
  signPayload,
  type TOrgSigner,
} from "../../test/mailbox/mailbox-world";

const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
const PDF = new TextEncoder().encode("%PDF-1.7\n%âãÏÓ\n1 0 obj<<>>endobj\n%%EOF\n");
const EXE = Uint8Array.from([0x4d, 0x5a, 0x90, 0x00, 0x03]);
const b64 = (b: Uint8Array) => Buffer.from(b).toString("base64");

describe("deliverDocument (lib/mailbox)", () => {
  const db = useTestDatabase();
  let trust: Uint8Array[];
  let foreignTrust: Uint8Array[];
  let sakura: { id: string; slug: string; name: string };
  let bank: { id: string; slug: string; name: string };
  let town: { id: string; slug: string; name: string };
  let sakuraSigner: TOrgSigner;
  let bankSigner: TOrgSigner;
  let townSigner: TOrgSigner;
  let foreignSigner: TOrgSigner;
  let residentA: { id: string; registryNumber: string };
  let residentB: { id: string; registryNumber: string };

  const counts = async () => {
    const p = db().prisma;
    const [documents, attachments, requests, audit] = await Promise.all([
      p.mailboxDocument.count(),
      p.documentAttachment.count(),
      p.deliveryRequest.count(),
      p.auditEvent.count(),
    ]);
    return { documents, attachments, requests, audit };
  };

  beforeAll(async () => {
    const p = db().prisma;
    const [ca, foreignCa] = await Promise.all([createTestPartnerCa(), createTestPartnerCa()]);
    trust = [ca.certificate];
    foreignTrust = [foreignCa.certificate];
    sakura = await seedPartner(p, { slug: "sakura-life", name: "さくら生命保険株式会社", kind: "LIFE_INSURER" });
    bank = await seedPartner(p, { slug: "awa-bank", name: "阿波みらい銀行", kind: "BANK" });
    town = await seedPartner(p, { slug: "ichimai-town", name: "一枚町役場", kind: "GOVERNMENT" });
    [sakuraSigner, bankSigner, townSigner, foreignSigner] = await Promise.all([
      issueOrgSigner(ca, sakura),
      issueOrgSigner(ca, bank),
      issueOrgSigner(ca, town),
      issueOrgSigner(foreignCa, sakura),
    ]);
    residentA = await seedResident(p);
    residentB = await seedResident(p);
    await linkPartner(p, { residentId: residentA.id, partnerId: sakura.id, partnerRef: "POL-A" });
    await linkPartner(p, { residentId: residentB.id, partnerId: sakura.id, partnerRef: "POL-B" });
    await linkPartner(p, { residentId: residentB.id, partnerId: bank.id, partnerRef: "CUST-B" });
  });

  const lifeRequest = async (overrides: Record<string, unknown> = {}, signer = sakuraSigner) => {
    const payload = lifeInsurancePayload();
    return {
      type: "life-insurance-deduction-certificate",
      recipient: { partnerRef: "POL-A" },
      payload,
      signature: await signPayload(signer, payload),
      ...overrides,
    };
  };

  it("[MAILBOX][DELIVER]: stores a signed 生命保険料控除証明書 with its canonical hash, signature, report and audit event", async () => {
    const p = db().prisma;
    const request = await lifeRequest({ metadata: { labels: ["年末調整"], keepAfterRelationshipEnds: true } });
    const result = await deliverDocument(p, { partnerId: sakura.id, request, trustAnchors: trust });
    expect(result.replayed).toBe(false);
    expect(result.receipt).toMatchObject({
      type: "life-insurance-deduction-certificate",
      status: "delivered",
      openedAt: null,
      signature: { valid: true, signer: "さくら生命保険株式会社" },
    });
    const row = await p.mailboxDocument.findUniqueOrThrow({ where: { id: result.receipt.id } });
    expect(row.residentId).toBe(residentA.id);
    expect(row.issuerPartnerId).toBe(sakura.id);
    expect(row.domain).toBe("insurance");
    expect(row.payloadHash).toBe(sha256Hex(canonicalJsonBytes(request.payload)));
    expect(Buffer.from(row.signature).toString("base64")).toBe(request.signature);
    expect(row.keepAfterRelationshipEnds).toBe(true);
    expect(row.verificationReport).toMatchObject({
      valid: true,
      signer: { partnerSlug: "sakura-life", organizationName: "さくら生命保険株式会社" },
    });
    expect((row.verificationReport as { checks: { code: string }[] }).checks.map((c) => c.code)).toContain(
      "CMS_SIGNATURE",
    );
    const audit = await p.auditEvent.findFirstOrThrow({
      where: { type: "document.delivered", data: { path: ["documentId"], equals: row.id } },
    });
    expect(audit).toMatchObject({ actorType: "partner", actorId: sakura.id, subjectResidentId: residentA.id });
  });

  it("verifies against the canonical bytes, so a payload re-serialised with other key order still verifies", async () => {
    const payload = lifeInsurancePayload({ policyNumber: "SL-REORDER" });
    const signature = await signPayload(sakuraSigner, payload);
    const reordered = Object.fromEntries(Object.entries(payload).reverse());
    expect(JSON.stringify(reordered)).not.toBe(JSON.stringify(payload));
    const result = await deliverDocument(db().prisma, {
      partnerId: sakura.id,
      request: {
        type: "life-insurance-deduction-certificate",
        recipient: { partnerRef: "POL-A" },
        payload: reordered,
        signature,
      },
      trustAnchors: trust,
    });
    expect(result.receipt.signature.valid).toBe(true);
  });

  it("the municipality addresses a resident by registry number; attachments are sniffed and stored", async () => {
    const payload = noticePayload("健康診断のお知らせ");
    const result = await deliverDocument(db().prisma, {
      partnerId: town.id,
      request: {
        type: "notice",
        recipient: { registryNumber: residentB.registryNumber },
        payload,
        signature: await signPayload(townSigner, payload),
        attachments: [
          { filename: "案内.pdf", mimeType: "application/pdf", contentBase64: b64(PDF) },
          { filename: "map.png", mimeType: "image/png", contentBase64: b64(PNG) },
        ],
      },
      trustAnchors: trust,
    });
    const atts = await db().prisma.documentAttachment.findMany({
      where: { documentId: result.receipt.id },
      orderBy: { filename: "asc" },
    });
    expect(atts.map((a) => [a.filename, a.mimeType, a.size])).toEqual([
      ["map.png", "image/png", PNG.length],
      ["案内.pdf", "application/pdf", PDF.length],
    ]);
    const row = await db().prisma.mailboxDocument.findUniqueOrThrow({ where: { id: result.receipt.id } });
    expect(row.residentId).toBe(residentB.id);
  });

  type TCase = [string, () => Promise<{ partnerId: string; request: unknown; trust?: Uint8Array[] }>, string, unknown?];
  const cases: TCase[] = [
    [
      "an unknown document type",
      async () => ({ partnerId: sakura.id, request: await lifeRequest({ type: "tax-refund-cheque" }) }),
      "DOCUMENT_TYPE_UNKNOWN",
    ],
    [
      "a payload failing its schema (negative premium, missing insurer)",
      async () => {
        const payload = lifeInsurancePayload({ premiumPaidToDate: -1 });
        delete payload.insurer;
        return {
          partnerId: sakura.id,
          request: { ...(await lifeRequest()), payload, signature: await signPayload(sakuraSigner, payload) },
        };
      },
      "VALIDATION_FAILED",
      expect.arrayContaining([
        expect.objectContaining({ path: "payload.premiumPaidToDate" }),
        expect.objectContaining({ path: "payload.insurer" }),
      ]),
    ],
    [
      "a request missing its signature",
      async () => {
        const { signature: _s, ...rest } = await lifeRequest();
        return { partnerId: sakura.id, request: rest };
      },
      "VALIDATION_FAILED",
      expect.arrayContaining([expect.objectContaining({ path: "signature" })]),
    ],
    [
      "a signature over another payload",
      async () => {
        const other = await signPayload(sakuraSigner, lifeInsurancePayload({ premiumPaidToDate: 1 }));
        return { partnerId: sakura.id, request: await lifeRequest({ signature: other }) };
      },
      "DOCUMENT_SIGNATURE_INVALID",
      { failedChecks: [expect.objectContaining({ code: "CMS_MESSAGE_DIGEST" })] },
    ],
    [
      "a signature that is not CMS",
      async () => ({ partnerId: sakura.id, request: await lifeRequest({ signature: b64(PDF) }) }),
      "DOCUMENT_SIGNATURE_INVALID",
    ],
    [
      "a signature by a key of an untrusted CA",
      async () => ({ partnerId: sakura.id, request: await lifeRequest({}, foreignSigner) }),
      "DOCUMENT_SIGNATURE_INVALID",
    ],
    [
      "a valid signature checked against another root",
      async () => ({ partnerId: sakura.id, request: await lifeRequest(), trust: foreignTrust }),
      "DOCUMENT_SIGNATURE_INVALID",
    ],
    [
      "a document signed by another organisation than the sender",
      async () => ({ partnerId: sakura.id, request: await lifeRequest({}, bankSigner) }),
      "DOCUMENT_ISSUER_MISMATCH",
    ],
    [
      "a partner reference no resident linked",
      async () => ({ partnerId: sakura.id, request: await lifeRequest({ recipient: { partnerRef: "POL-NOBODY" } }) }),
      "RECIPIENT_NOT_LINKED",
    ],
    [
      "a partner addressing a resident who linked only another partner",
      async () => ({
        partnerId: bank.id,
        request: {
          type: "notice",
          recipient: { partnerRef: "POL-A" },
          payload: noticePayload("x"),
          signature: await signPayload(bankSigner, noticePayload("x")),
        },
      }),
      "RECIPIENT_NOT_LINKED",
    ],
    [
      "a private partner addressing by registry number",
      async () => ({
        partnerId: sakura.id,
        request: await lifeRequest({ recipient: { registryNumber: "36999000001" } }),
      }),
      "RECIPIENT_ADDRESSING_FORBIDDEN",
    ],
    [
      "a disguised attachment (PNG bytes declared as PDF)",
      async () => ({
        partnerId: sakura.id,
        request: await lifeRequest({
          attachments: [{ filename: "x.pdf", mimeType: "application/pdf", contentBase64: b64(PNG) }],
        }),
      }),
      "ATTACHMENT_TYPE_MISMATCH",
    ],
    [
      "an executable attachment",
      async () => ({
        partnerId: sakura.id,
        request: await lifeRequest({
          attachments: [{ filename: "x.pdf", mimeType: "application/pdf", contentBase64: b64(EXE) }],
        }),
      }),
      "ATTACHMENT_TYPE_UNSUPPORTED",
    ],
    [
      "an attachment over 5 MB",
      async () => {
        const big = new Uint8Array(5 * 1024 * 1024 + 1);
        big.set(PDF);
        return {
          partnerId: sakura.id,
          request: await lifeRequest({
            attachments: [{ filename: "big.pdf", mimeType: "application/pdf", contentBase64: b64(big) }],
          }),
        };
      },
      "ATTACHMENT_TOO_LARGE",
    ],
  ];

  it.each(cases)("refuses %s with a stable code and writes nothing", async (_label, make, code, details) => {
    const before = await counts();
    const { partnerId, request, trust: anchors } = await make();
    const err = await deliverDocument(db().prisma, {
      partnerId,
      request,
      idempotencyKey: `k-${code}-${Math.random()}`,
      trustAnchors: anchors ?? trust,
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: "AppError", code });
    if (details !== undefined) expect((err as { details: unknown }).details).toEqual(details);
    expect(await counts()).toEqual(before);
  });

  it("[MAILBOX][ISSUER-REVOKED]: with the partner CA's CRL, a good issuer delivers; once its certificate is revoked, DOCUMENT_ISSUER_REVOKED and nothing written", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "mailbox-partner-ca-"));
    try {
      const ca = await openPartnerCa(dir);
      const keys = await generateRsaKeyPair();
      const signer = {
        privateKey: keys.privateKey,
        certificate: await issueOrganizationCertificate({
          ca,
          subjectPublicKey: keys.publicKey,
          serialNumber: 0x5a5an,
          organizationName: sakura.name,
          partnerSlug: sakura.slug,
          notBefore: new Date(Date.now() - 86_400_000),
          notAfter: new Date(Date.now() + 86_400_000),
        }),
      };
      const deliver = async (issuerCrls: Uint8Array[]) =>
        deliverDocument(db().prisma, {
          partnerId: sakura.id,
          request: await lifeRequest({}, signer),
          trustAnchors: [ca.certificate],
          issuerCrls,
        });
      const ok = await deliver([await currentPartnerCrl(dir)]);
      const row = await db().prisma.mailboxDocument.findUniqueOrThrow({ where: { id: ok.receipt.id } });
      expect((row.verificationReport as { checks: { code: string; ok: boolean }[] }).checks).toContainEqual({
        code: "CERT_REVOCATION",
        ok: true,
      });

      const crl = await revokeOrganizationCertificate(dir, { serialNumber: 0x5a5an, reason: "keyCompromise" });
      const before = await counts();
      const err = await deliver([crl]).catch((e: unknown) => e);
      expect(err).toMatchObject({
        name: "AppError",
        code: "DOCUMENT_ISSUER_REVOKED",
        details: { reason: "keyCompromise" },
      });
      expect(await counts()).toEqual(before);
      // A CRL of another CA cannot vouch for the issuer: no silent "good".
      const other = await mkdtemp(path.join(tmpdir(), "mailbox-other-ca-"));
      const unrelated = await deliver([await currentPartnerCrl(other)]).catch((e: unknown) => e);
      await rm(other, { recursive: true, force: true });
      expect(unrelated).toMatchObject({ code: "DOCUMENT_SIGNATURE_INVALID" });
      expect(await counts()).toEqual(before);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("a revoked link stops deliveries", async () => {
    const p = db().prisma;
    const resident = await seedResident(p);
    await linkPartner(p, { residentId: resident.id, partnerId: sakura.id, partnerRef: "POL-REVOKED" });
    await p.partnerResidentLink.update({
      where: { partnerId_residentId: { partnerId: sakura.id, residentId: resident.id } },
      data: { revokedAt: new Date() },
    });
    await expect(
      deliverDocument(p, {
        partnerId: sakura.id,
        request: await lifeRequest({ recipient: { partnerRef: "POL-REVOKED" } }),
        trustAnchors: trust,
      }),
    ).rejects.toMatchObject({ code: "RECIPIENT_NOT_LINKED" });
  });

  it("[MAILBOX][IDEMPOTENCY]: same key + same body → the original receipt; same key + other body → IDEMPOTENCY_KEY_REUSED", async () => {
    const p = db().prisma;
    const request = await lifeRequest();
    const first = await deliverDocument(p, {
      partnerId: sakura.id,
      request,
      idempotencyKey: "idem-1",
      trustAnchors: trust,
    });
    const before = await counts();
    // A retry that re-serialises the same JSON in another key order is the same request.
    const again = await deliverDocument(p, {
      partnerId: sakura.id,
      request: Object.fromEntries(Object.entries(request).reverse()),
      idempotencyKey: "idem-1",
      trustAnchors: trust,
    });
    expect(again).toEqual({ ...first, replayed: true });
    expect(await counts()).toEqual(before);
    const other = await lifeRequest({ metadata: { labels: ["changed"] } });
    await expect(
      deliverDocument(p, { partnerId: sakura.id, request: other, idempotencyKey: "idem-1", trustAnchors: trust }),
    ).rejects.toMatchObject({ code: "IDEMPOTENCY_KEY_REUSED" });
    // Keys are per partner: another partner may use the same key.
    const bankPayload = noticePayload("ご案内");
    const bankResult = await deliverDocument(p, {
      partnerId: bank.id,
      request: {
        type: "notice",
        recipient: { partnerRef: "CUST-B" },
        payload: bankPayload,
        signature: await signPayload(bankSigner, bankPayload),
      },
      idempotencyKey: "idem-1",
      trustAnchors: trust,
    });
    expect(bankResult.replayed).toBe(false);
  });

  it("concurrent requests with one key deliver one document", async () => {
    const p = db().prisma;
    const request = await lifeRequest();
    const results = await Promise.all(
      [1, 2, 3].map(() =>
        deliverDocument(p, { partnerId: sakura.id, request, idempotencyKey: "idem-race", trustAnchors: trust }),
      ),
    );
    expect(new Set(results.map((r) => r.receipt.id)).size).toBe(1);
    expect(results.filter((r) => !r.replayed)).toHaveLength(1);
    const stored = await p.deliveryRequest.findUniqueOrThrow({
      where: { partnerId_idempotencyKey: { partnerId: sakura.id, idempotencyKey: "idem-race" } },
    });
    expect(await p.mailboxDocument.count({ where: { id: stored.documentId! } })).toBe(1);
  });

  it("[MAILBOX][RECEIPT]: only the delivering partner reads the receipt: delivered → opened → expired", async () => {
    const p = db().prisma;
    const expiresAt = new Date(Date.now() + 3_600_000);
    const { receipt } = await deliverDocument(p, {
      partnerId: sakura.id,
      request: await lifeRequest({ metadata: { expiresAt: expiresAt.toISOString() } }),
      trustAnchors: trust,
    });
    expect((await getDocumentReceiptOrThrow(p, { partnerId: sakura.id, documentId: receipt.id })).status).toBe(
      "delivered",
    );
    await expect(getDocumentReceiptOrThrow(p, { partnerId: bank.id, documentId: receipt.id })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await getDocumentOrThrow(p, { residentId: residentA.id, documentId: receipt.id, channel: "pc" });
    const opened = await getDocumentReceiptOrThrow(p, { partnerId: sakura.id, documentId: receipt.id });
    expect(opened.status).toBe("opened");
    expect(opened.openedAt).not.toBeNull();
    const later = new Date(expiresAt.getTime() + 1000);
    expect(
      (await getDocumentReceiptOrThrow(p, { partnerId: sakura.id, documentId: receipt.id, now: later })).status,
    ).toBe("expired");
    expect(
      await p.auditEvent.count({
        where: { type: "document.receipt_read", actorId: sakura.id, subjectResidentId: residentA.id },
      }),
    ).toBeGreaterThanOrEqual(3);
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyCms } from "@/lib/jpki";
import { canonicalJsonBytes } from "@/lib/mailbox/canonical-json";
import { getDocumentOrThrow } from "@/lib/mailbox/get-document";
import { linkPartner } from "@/lib/mailbox/link-partner";
import { listDocumentShares } from "@/lib/mailbox/list-document-shares";
import { listDocuments } from "@/lib/mailbox/list-documents";
import { revokeShare } from "@/lib/mailbox/revoke-share";
import { shareDocument } from "@/lib/mailbox/share-document";
import type { TSignedDocumentBundle } from "@/lib/mailbox/signed-bundle";
import {
  createDeliveryWorld,
  lifeInsurancePayload,
  basicAuth,
  seedCred,
  signPayload,
  type TCred,
  type TOrgSigner,
} from "@/test/mailbox/mailbox-world";
import type { TApiScope } from "@/lib/partners/scopes";
import { useTestDatabase } from "@/test/db";
import { seedPartner, seedResident } from "@/prisma/seed/factories";
import { serveV1ForTest } from "../../../../test/api/serve-v1-for-test";

const basic = basicAuth;

describe("mailbox shares over real HTTP", () => {
  const db = useTestDatabase();
  let origin: string;
  let close: () => Promise<void>;
  let trust: Uint8Array[];
  let signer: TOrgSigner;
  let insurer: TCred;
  let employer: TCred;
  let employerId: string;
  let bank: TCred;
  let bankId: string;
  let resident: { id: string };
  let other: { id: string };

  beforeAll(async () => {
    const p = db().prisma;
    const world = await createDeliveryWorld(p);
    trust = world.trustAnchors;
    const insurerPartner = world.insurer;
    signer = world.signer;
    const employerPartner = await seedPartner(p, {
      slug: "ichimai-works",
      name: "株式会社一枚製作所",
      kind: "EMPLOYER",
    });
    const bankPartner = await seedPartner(p, { slug: "awa-bank", name: "阿波みらい銀行", kind: "BANK" });
    employerId = employerPartner.id;
    bankId = bankPartner.id;
    const cred = (partnerId: string, scopes: TApiScope[]) => seedCred(p, partnerId, { scopes });
    insurer = await cred(insurerPartner.id, ["documents:deliver", "documents:status"]);
    employer = await cred(employerPartner.id, ["documents:receive"]);
    bank = await cred(bankPartner.id, ["documents:receive"]);
    resident = await seedResident(p);
    other = await seedResident(p);
    await linkPartner(p, { residentId: resident.id, partnerId: insurerPartner.id, partnerRef: "SL-1" });
    await linkPartner(p, { residentId: resident.id, partnerId: employerPartner.id, partnerRef: "EMP-0042" });
    await linkPartner(p, { residentId: other.id, partnerId: bankPartner.id, partnerRef: "B-1" });

    ({ origin, close } = await serveV1ForTest(world));
  });
  afterAll(async () => {
    await close?.();
  });

  const deliverLife = async (policyNumber: string) => {
    const payload = lifeInsurancePayload({ policyNumber });
    const res = await fetch(`${origin}/api/v1/documents`, {
      method: "POST",
      headers: { authorization: basic(insurer), "content-type": "application/json" },
      body: JSON.stringify({
        type: "life-insurance-deduction-certificate",
        recipient: { partnerRef: "SL-1" },
        payload,
        signature: await signPayload(signer, payload),
      }),
    });
    expect(res.status).toBe(201);
    return ((await res.json()) as { id: string }).id;
  };
  const getShare = (id: string, cred: TCred) =>
    fetch(`${origin}/api/v1/shares/${id}`, { headers: { authorization: basic(cred) } });

  it("[MAILBOX][DONE]: insurer delivers → resident finds and verifies → shares with the employer → the employer verifies the same signature", async () => {
    const p = db().prisma;
    const documentId = await deliverLife("SL-SHARE-1");
    const found = await listDocuments(p, { residentId: resident.id, filter: { q: "せいめいほけん" }, channel: "pc" });
    expect(found.items.map((i) => i.id)).toContain(documentId);
    const detail = await getDocumentOrThrow(p, { residentId: resident.id, documentId, channel: "pc" });
    const residentReport = await verifyCms({
      signedData: new Uint8Array(Buffer.from(detail.signature, "base64")),
      detachedContent: canonicalJsonBytes(detail.payload),
      trustAnchors: trust,
    });
    expect(residentReport.valid).toBe(true);

    const { shareId } = await shareDocument(p, {
      residentId: resident.id,
      documentId,
      target: { partnerId: employerId },
      channel: "pc",
    });
    const listed = await fetch(`${origin}/api/v1/shares`, { headers: { authorization: basic(employer) } });
    expect(((await listed.json()) as { shares: { shareId: string }[] }).shares.map((s) => s.shareId)).toContain(
      shareId,
    );

    const res = await getShare(shareId, employer);
    expect(res.status).toBe(200);
    const bundle = (await res.json()) as TSignedDocumentBundle;
    expect(bundle.signature.value).toBe(detail.signature);
    // The employer verifies on its own: RFC 8785 bytes of the payload + the detached CMS signature.
    const employerReport = await verifyCms({
      signedData: new Uint8Array(Buffer.from(bundle.signature.value, "base64")),
      detachedContent: canonicalJsonBytes(bundle.payload),
      trustAnchors: trust,
    });
    expect(employerReport.valid).toBe(true);
    expect(Buffer.from(employerReport.signerCertificate!).equals(Buffer.from(residentReport.signerCertificate!))).toBe(
      true,
    );
    expect((bundle.payload as { policyNumber: string }).policyNumber).toBe("SL-SHARE-1");

    const audit = await p.auditEvent.findFirstOrThrow({
      where: { type: "document.read", actorType: "partner", actorId: employerId, subjectResidentId: resident.id },
    });
    expect(audit.data).toMatchObject({ documentId, shareId });
  });

  it("[AUTHZ]: another partner cannot fetch the share; a revoked share is 410 and shows in the log", async () => {
    const p = db().prisma;
    const documentId = await deliverLife("SL-SHARE-2");
    const { shareId } = await shareDocument(p, {
      residentId: resident.id,
      documentId,
      target: { partnerId: employerId },
      channel: "pc",
    });
    const byBank = await getShare(shareId, bank);
    expect(byBank.status).toBe(404);
    expect(((await byBank.json()) as { error: { code: string } }).error.code).toBe("SHARE_NOT_FOUND");
    await expect(revokeShare(p, { residentId: other.id, shareId, channel: "pc" })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await revokeShare(p, { residentId: resident.id, shareId, channel: "pc" });
    const revoked = await getShare(shareId, employer);
    expect(revoked.status).toBe(410);
    expect(((await revoked.json()) as { error: { code: string } }).error.code).toBe("SHARE_REVOKED");
    const event = await p.auditEvent.findFirstOrThrow({
      where: { type: "document.share_revoked", subjectResidentId: resident.id },
    });
    expect(event.data).toMatchObject({ shareId, partnerId: employerId });
    const sharing = await listDocumentShares(p, { residentId: resident.id, documentId });
    expect(sharing.shares.map((x) => [x.shareId, x.status])).toEqual([[shareId, "revoked"]]);
    expect(sharing.linkedPartners.map((x) => x.id)).toContain(employerId);
    expect(sharing.linkedPartners.map((x) => x.id)).not.toContain(bankId);
    expect((await listDocumentShares(p, { residentId: other.id, documentId })).shares).toEqual([]);
  });

  it("shares only with linked partners and only one's own documents", async () => {
    const p = db().prisma;
    const documentId = await deliverLife("SL-SHARE-3");
    await expect(
      shareDocument(p, { residentId: resident.id, documentId, target: { partnerId: bankId }, channel: "pc" }),
    ).rejects.toMatchObject({ code: "SHARE_PARTNER_NOT_LINKED" });
    await expect(
      shareDocument(p, { residentId: other.id, documentId, target: { link: true }, channel: "pc" }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(
      shareDocument(p, {
        residentId: resident.id,
        documentId,
        target: { link: true },
        expiresInDays: 365,
        channel: "pc",
      }),
    ).rejects.toMatchObject({ code: "VALIDATION_FAILED" });
  });

  it("a one-time link works once (no credentials), then SHARE_USED; expired links are SHARE_EXPIRED", async () => {
    const p = db().prisma;
    const documentId = await deliverLife("SL-LINK-1");
    const { token, shareId } = await shareDocument(p, {
      residentId: resident.id,
      documentId,
      target: { link: true },
      channel: "pc",
    });
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const stored = await p.documentShare.findUniqueOrThrow({ where: { id: shareId } });
    expect(stored.tokenHash).not.toContain(token!);
    const [a, b] = await Promise.all([
      fetch(`${origin}/api/v1/share-links/${token}`),
      fetch(`${origin}/api/v1/share-links/${token}`),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 410]);
    const winner = a.status === 200 ? a : b;
    const bundle = (await winner.json()) as TSignedDocumentBundle;
    const report = await verifyCms({
      signedData: new Uint8Array(Buffer.from(bundle.signature.value, "base64")),
      detachedContent: canonicalJsonBytes(bundle.payload),
      trustAnchors: trust,
    });
    expect(report.valid).toBe(true);
    const again = await fetch(`${origin}/api/v1/share-links/${token}`);
    expect(((await again.json()) as { error: { code: string } }).error.code).toBe("SHARE_USED");

    const old = await shareDocument(p, {
      residentId: resident.id,
      documentId,
      target: { link: true },
      expiresInDays: 1,
      channel: "pc",
      now: new Date(Date.now() - 2 * 86_400_000),
    });
    const expired = await fetch(`${origin}/api/v1/share-links/${old.token}`);
    expect(expired.status).toBe(410);
    expect(((await expired.json()) as { error: { code: string } }).error.code).toBe("SHARE_EXPIRED");
    const unknown = await fetch(`${origin}/api/v1/share-links/${"A".repeat(43)}`);
    expect(unknown.status).toBe(404);
  });
});

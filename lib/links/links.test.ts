import { beforeAll, describe, expect, it } from "vitest";
import { seedPartner, seedPartnerCredential, seedResident } from "@/prisma/seed/factories";
import { unlinkPartner } from "../consent/unlink-partner";
import { deliverDocument } from "../mailbox/deliver-document";
import { linkPartner } from "../mailbox/link-partner";
import { findLinkForPurpose, requireLinkForPurpose } from "../mailbox/link-purposes";
import {
  createTestPartnerCa,
  issueOrgSigner,
  lifeInsurancePayload,
  signPayload,
  type TOrgSigner,
} from "../../test/mailbox/mailbox-world";
import { useTestDatabase } from "../../test/db";
import { normaliseClaimCode } from "./claim-code";
import { createLinkRequest, getLinkRequestOrThrow } from "./partner-link-requests";
import {
  approveLinkRequest,
  CLAIM_RATE_LIMIT,
  claimLinkRequest,
  getResidentLinkRequest,
  listResidentLinks,
  refuseLinkRequest,
} from "./resident-link-requests";
import { rejectionCode as code } from "../../test/rejection-code";

describe("member links (lib/links, lib/mailbox/link-purposes)", () => {
  const db = useTestDatabase();
  let insurer: { id: string; slug: string; name: string };
  let credentialId: string;
  let signer: TOrgSigner;
  let trust: Uint8Array[];
  const pc = { channel: "pc" as const };

  /** A VERIFIED identity verification of `partnerId` whose signer is `residentId`. */
  const verification = async (
    residentId: string | null,
    o: { partnerId?: string; status?: "VERIFIED" | "REJECTED"; test?: boolean } = {},
  ) =>
    db().prisma.identityVerification.create({
      data: {
        partnerId: o.partnerId ?? insurer.id,
        credentialId,
        residentId,
        purpose: "加入手続",
        status: o.status ?? "VERIFIED",
        checks: [],
        signerIssuerDn: o.test ? "C=JP, O=JPKI-TEST" : "C=JP, O=JPKI",
        signerSerialNumber: "1a2b",
        signerNotAfter: new Date("2030-01-01T00:00:00Z"),
        contentHash: "0".repeat(64),
      },
      select: { id: true },
    });
  const request = (o: Record<string, unknown>, mode: "TEST" | "LIVE" = "LIVE", partnerId = insurer.id) =>
    createLinkRequest(db().prisma, {
      partner: { partnerId, credentialId, mode },
      request: { purposes: ["eligibility", "deliver"], purposeText: "保険資格の確認と通知の送付", ...o },
    });
  const linkRequests = () => db().prisma.linkRequest.count({ where: { partnerId: insurer.id } });

  beforeAll(async () => {
    const p = db().prisma;
    insurer = await seedPartner(p, {
      kind: "HEALTH_INSURER",
      approvedScopes: ["documents:deliver", "eligibility:verify", "links:write", "webhooks:manage"],
    });
    credentialId = (await seedPartnerCredential(p, { partnerId: insurer.id })).credential.id;
    await p.webhookEndpoint.create({
      data: {
        partnerId: insurer.id,
        url: "https://hooks.example.jp/links",
        secret: "whsec_test",
        secretHint: "test",
        eventTypes: [],
      },
    });
    const ca = await createTestPartnerCa();
    trust = [ca.certificate];
    signer = await issueOrgSigner(ca, insurer);
  });

  it("[LINKS][PURPOSE]: delivery needs `deliver`, a link's purposes are what it allows; links made without purposes allow deliver and eligibility (the backfill)", async () => {
    const p = db().prisma;
    const a = await seedResident(p);
    const b = await seedResident(p);
    await linkPartner(p, { residentId: a.id, partnerId: insurer.id, partnerRef: "PUR-A", purposes: ["eligibility"] });
    await linkPartner(p, { residentId: b.id, partnerId: insurer.id, partnerRef: "PUR-B" });
    const deliver = async (partnerRef: string) => {
      const payload = lifeInsurancePayload({ policyNumber: `POL-${partnerRef}` });
      return deliverDocument(p, {
        partnerId: insurer.id,
        request: {
          type: "life-insurance-deduction-certificate",
          recipient: { partnerRef },
          payload,
          signature: await signPayload(signer, payload),
        },
        trustAnchors: trust,
      });
    };
    expect(await code(deliver("PUR-A"))).toBe("LINK_PURPOSE_NOT_ALLOWED");
    expect(await p.mailboxDocument.count({ where: { residentId: a.id } })).toBe(0);
    await deliver("PUR-B");
    expect(await p.mailboxDocument.count({ where: { residentId: b.id } })).toBe(1);

    expect(
      await findLinkForPurpose(p, { partnerId: insurer.id, residentId: a.id, purpose: "eligibility" }),
    ).toMatchObject({ partnerRef: "PUR-A" });
    expect(await findLinkForPurpose(p, { partnerId: insurer.id, residentId: a.id, purpose: "deliver" })).toBeNull();
    expect(
      await findLinkForPurpose(p, { partnerId: insurer.id, partnerRef: "PUR-B", purpose: "deliver" }),
    ).toMatchObject({
      residentId: b.id,
      purposes: ["deliver", "eligibility"],
    });
    expect(await code(requireLinkForPurpose(p, { partnerId: insurer.id, residentId: a.id, purpose: "notify" }))).toBe(
      "LINK_PURPOSE_NOT_ALLOWED",
    );
    const c = await seedResident(p);
    expect(await code(requireLinkForPurpose(p, { partnerId: insurer.id, residentId: c.id, purpose: "deliver" }))).toBe(
      "RECIPIENT_NOT_LINKED",
    );
    // A row written without purposes (as before the column existed) gets the backfill default.
    await p.$executeRaw`INSERT INTO "PartnerResidentLink" ("id", "partnerId", "residentId", "partnerRef")
      VALUES (gen_random_uuid(), ${insurer.id}::uuid, ${c.id}::uuid, 'PUR-C')`;
    expect(await findLinkForPurpose(p, { partnerId: insurer.id, residentId: c.id, purpose: "deliver" })).toMatchObject({
      purposes: ["deliver", "eligibility"],
    });
  });

  it("[LINKS][REQUEST][VERIFICATION]: a request addressed by the partner's VERIFIED verification reaches that resident, who approves it: link with the purposes, ledger, webhook", async () => {
    const p = db().prisma;
    const r = await seedResident(p);
    const v = await verification(r.id);
    const created = await request({ partnerRef: "VER-1", identityVerificationId: v.id });
    expect(created).toMatchObject({ status: "pending", addressedBy: "identity_verification", claimed: true });
    expect(created.claimCode).toBeUndefined();
    expect(
      await p.auditEvent.findFirst({ where: { subjectResidentId: r.id, type: "consent.requested" } }),
    ).toMatchObject({
      actorType: "partner",
      actorId: insurer.id,
      purpose: "保険資格の確認と通知の送付",
    });
    const hub = await listResidentLinks(p, { residentId: r.id });
    expect(hub.pending).toHaveLength(1);
    expect(hub.pending[0]).toMatchObject({ id: created.id, partnerRef: "VER-1", purposes: ["deliver", "eligibility"] });
    // The single-row lookup (/services/links/{id}) shows it the same way, and to its resident only.
    expect(await getResidentLinkRequest(p, { residentId: r.id, linkRequestId: created.id })).toEqual(hub.pending[0]);

    // Someone else cannot decide it.
    const other = await seedResident(p);
    expect(await getResidentLinkRequest(p, { residentId: other.id, linkRequestId: created.id })).toBeUndefined();
    expect(await getResidentLinkRequest(p, { residentId: r.id, linkRequestId: "not-a-uuid" })).toBeUndefined();
    expect(await code(approveLinkRequest(p, { ...pc, residentId: other.id, linkRequestId: created.id }))).toBe(
      "NOT_FOUND",
    );

    const { linkId } = await approveLinkRequest(p, { ...pc, residentId: r.id, linkRequestId: created.id });
    const link = await p.partnerResidentLink.findUniqueOrThrow({ where: { id: linkId } });
    expect(link).toMatchObject({
      partnerRef: "VER-1",
      purposes: ["deliver", "eligibility"],
      purposeText: "保険資格の確認と通知の送付",
    });
    expect(
      await getLinkRequestOrThrow(p, { partner: { partnerId: insurer.id }, linkRequestId: created.id }),
    ).toMatchObject({
      status: "approved",
    });
    expect(await p.auditEvent.findFirst({ where: { subjectResidentId: r.id, type: "consent.given" } })).toMatchObject({
      actorType: "resident",
      channel: "pc",
    });
    const event = await p.webhookEvent.findFirstOrThrow({
      where: { partnerId: insurer.id, type: "link_request.decided" },
      orderBy: { createdAt: "desc" },
    });
    expect(event.payload).toMatchObject({
      data: { linkRequestId: created.id, status: "approved", partnerRef: "VER-1" },
    });
    expect(JSON.stringify(event.payload)).not.toContain(r.id);
    expect(await p.webhookDelivery.count({ where: { eventId: event.id } })).toBe(1);
    expect(await code(approveLinkRequest(p, { ...pc, residentId: r.id, linkRequestId: created.id }))).toBe(
      "LINK_REQUEST_DECIDED",
    );
    expect(await getResidentLinkRequest(p, { residentId: r.id, linkRequestId: created.id })).toBeUndefined();
    expect((await listResidentLinks(p, { residentId: r.id })).links).toEqual([
      expect.objectContaining({ linkId, partnerRef: "VER-1", purposes: ["deliver", "eligibility"] }),
    ]);

    // Ending it (lib/consent) tells the partner.
    await unlinkPartner(p, { ...pc, residentId: r.id, linkId });
    expect(await p.webhookEvent.count({ where: { partnerId: insurer.id, type: "link.ended" } })).toBe(1);
    expect(await findLinkForPurpose(p, { partnerId: insurer.id, residentId: r.id, purpose: "eligibility" })).toBeNull();
  });

  it("[LINKS][REQUEST][REFUSE]: unknown, another partner's, rejected verifications, taken references, linked residents, unapproved purposes, the other mode: stable codes, nothing written", async () => {
    const p = db().prisma;
    const r = await seedResident(p);
    const linked = await seedResident(p);
    await linkPartner(p, { residentId: linked.id, partnerId: insurer.id, partnerRef: "TAKEN-1" });
    const before = await linkRequests();
    const bank = await seedPartner(p, { approvedScopes: ["identity:verify", "links:write"] });
    expect(
      await code(request({ partnerRef: "X-1", identityVerificationId: "0b9c7f2e-4a51-4f7e-9d55-3a0e1c2b7d11" })),
    ).toBe("LINK_VERIFICATION_INVALID");
    const foreign = await verification(r.id, { partnerId: bank.id });
    expect(await code(request({ partnerRef: "X-1", identityVerificationId: foreign.id }))).toBe(
      "LINK_VERIFICATION_INVALID",
    );
    const rejected = await verification(r.id, { status: "REJECTED" });
    expect(await code(request({ partnerRef: "X-1", identityVerificationId: rejected.id }))).toBe(
      "LINK_VERIFICATION_INVALID",
    );
    const unbound = await verification(null);
    expect(await code(request({ partnerRef: "X-1", identityVerificationId: unbound.id }))).toBe(
      "LINK_VERIFICATION_INVALID",
    );
    const ok = await verification(r.id);
    expect(await code(request({ partnerRef: "TAKEN-1", identityVerificationId: ok.id }))).toBe("PARTNER_REF_TAKEN");
    expect(await code(request({ partnerRef: "TAKEN-1" }))).toBe("PARTNER_REF_TAKEN");
    const linkedVerification = await verification(linked.id);
    expect(await code(request({ partnerRef: "NEW-1", identityVerificationId: linkedVerification.id }))).toBe(
      "LINK_ALREADY_EXISTS",
    );
    expect(await code(request({ partnerRef: "X-1", identityVerificationId: ok.id }, "TEST"))).toBe(
      "CREDENTIAL_MODE_MISMATCH",
    );
    expect(await code(request({ partnerRef: "X-1", purposes: ["deliver"] }, "LIVE", bank.id))).toBe(
      "LINK_PURPOSE_NOT_APPROVED",
    );
    await expect(request({ partnerRef: "X-1", purposes: ["deliver", "deliver"] })).rejects.toThrow(
      "purposes must not repeat",
    );
    expect(await linkRequests()).toBe(before);
    expect(await p.linkRequest.count({ where: { partnerId: bank.id } })).toBe(0);
    expect(await p.auditEvent.count({ where: { subjectResidentId: r.id } })).toBe(0);
  });

  it("[LINKS][CLAIM]: a claim code (hashed at rest) pulls the request to whoever enters it first; typos, expiry, the other mode and guessing are refused", async () => {
    const p = db().prisma;
    const r = await seedResident(p);
    const created = await request({ partnerRef: "CLAIM-1" });
    expect(created).toMatchObject({ status: "pending", addressedBy: "claim_code", claimed: false });
    expect(created.claimCode).toMatch(/^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/);
    const row = await p.linkRequest.findUniqueOrThrow({ where: { id: created.id } });
    expect(row.claimCodeHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(normaliseClaimCode(created.claimCode ?? ""));
    expect(await code(claimLinkRequest(p, { ...pc, residentId: r.id, code: "AAAAA-AAAAA" }))).toBe(
      "LINK_CLAIM_CODE_INVALID",
    );
    // Lower case and without the hyphen is the same code.
    const typed = (created.claimCode ?? "").replace("-", " ").toLowerCase();
    expect(await claimLinkRequest(p, { ...pc, residentId: r.id, code: typed })).toEqual({ linkRequestId: created.id });
    expect(
      await getLinkRequestOrThrow(p, { partner: { partnerId: insurer.id }, linkRequestId: created.id }),
    ).toMatchObject({
      claimed: true,
    });
    expect(
      await p.auditEvent.findFirst({ where: { subjectResidentId: r.id, type: "consent.requested" } }),
    ).toMatchObject({
      channel: "pc",
    });
    const other = await seedResident(p);
    expect(await code(claimLinkRequest(p, { ...pc, residentId: other.id, code: created.claimCode ?? "" }))).toBe(
      "LINK_CLAIM_CODE_INVALID",
    );
    await refuseLinkRequest(p, { ...pc, residentId: r.id, linkRequestId: created.id });
    expect(await p.auditEvent.findFirst({ where: { subjectResidentId: r.id, type: "consent.refused" } })).toBeTruthy();
    expect(
      await getLinkRequestOrThrow(p, { partner: { partnerId: insurer.id }, linkRequestId: created.id }),
    ).toMatchObject({
      status: "refused",
    });
    expect(await p.partnerResidentLink.count({ where: { residentId: r.id } })).toBe(0);

    // Expired: the code and the decision are refused.
    const old = await createLinkRequest(p, {
      partner: { partnerId: insurer.id, mode: "LIVE" },
      request: { partnerRef: "CLAIM-2", purposes: ["deliver"], purposeText: "通知" },
      now: new Date(Date.now() - 31 * 86_400_000),
    });
    expect(await code(claimLinkRequest(p, { ...pc, residentId: r.id, code: old.claimCode ?? "" }))).toBe(
      "LINK_REQUEST_EXPIRED",
    );
    expect(await getLinkRequestOrThrow(p, { partner: { partnerId: insurer.id }, linkRequestId: old.id })).toMatchObject(
      {
        status: "expired",
      },
    );
    // A TEST credential's code is not claimable by a real resident.
    const sandboxed = await request({ partnerRef: "CLAIM-3" }, "TEST");
    expect(await code(claimLinkRequest(p, { ...pc, residentId: r.id, code: sandboxed.claimCode ?? "" }))).toBe(
      "LINK_CLAIM_CODE_INVALID",
    );
    expect(
      await code(
        getLinkRequestOrThrow(p, { partner: { partnerId: insurer.id, mode: "LIVE" }, linkRequestId: sandboxed.id }),
      ),
    ).toBe("CREDENTIAL_MODE_MISMATCH");
    // Guessing: after the limit, even the right code is refused.
    const guesser = await seedResident(p);
    const target = await request({ partnerRef: "CLAIM-4" });
    for (let i = 0; i < CLAIM_RATE_LIMIT.limit; i++) {
      await code(claimLinkRequest(p, { ...pc, residentId: guesser.id, code: "ZZZZZ-ZZZZZ" }));
    }
    expect(await code(claimLinkRequest(p, { ...pc, residentId: guesser.id, code: target.claimCode ?? "" }))).toBe(
      "RATE_LIMITED",
    );
  });

  it("[LINKS][APPROVE][RACE]: a reference linked to another resident meanwhile refuses the approval, nothing written", async () => {
    const p = db().prisma;
    const r = await seedResident(p);
    const created = await request({ partnerRef: "RACE-1" });
    await claimLinkRequest(p, { ...pc, residentId: r.id, code: created.claimCode ?? "" });
    const other = await seedResident(p);
    await linkPartner(p, { residentId: other.id, partnerId: insurer.id, partnerRef: "RACE-1" });
    expect(await code(approveLinkRequest(p, { ...pc, residentId: r.id, linkRequestId: created.id }))).toBe(
      "PARTNER_REF_TAKEN",
    );
    expect(await p.linkRequest.findUniqueOrThrow({ where: { id: created.id } })).toMatchObject({ status: "PENDING" });
    expect(await p.auditEvent.count({ where: { subjectResidentId: r.id, type: "consent.given" } })).toBe(0);
  });
});

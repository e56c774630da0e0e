import { beforeAll, describe, expect, it } from "vitest";
import { seedPartner, seedResident } from "@/prisma/seed/factories";
import { deliverDocument } from "../mailbox/deliver-document";
import { linkPartner } from "../mailbox/link-partner";
import { revokeShare } from "../mailbox/revoke-share";
import { shareDocument } from "../mailbox/share-document";
import {
  createTestPartnerCa,
  issueOrgSigner,
  lifeInsurancePayload,
  signPayload,
  type TOrgSigner,
} from "../../test/mailbox/mailbox-world";
import { useTestDatabase } from "../../test/db";
import { listConsents } from "./list-consents";
import { unlinkPartner } from "./unlink-partner";
import { viewAccessLog } from "./view-access-log";

describe("consent ledger (lib/consent)", () => {
  const db = useTestDatabase();
  let trust: Uint8Array[];
  let sakura: { id: string; slug: string; name: string };
  let employer: { id: string; slug: string; name: string };
  let signer: TOrgSigner;
  let a: { id: string };
  let b: { id: string };

  const deliver = async (partnerRef: string, policyNumber: string) => {
    const payload = lifeInsurancePayload({ policyNumber });
    return deliverDocument(db().prisma, {
      partnerId: sakura.id,
      request: {
        type: "life-insurance-deduction-certificate",
        recipient: { partnerRef },
        payload,
        signature: await signPayload(signer, payload),
      },
      trustAnchors: trust,
    });
  };

  beforeAll(async () => {
    const p = db().prisma;
    const ca = await createTestPartnerCa();
    trust = [ca.certificate];
    sakura = await seedPartner(p, { slug: "sakura-life", name: "さくら生命保険株式会社", kind: "LIFE_INSURER" });
    employer = await seedPartner(p, { slug: "awa-works", name: "阿波工業株式会社", kind: "EMPLOYER" });
    signer = await issueOrgSigner(ca, sakura);
    a = await seedResident(p);
    b = await seedResident(p);
    await linkPartner(p, { residentId: a.id, partnerId: sakura.id, partnerRef: "POL-A" });
    await linkPartner(p, { residentId: a.id, partnerId: employer.id, partnerRef: "EMP-A" });
    await linkPartner(p, { residentId: b.id, partnerId: sakura.id, partnerRef: "POL-B" });
  });

  it("[CONSENT][LIST]: lists active delivery links and open partner shares, not one-time links, and audits the view", async () => {
    const p = db().prisma;
    const doc = await deliver("POL-A", "SL-LIST-1");
    await shareDocument(p, {
      residentId: a.id,
      documentId: doc.receipt.id,
      target: { partnerId: employer.id },
      channel: "pc",
    });
    await shareDocument(p, { residentId: a.id, documentId: doc.receipt.id, target: { link: true }, channel: "pc" });
    const ledger = await listConsents(p, { residentId: a.id, channel: "pc" });
    expect(ledger.delivery.map((l) => l.partner.name).sort()).toEqual(["さくら生命保険株式会社", "阿波工業株式会社"]);
    expect(ledger.delivery.find((l) => l.partner.id === sakura.id)?.partnerRef).toBe("POL-A");
    // Each link says what it allows (linkPartner's default: deliver and eligibility).
    expect(ledger.delivery.find((l) => l.partner.id === sakura.id)).toMatchObject({
      purposes: ["deliver", "eligibility"],
      purposeText: null,
    });
    expect(ledger.reading).toHaveLength(1);
    expect(ledger.reading[0]).toMatchObject({
      documentId: doc.receipt.id,
      partner: { id: employer.id },
      documentTitle: { ja: expect.stringContaining("生命保険料控除証明書") },
    });
    const audit = await p.auditEvent.findFirstOrThrow({ where: { type: "consent.listed" }, orderBy: { seq: "desc" } });
    expect(audit).toMatchObject({ actorType: "resident", actorId: a.id, subjectResidentId: a.id });

    // B sees only B's consent; A's links and shares never show.
    const other = await listConsents(p, { residentId: b.id, channel: "pc" });
    expect(other.delivery.map((l) => l.partnerRef)).toEqual(["POL-B"]);
    expect(other.reading).toEqual([]);

    // Revoking the share (lib/mailbox revokeShare) takes it off the ledger.
    await revokeShare(p, { residentId: a.id, shareId: ledger.reading[0]!.shareId, channel: "pc" });
    expect((await listConsents(p, { residentId: a.id, channel: "pc" })).reading).toEqual([]);
  });

  it("[CONSENT][REVOKE]: unlinking a partner stops delivery with RECIPIENT_NOT_LINKED, audited consent.revoked once", async () => {
    const p = db().prisma;
    await expect(deliver("POL-B", "SL-BEFORE")).resolves.toMatchObject({ status: 201 });
    const [link] = (await listConsents(p, { residentId: b.id, channel: "pc" })).delivery;
    await unlinkPartner(p, { residentId: b.id, linkId: link!.linkId, channel: "pc" });
    await unlinkPartner(p, { residentId: b.id, linkId: link!.linkId, channel: "pc" });
    const before = await p.mailboxDocument.count({ where: { residentId: b.id } });
    await expect(deliver("POL-B", "SL-AFTER")).rejects.toMatchObject({ code: "RECIPIENT_NOT_LINKED" });
    expect(await p.mailboxDocument.count({ where: { residentId: b.id } })).toBe(before);
    const revoked = await p.auditEvent.findMany({ where: { type: "consent.revoked", subjectResidentId: b.id } });
    expect(revoked).toHaveLength(1);
    expect(revoked[0]).toMatchObject({ actorType: "resident", actorId: b.id });
    expect(revoked[0]!.data).toMatchObject({ partnerId: sakura.id, linkId: link!.linkId });
    expect((await listConsents(p, { residentId: b.id, channel: "pc" })).delivery).toEqual([]);
    // Re-linking (lib/mailbox linkPartner) gives consent again.
    await linkPartner(p, { residentId: b.id, partnerId: sakura.id, partnerRef: "POL-B" });
    await expect(deliver("POL-B", "SL-RELINKED")).resolves.toMatchObject({ status: 201 });
  });

  it("[CONSENT][AUTHZ]: another resident's link, a malformed id and an unknown id are all NOT_FOUND, nothing written", async () => {
    const p = db().prisma;
    const [aLink] = (await listConsents(p, { residentId: a.id, channel: "pc" })).delivery;
    const audit = await p.auditEvent.count();
    for (const linkId of [aLink!.linkId, "nope", "00000000-0000-4000-8000-000000000000"]) {
      await expect(unlinkPartner(p, { residentId: b.id, linkId, channel: "pc" })).rejects.toMatchObject({
        code: "NOT_FOUND",
      });
    }
    expect(await p.auditEvent.count()).toBe(audit);
    expect(await p.partnerResidentLink.findUniqueOrThrow({ where: { id: aLink!.linkId } })).toMatchObject({
      revokedAt: null,
    });
  });

  it("[ACCESS_LOG][VIEW]: viewing the access log is itself audited and shows first", async () => {
    const p = db().prisma;
    const page = await viewAccessLog(p, { residentId: a.id, channel: "phone", limit: 5 });
    expect(page.items[0]).toMatchObject({ type: "audit.access_log_viewed", actor: { isSelf: true }, channel: "phone" });
    expect(page.items.length).toBe(5);
    expect(page.nextCursor).not.toBeNull();
  });

  it("[CONSENT][MONITOR]: an active traffic-monitor opt-in is in the ledger; a withdrawn one is not", async () => {
    const p = db().prisma;
    expect((await listConsents(p, { residentId: b.id, channel: "pc" })).trafficMonitor).toBeNull();
    const optIn = await p.trafficMonitor.create({
      data: { residentId: b.id, optedInAt: new Date("2026-12-01T00:00:00Z") },
    });
    expect((await listConsents(p, { residentId: b.id, channel: "pc" })).trafficMonitor).toEqual({
      since: "2026-12-01T00:00:00.000Z",
    });
    await p.trafficMonitor.update({ where: { id: optIn.id }, data: { withdrawnAt: new Date() } });
    expect((await listConsents(p, { residentId: b.id, channel: "pc" })).trafficMonitor).toBeNull();
  });
});

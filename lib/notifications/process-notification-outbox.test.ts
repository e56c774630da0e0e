import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyAuditChain } from "@/lib/audit/verify-audit-chain";
import { deliverDocument } from "@/lib/mailbox/deliver-document";
import { linkPartner } from "@/lib/mailbox/link-partner";
import {
  createTestPartnerCa,
  issueOrgSigner,
  lifeInsurancePayload,
  noticePayload,
  signPayload,
  type TOrgSigner,
} from "@/test/mailbox/mailbox-world";
import { useTestDatabase } from "@/test/db";
import { seedPartner, seedResident } from "@/prisma/seed/factories";
import { composeDocumentNotification } from "./compose-document-notification";
import { startNotificationWorker } from "./notification-worker";
import { processNotificationOutbox } from "./process-notification-outbox";
import { closedPort, smtpTransport, startSmtp, waitForMail } from "../../test/notifications/smtp-server";
import { listNotificationPreferences, setNotificationPreference } from "./set-notification-preference";

describe("e-mail notifications of delivered documents", () => {
  const db = useTestDatabase();
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let signer: TOrgSigner;
  let trust: Uint8Array[];
  let partner: { id: string; slug: string; name: string };
  let resident: { id: string };
  const base = { from: "ichimai <no-reply@ichimai.test>", portalOrigin: "http://portal.test" };

  beforeAll(async () => {
    smtp = await startSmtp();
    const p = db().prisma;
    const ca = await createTestPartnerCa();
    trust = [ca.certificate];
    partner = await seedPartner(p, { slug: "sakura-life", name: "さくら生命保険株式会社", kind: "LIFE_INSURER" });
    signer = await issueOrgSigner(ca, partner);
    resident = await seedResident(p);
    await p.resident.update({ where: { id: resident.id }, data: { email: "hanako@example.test" } });
    await linkPartner(p, { residentId: resident.id, partnerId: partner.id, partnerRef: "SL-MAIL" });
  });
  afterAll(async () => {
    await smtp?.close();
  });

  const deliver = async (type: string, payload: Record<string, unknown>) =>
    deliverDocument(db().prisma, {
      partnerId: partner.id,
      request: { type, recipient: { partnerRef: "SL-MAIL" }, payload, signature: await signPayload(signer, payload) },
      trustAnchors: trust,
    });

  it("[NOTIFY][MAIL]: a delivered document sends one mail naming the type and issuer, with none of the payload", async () => {
    const p = db().prisma;
    const payload = lifeInsurancePayload({
      policyNumber: "SL-SECRET-4711",
      policyholder: "阿波 花子",
      premiumPaidToDate: 87654,
    });
    const { receipt } = await deliver("life-insurance-deduction-certificate", payload);
    const row = await p.notificationOutbox.findFirstOrThrow({ where: { documentId: receipt.id } });
    expect(row.status).toBe("pending");

    const before = smtp.mails.length;
    const r = await processNotificationOutbox(p, { ...base, transport: smtpTransport(smtp.port) });
    expect(r).toEqual({ sent: 1, skipped: 0, retried: 0, dead: 0 });
    expect(smtp.mails.length).toBe(before + 1);
    const mail = smtp.mails.at(-1)!;
    expect(mail.subject).toBe("【ichimai】さくら生命保険株式会社から「生命保険料控除証明書」が届きました");
    expect(mail.to && "text" in mail.to ? mail.to.text : "").toBe("hanako@example.test");
    expect(mail.text).toContain("書類の種類: 生命保険料控除証明書");
    expect(mail.text).toContain("http://portal.test/mailbox");
    // Nothing of the content: no payload value, no hash, no document id.
    const all = `${mail.subject}\n${mail.text}\n${mail.html || ""}`;
    for (const secret of ["SL-SECRET-4711", "阿波", "花子", "87654", "87,654", receipt.payloadHash, receipt.id]) {
      expect(all).not.toContain(secret);
    }
    expect((await p.notificationOutbox.findUniqueOrThrow({ where: { id: row.id } })).status).toBe("sent");
    // Sent once: a second run finds nothing due.
    expect(await processNotificationOutbox(p, { ...base, transport: smtpTransport(smtp.port) })).toEqual({
      sent: 0,
      skipped: 0,
      retried: 0,
      dead: 0,
    });
  });

  it("[NOTIFY][PREFS]: a type the resident turned off sends nothing; others still send; the change is audited", async () => {
    const p = db().prisma;
    const prefsBefore = await listNotificationPreferences(p, resident.id);
    expect(prefsBefore.every((x) => x.email)).toBe(true);
    await setNotificationPreference(p, {
      residentId: resident.id,
      input: { documentType: "notice", email: false },
      channel: "pc",
    });
    expect((await listNotificationPreferences(p, resident.id)).find((x) => x.documentType === "notice")?.email).toBe(
      false,
    );
    await expect(
      setNotificationPreference(p, {
        residentId: resident.id,
        input: { documentType: "nope", email: false },
        channel: "pc",
      }),
    ).rejects.toMatchObject({ code: "DOCUMENT_TYPE_UNKNOWN" });

    const before = smtp.mails.length;
    await deliver("notice", noticePayload("保険のお知らせ"));
    await deliver("life-insurance-deduction-certificate", lifeInsurancePayload({ policyNumber: "SL-PREF-2" }));
    const r = await processNotificationOutbox(p, { ...base, transport: smtpTransport(smtp.port) });
    expect(r).toEqual({ sent: 1, skipped: 1, retried: 0, dead: 0 });
    expect(smtp.mails.slice(before).map((m) => m.subject)).toEqual([
      "【ichimai】さくら生命保険株式会社から「生命保険料控除証明書」が届きました",
    ]);
    const audit = await p.auditEvent.findMany({ where: { type: "notification.preference_changed" } });
    expect(audit.map((a) => a.data)).toEqual([{ documentType: "notice", email: false }]);
    expect(await verifyAuditChain(p)).toMatchObject({ ok: true });
  });

  it("[NOTIFY][RETRY]: with SMTP down the delivery still succeeds, the mail stays in the outbox and is sent by a later retry", async () => {
    const p = db().prisma;
    const { receipt } = await deliver(
      "life-insurance-deduction-certificate",
      lifeInsurancePayload({ policyNumber: "SL-DOWN-1" }),
    );
    expect(receipt.status).toBe("delivered");
    const t0 = new Date();
    const down = await processNotificationOutbox(p, { ...base, transport: smtpTransport(await closedPort()), now: t0 });
    expect(down).toEqual({ sent: 0, skipped: 0, retried: 1, dead: 0 });
    const row = await p.notificationOutbox.findFirstOrThrow({ where: { documentId: receipt.id } });
    expect(row).toMatchObject({ status: "pending", attempts: 1 });
    expect(row.lastError).toMatch(/ECONNREFUSED|connect/i);
    expect(row.nextAttemptAt.getTime()).toBeGreaterThan(t0.getTime());

    // Not due yet: nothing is sent before the backoff ran out.
    const before = smtp.mails.length;
    expect((await processNotificationOutbox(p, { ...base, transport: smtpTransport(smtp.port), now: t0 })).sent).toBe(
      0,
    );
    // SMTP is back and the backoff ran out.
    const later = new Date(row.nextAttemptAt.getTime() + 1000);
    const up = await processNotificationOutbox(p, { ...base, transport: smtpTransport(smtp.port), now: later });
    expect(up).toEqual({ sent: 1, skipped: 0, retried: 0, dead: 0 });
    expect(smtp.mails.length).toBe(before + 1);
    expect(await p.notificationOutbox.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({
      status: "sent",
      attempts: 2,
      lastError: null,
    });
  });

  it("[NOTIFY][DEAD]: after the last attempt a mail is given up as dead", async () => {
    const p = db().prisma;
    const { receipt } = await deliver(
      "life-insurance-deduction-certificate",
      lifeInsurancePayload({ policyNumber: "SL-DEAD-1" }),
    );
    const r = await processNotificationOutbox(p, {
      ...base,
      transport: smtpTransport(await closedPort()),
      maxAttempts: 1,
    });
    expect(r.dead).toBe(1);
    expect((await p.notificationOutbox.findFirstOrThrow({ where: { documentId: receipt.id } })).status).toBe("dead");
  });

  it("[NOTIFY][WORKER]: the worker sends queued mails soon after a kick", async () => {
    const p = db().prisma;
    const before = smtp.mails.length;
    const worker = startNotificationWorker(async () => p, {
      ...base,
      transport: smtpTransport(smtp.port),
      intervalMs: 60_000,
    });
    try {
      await deliver("life-insurance-deduction-certificate", lifeInsurancePayload({ policyNumber: "SL-KICK-1" }));
      worker.kick();
      worker.kick(); // coalesced with the running drain
      await waitForMail(smtp.mails, before);
      expect(smtp.mails.length).toBe(before + 1);
    } finally {
      await worker.stop();
    }
  });

  it("[NOTIFY][MAIL]: an unknown type still names the issuer, in both languages", () => {
    const m = composeDocumentNotification({
      documentType: "retired-type",
      issuerName: "阿波市",
      issuerNameEn: "Awa City",
      portalOrigin: "https://portal.example",
    });
    expect(m.subject).toBe("【ichimai】阿波市から「書類」が届きました");
    expect(m.text).toContain("a document from Awa City");
  });
});

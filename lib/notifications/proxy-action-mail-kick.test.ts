import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { env } from "@/lib/env";
import { deliverDocument } from "@/lib/mailbox/deliver-document";
import { linkPartner } from "@/lib/mailbox/link-partner";
import { createTestPartnerCa, issueOrgSigner, lifeInsurancePayload, signPayload } from "@/test/mailbox/mailbox-world";
import { getProxyDocumentOrThrow } from "@/lib/proxies/get-proxy-document";
import { grantProxy } from "@/lib/proxies/grant-proxy";
import { useTestDatabase } from "@/test/db";
import { seedPartner, seedResident } from "@/prisma/seed/factories";
import { getNotificationWorker, getSmtpTransport, kickNotificationMail } from "./smtp-transport";
import { startSmtp, waitForMail } from "../../test/notifications/smtp-server";

/**
 * The proxy pages (app/(resident)/proxy/…) call kickNotificationMail right after a proxy action
 * commits, so the principal's mail leaves at once instead of at the worker's next 30 s drain
 * (commit c96c389). This runs that path for real: SMTP_URL pointing at a real SMTP server, the
 * process's own transport and worker (smtp-transport.ts), no call to processNotificationOutbox.
 */
describe("a proxy action's e-mail leaves at once through kickNotificationMail", () => {
  const db = useTestDatabase();
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  const savedSmtpUrl = process.env.SMTP_URL;

  beforeAll(async () => {
    smtp = await startSmtp();
    // Read once per process by env(); nothing in this file has read it yet.
    process.env.SMTP_URL = `smtp://127.0.0.1:${smtp.port}`;
  });
  afterAll(async () => {
    await getNotificationWorker(async () => db().prisma)?.stop();
    getSmtpTransport()?.close();
    await smtp?.close();
    if (savedSmtpUrl === undefined) delete process.env.SMTP_URL;
    else process.env.SMTP_URL = savedSmtpUrl;
  });

  it("[NOTIFY][PROXY_KICK]: a proxy reads a document; the principal's mail arrives without a manual drain, naming the action, not the document", async () => {
    const p = db().prisma;
    expect(env().SMTP_URL).toBe(`smtp://127.0.0.1:${smtp.port}`);
    const ca = await createTestPartnerCa();
    const partner = await seedPartner(p, { slug: "sakura-life", name: "さくら生命保険株式会社", kind: "LIFE_INSURER" });
    const signer = await issueOrgSigner(ca, partner);
    const principal = await seedResident(p);
    const proxy = await seedResident(p, {
      familyName: "吉野",
      givenName: "次郎",
      familyNameKana: "ヨシノ",
      givenNameKana: "ジロウ",
    });
    await linkPartner(p, { residentId: principal.id, partnerId: partner.id, partnerRef: "SL-PROXY-KICK" });
    const payload = lifeInsurancePayload({
      policyNumber: "SL-SECRET-9931",
      policyholder: "阿波 花子",
      premiumPaidToDate: 76543,
    });
    const { receipt } = await deliverDocument(p, {
      partnerId: partner.id,
      request: {
        type: "life-insurance-deduction-certificate",
        recipient: { partnerRef: "SL-PROXY-KICK" },
        payload,
        signature: await signPayload(signer, payload),
      },
      trustAnchors: [ca.certificate],
    });
    // Only the proxy's mail is under test: the "document arrived" mail of the delivery goes.
    await p.notificationOutbox.deleteMany({ where: { residentId: principal.id } });
    await p.resident.update({ where: { id: principal.id }, data: { email: "principal@example.test" } });
    const ctx = { channel: "pc" as const };
    await grantProxy(p, {
      principalId: principal.id,
      input: {
        registryNumber: proxy.registryNumber,
        dateOfBirth: proxy.dateOfBirth.toISOString().slice(0, 10),
        access: "READ",
        domains: ["insurance"],
        endsOn: new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10),
      },
      ...ctx,
    });

    // What /proxy/<principal>/mailbox/<document> does: the audited, notified read, then the kick.
    const doc = await getProxyDocumentOrThrow(p, {
      proxyId: proxy.id,
      principalId: principal.id,
      documentId: receipt.id,
      ...ctx,
    });
    expect(doc.id).toBe(receipt.id);
    // Queued in the read's transaction, and nothing has sent it (no worker runs yet).
    expect(
      await p.notificationOutbox.findMany({
        where: { residentId: principal.id },
        select: { kind: true, proxyAction: true, status: true },
      }),
    ).toEqual([{ kind: "proxy_action", proxyAction: "read", status: "pending" }]);
    const before = smtp.mails.length;
    kickNotificationMail(async () => p);

    // The kick is fire-and-forget: wait on the server's inbox, bounded well below the 30 s drain.
    const started = Date.now();
    await waitForMail(smtp.mails, before, 10_000);
    expect(smtp.mails.length, "no mail within 10 s of the kick").toBe(before + 1);
    expect(Date.now() - started).toBeLessThan(10_000);
    const mail = smtp.mails.at(-1)!;
    expect(mail.to && "text" in mail.to ? mail.to.text : "").toBe("principal@example.test");
    // The action and who did it; the type of document and its content are never in the mail
    // (proxy-action-notifications.ts: "never which document").
    expect(mail.subject).toBe("【ichimai】代理人の吉野 次郎さんがあなたの書類を1件開きました");
    expect(mail.text).toContain("opened one of your documents");
    const all = `${mail.subject}\n${mail.text}\n${mail.html || ""}`;
    for (const secret of [
      "生命保険料控除証明書",
      "life-insurance-deduction-certificate",
      "さくら生命",
      "SL-SECRET-9931",
      "阿波",
      "76543",
      "76,543",
      receipt.id,
      receipt.payloadHash,
    ]) {
      expect(all).not.toContain(secret);
    }
    await expect
      .poll(async () => (await p.notificationOutbox.findFirstOrThrow({ where: { residentId: principal.id } })).status)
      .toBe("sent");
  });
});

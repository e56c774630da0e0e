import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { linkPartner } from "@/lib/mailbox/link-partner";
import {
  basicAuth,
  createDeliveryWorld,
  lifeInsurancePayload,
  seedCred,
  signPayload,
  type TCred,
  type TOrgSigner,
} from "@/test/mailbox/mailbox-world";
import { startNotificationWorker, type TNotificationWorker } from "@/lib/notifications/notification-worker";
import { smtpTransport, startSmtp, waitForMail } from "@/test/notifications/smtp-server";
import { useTestDatabase } from "@/test/db";
import { seedResident } from "@/prisma/seed/factories";
import { serveV1ForTest } from "../../../../test/api/serve-v1-for-test";

describe("POST /api/v1/documents kicks the mail worker", () => {
  const db = useTestDatabase();
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let worker: TNotificationWorker;
  let kicks = 0;
  let origin: string;
  let close: () => Promise<void>;
  let cred: TCred;
  let signer: TOrgSigner;

  beforeAll(async () => {
    const p = db().prisma;
    smtp = await startSmtp();
    const world = await createDeliveryWorld(p);
    const partner = world.insurer;
    signer = world.signer;
    cred = await seedCred(p, partner.id, { scopes: ["documents:deliver"] });
    const resident = await seedResident(p);
    await p.resident.update({ where: { id: resident.id }, data: { email: "taro@example.test" } });
    await linkPartner(p, { residentId: resident.id, partnerId: partner.id, partnerRef: "SL-KICK" });
    // The periodic drain is an hour away: only the route's kick can send within the test.
    worker = startNotificationWorker(async () => p, {
      transport: smtpTransport(smtp.port),
      from: "ichimai <no-reply@ichimai.test>",
      portalOrigin: "http://portal.test",
      intervalMs: 3_600_000,
    });
    ({ origin, close } = await serveV1ForTest({
      ...world,
      afterCommit: () => {
        kicks += 1;
        worker.kick();
      },
    }));
  });
  afterAll(async () => {
    await worker?.stop();
    await close?.();
    await smtp?.close();
  });

  const deliver = async (body: Record<string, unknown>, key: string) =>
    fetch(`${origin}/api/v1/documents`, {
      method: "POST",
      headers: { authorization: basicAuth(cred), "content-type": "application/json", "idempotency-key": key },
      body: JSON.stringify(body),
    });

  it("[NOTIFY][KICK]: a single delivery's e-mail goes out at once; a replay or a refusal kicks nothing", async () => {
    const payload = lifeInsurancePayload({ policyNumber: "SL-KICK-0001" });
    const body = {
      type: "life-insurance-deduction-certificate",
      recipient: { partnerRef: "SL-KICK" },
      payload,
      signature: await signPayload(signer, payload),
    };
    const before = smtp.mails.length;
    const res = await deliver(body, "kick-1");
    expect(res.status).toBe(201);
    expect(kicks).toBe(1);
    await waitForMail(smtp.mails, before, 5_000);
    expect(smtp.mails.length).toBe(before + 1);
    expect(smtp.mails.at(-1)?.subject).toContain("生命保険料控除証明書");
    expect(smtp.mails.at(-1)?.text).not.toContain("SL-KICK-0001");

    const replay = await deliver(body, "kick-1");
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    const refused = await deliver({ ...body, recipient: { partnerRef: "SL-NOBODY" } }, "kick-2");
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect(kicks).toBe(1);
    const outbox = await db().prisma.notificationOutbox.findMany({ select: { status: true } });
    expect(outbox).toEqual([{ status: "sent" }]);
  });
});

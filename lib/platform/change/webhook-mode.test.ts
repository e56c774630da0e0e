import { describe, expect, it } from "vitest";
import { seedPartnerCredential } from "../../../prisma/seed/factories";
import { useTestDatabase } from "../../../test/db";
import { signApplication, usePlatformWorld } from "../../../test/platform/platform-world";
import { verifyPartnerCredential } from "../../partners/verify-partner-credential";
import { verifyIdentity } from "../identity/verify-identity";
import { listWebhookEndpoints } from "../webhooks/list-webhook-endpoints";
import { createWebhookEndpoint } from "../webhooks/create-webhook-endpoint";
import { createWatch } from "./create-watch";
import { notifyCertificateRevoked } from "./notify-certificate-revoked";

describe("webhook endpoints are confined to their mode like the credential that registered them", () => {
  const db = useTestDatabase();
  const world = usePlatformWorld();

  it("[WEBHOOK][MODE]: a LIVE watch's certificate.revoked goes only to LIVE endpoints and a sandbox watch's only to TEST endpoints", async () => {
    const { prisma } = db();
    const ctx = world().context(prisma);
    const scopes = ["identity:verify", "change:watch", "webhooks:manage"] as const;
    const live = await world().partner(prisma, { scopes: [...scopes], mode: "LIVE" });
    const testCred = await seedPartnerCredential(prisma, {
      partnerId: live.partnerId,
      scopes: [...scopes],
      mode: "TEST",
    });
    const test = await verifyPartnerCredential(prisma, {
      clientId: testCred.credential.clientId,
      clientSecret: testCred.clientSecret,
    });
    const endpoint = async (mode: "TEST" | "LIVE") =>
      (
        await createWebhookEndpoint(ctx, {
          partnerId: live.partnerId,
          mode,
          request: { url: `https://203.0.113.7/${mode.toLowerCase()}` },
        })
      ).endpoint;
    // Public test addresses (RFC 5737): nothing is dispatched here, the outbox rows are the proof.
    const [liveEndpoint, testEndpoint] = [await endpoint("LIVE"), await endpoint("TEST")];
    expect([liveEndpoint.mode, testEndpoint.mode]).toEqual(["LIVE", "TEST"]);
    expect((await listWebhookEndpoints(ctx, { partnerId: live.partnerId, mode: "TEST" })).map((e) => e.id)).toEqual([
      testEndpoint.id,
    ]);

    const watchOf = async (partner: Parameters<typeof verifyIdentity>[1]["partner"], sandbox: boolean) => {
      const { card } = await world().resident(prisma, { sandbox });
      const application = await signApplication(card.sign!, { kind: "insurance-contract" });
      const verification = await verifyIdentity(ctx, {
        partner,
        request: { ...application, purpose: "保険契約の本人確認" },
      });
      const { watch } = await createWatch(ctx, { partner, request: { verificationId: verification.id } });
      return prisma.certificateWatch.findUniqueOrThrow({ where: { id: watch.id } });
    };
    const revoke = (w: { issuerFingerprint: string; serialNumber: string }) =>
      notifyCertificateRevoked(ctx, {
        issuerFingerprint: w.issuerFingerprint,
        serialNumber: w.serialNumber,
        reason: "affiliationChanged",
        revokedAt: new Date(),
        source: "ocsp",
      });
    const endpointsOf = async (eventIds: string[]) =>
      (await prisma.webhookDelivery.findMany({ where: { eventId: { in: eventIds } } })).map((d) => d.endpointId);

    const liveEvents = await revoke(await watchOf(live, false));
    expect(liveEvents.events).toHaveLength(1);
    expect(await endpointsOf(liveEvents.events)).toEqual([liveEndpoint.id]);

    const sandboxEvents = await revoke(await watchOf(test, true));
    expect(sandboxEvents.events).toHaveLength(1);
    expect(await endpointsOf(sandboxEvents.events)).toEqual([testEndpoint.id]);

    // Over everything queued for the partner, the TEST endpoint holds no event about a LIVE watch.
    const toTest = await prisma.webhookDelivery.findMany({
      where: { endpointId: testEndpoint.id },
      select: { event: { select: { payload: true } } },
    });
    expect(JSON.stringify(toTest)).not.toContain(
      (
        await prisma.certificateWatch.findFirstOrThrow({
          where: { credential: { mode: "LIVE" }, partnerId: live.partnerId },
        })
      ).id,
    );
  });
});

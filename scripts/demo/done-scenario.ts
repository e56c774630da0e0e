/**
 * The verification-platform scenario by hand (an insurer verifies a signed application, then
 * hears of the move), against a running `npm run dev`:
 *
 *   npm run dev                                    # terminal 1: portal, J-LIS at /jlis, embedded PostgreSQL
 *   npx tsx scripts/demo/done-scenario.ts     # terminal 2
 *
 * An insurer (partner "demo-sakura-life-platform") registers a webhook receiver this script
 * starts on 127.0.0.1, verifies a resident-signed application over HTTP, watches the signing
 * certificate; the resident then moves (the simulated J-LIS revokes the signing certificate
 * affiliationChanged); one change-check cycle runs on a pg-boss worker in this process (sharing
 * the portal's database, as a second app server would) and the receiver prints the signed
 * `certificate.revoked` it got, after checking the signature with the standardwebhooks library.
 */
import "reflect-metadata";
import { DEMO_MUNICIPALITY, fourFactsOfResident } from "../../jlis-sim/demo-cards";
import { createPrismaClient } from "../../lib/db/client";
import { env, resolveDataPath } from "../../lib/env";
import { parseCertificate } from "../../lib/jpki/certificate";
import { SimulatedJlis } from "../../jlis-sim/jlis";
import { DirectoryJlisStore } from "../../jlis-sim/store";
import { seedPartner, seedPartnerCredential, seedResident } from "../../prisma/seed/factories";
import { startPlatformJobs } from "../../lib/jobs/start-platform-jobs";
import { getRuntime } from "../../lib/runtime/runtime";
import { signApplication } from "../../test/platform/platform-world";
import { startWebhookReceiver } from "../../test/platform/webhook-receiver";

const CREDENTIAL = {
  clientId: "ich_test_demo0platform0ins1",
  clientSecret: "ich_secret_demo-platform-insurer-not-for-production",
};

async function main(): Promise<void> {
  const config = env();
  const origin = new URL(config.PORTAL_ORIGIN).origin;
  const health = await fetch(`${origin}/api/health`).catch(() => undefined);
  if (!health?.ok) throw new Error(`No portal at ${origin}: start it with \`npm run dev\` first.`);
  const runtime = getRuntime();
  const { url } = await runtime.database();
  const prisma = createPrismaClient(url);
  const jlis = await SimulatedJlis.open(new DirectoryJlisStore(resolveDataPath(config.JLIS_DATA_DIR)));
  const receiver = await startWebhookReceiver();
  const authorization = `Basic ${Buffer.from(`${CREDENTIAL.clientId}:${CREDENTIAL.clientSecret}`).toString("base64")}`;
  const api = async (method: string, p: string, body?: unknown) => {
    const res = await fetch(`${origin}${p}`, {
      method,
      headers: { authorization, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await res.json()) as Record<string, unknown>;
    console.log(`${method} ${p} → ${res.status}`);
    if (!res.ok) throw new Error(JSON.stringify(json));
    return json;
  };
  try {
    const partner = await seedPartner(prisma, {
      slug: "demo-sakura-life-platform",
      name: "さくら生命保険株式会社（デモ）",
      kind: "LIFE_INSURER",
    });
    await seedPartnerCredential(prisma, {
      partnerId: partner.id,
      ...CREDENTIAL,
      scopes: ["identity:verify", "identity:facts", "change:watch", "webhooks:manage"],
    });
    const registryNumber = `DEMO-PLATFORM-${Date.now()}`;
    const resident = await seedResident(prisma, { registryNumber });
    const card = await jlis.issueCard({
      residentRef: registryNumber,
      facts: fourFactsOfResident(resident),
      municipality: DEMO_MUNICIPALITY,
    });
    const auth = parseCertificate(card.auth.certificate);
    await prisma.certificateBinding.create({
      data: {
        residentId: resident.id,
        kind: "AUTH",
        issuerDn: auth.issuer.text,
        serialNumber: card.auth.serial,
        fingerprint: auth.fingerprint,
        notBefore: auth.notBefore,
        notAfter: auth.notAfter,
      },
    });
    await jlis.setConsent({ residentRef: registryNumber, consent: true });
    console.log(`resident ${resident.familyName} ${resident.givenName}, signing certificate ${card.sign!.serial}`);

    const endpoint = await api("POST", "/api/v1/webhook-endpoints", { url: receiver.url });
    receiver.setSecret(endpoint.secret as string);
    const application = await signApplication(card.sign!, { kind: "insurance-contract", plan: "終身保険" });
    const verification = await api("POST", "/api/v1/identity-verifications", {
      ...application,
      purpose: "保険契約の本人確認",
    });
    console.log("  facts:", JSON.stringify(verification.facts));
    const watch = await api("POST", "/api/v1/watches", { verificationId: verification.id });

    const moved = await jlis.changeFacts({
      residentRef: registryNumber,
      facts: { address: "徳島県一枚町栄町三丁目７番地" },
    });
    console.log(
      `the resident moved: ${card.sign!.serial} revoked affiliationChanged, new signing certificate ${moved.sign?.serial}`,
    );

    const jobs = await startPlatformJobs(await runtime.platform(), {
      connectionString: url,
      schedule: false,
      pollingIntervalSeconds: 0.5,
    });
    try {
      const cycle = await jobs.runChangeCheckNow();
      console.log(
        `change-check cycle: ${cycle.watched} watched, ${cycle.crlHits} CRL hits, ${cycle.confirmed} confirmed`,
      );
      const [got] = await receiver.waitFor(1, 30_000);
      console.log(`receiver got webhook-id ${got!.id}, signature verified:`);
      console.log(JSON.stringify(got!.verified, null, 2));
      console.log("watch now:", JSON.stringify(await api("GET", `/api/v1/watches/${watch.id}`)));
    } finally {
      await jobs.stop();
    }
  } finally {
    await receiver.close();
    await prisma.$disconnect();
  }
}

await main().catch((e: unknown) => {
  console.error(`✖ ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
});

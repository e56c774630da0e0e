import "reflect-metadata";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { DEMO_MUNICIPALITY, fourFactsOfResident } from "../../jlis-sim/demo-cards";
import { createPrismaClient, type PrismaClient } from "../../lib/db/client";
import { databaseReady } from "../../lib/db/connection";
import { parseEnv } from "../../lib/env";
import { parseCertificate } from "../../lib/jpki/certificate";
import type { IssuedToken } from "../../jlis-sim/jlis";
import { SimulatedJlis } from "../../jlis-sim/jlis";
import { DirectoryJlisStore } from "../../jlis-sim/store";
import { signApplication } from "../../test/platform/platform-world";
import type { TWebhookReceiver } from "../../test/platform/webhook-receiver";
import { seedPartner, seedPartnerCredential, seedResident } from "../../prisma/seed/factories";
import { E2E_DATABASE_ENV, E2E_JLIS_DIR, E2E_ROOT } from "../fixtures/card";
import { startE2ePlatformWorker, type TE2ePlatformWorker } from "../fixtures/platform-worker";

// The verification-platform scenario (an insurer verifies a signed application, then hears of
// the move) against the real server (`next start`): the partner calls the API
// over HTTP with Playwright's request client; the server verifies against the simulated J-LIS it
// serves at /jlis. The change-check job runs here, on a second pg-boss worker sharing the e2e
// database — as the jobs process would (e2e/fixtures/platform-worker.ts) — and the webhook goes
// to a real receiver that checks the Standard Webhooks signature.
const CREDENTIAL = {
  clientId: "ich_test_e2e0platform0ins01",
  clientSecret: "ich_secret_e2e-platform-insurer-secret-0123456789",
};
const authorization = `Basic ${Buffer.from(`${CREDENTIAL.clientId}:${CREDENTIAL.clientSecret}`).toString("base64")}`;
const MOVED_TO = "徳島県一枚町栄町三丁目７番地";

let prisma: PrismaClient;
let jlis: SimulatedJlis;
let receiver: TWebhookReceiver;
let worker: TE2ePlatformWorker;
let partnerId: string;
let resident: { id: string; registryNumber: string; name: string; address: string };
let card: IssuedToken;

test.beforeAll(async () => {
  const config = parseEnv({ ...E2E_DATABASE_ENV });
  const { url } = await databaseReady(config);
  prisma = createPrismaClient(url);
  const partner = await seedPartner(prisma, {
    slug: "e2e-platform-insurer",
    name: "みどり生命保険株式会社（E2E）",
    nameEn: "Midori Life (E2E)",
    kind: "LIFE_INSURER",
  });
  partnerId = partner.id;
  await seedPartnerCredential(prisma, {
    partnerId,
    ...CREDENTIAL,
    scopes: ["identity:verify", "identity:facts", "change:watch", "webhooks:manage"],
  });
  jlis = await SimulatedJlis.open(new DirectoryJlisStore(path.join(E2E_ROOT, E2E_JLIS_DIR)));
  const registryNumber = `E2E-PLATFORM-${Date.now()}`;
  const r = await seedResident(prisma, { registryNumber });
  resident = { id: r.id, registryNumber, name: `${r.familyName}　${r.givenName}`, address: r.address };
  card = await jlis.issueCard({
    residentRef: registryNumber,
    facts: fourFactsOfResident(r),
    municipality: DEMO_MUNICIPALITY,
  });
  await jlis.setConsent({ residentRef: registryNumber, consent: true });
  // The resident has logged in with this card before: its auth certificate is bound to them.
  const auth = parseCertificate(card.auth.certificate);
  await prisma.certificateBinding.create({
    data: {
      residentId: r.id,
      kind: "AUTH",
      issuerDn: auth.issuer.text,
      serialNumber: card.auth.serial,
      fingerprint: auth.fingerprint,
      notBefore: auth.notBefore,
      notAfter: auth.notAfter,
    },
  });

  // The receiver listens on 127.0.0.1 over http: allowed for this worker only (the server runs
  // in production mode and refuses such URLs, which the errors test below checks).
  worker = await startE2ePlatformWorker(prisma, url);
  receiver = await worker.receiverFor(partnerId);
});

test.afterAll(async () => {
  await worker?.stop();
  await prisma?.$disconnect();
});

test("[PARTNER-API][PLATFORM][DONE]: an insurer verifies a signed application, the resident moves, the insurer's receiver gets certificate.revoked", async ({
  request,
}) => {
  const application = await signApplication(card.sign!, { kind: "insurance-contract", plan: "終身保険（E2E）" });
  const v = await request.post("/api/v1/identity-verifications", {
    headers: { authorization },
    data: { ...application, purpose: "保険契約の本人確認（E2E）" },
  });
  expect(v.status()).toBe(201);
  const verification = await v.json();
  expect(verification).toMatchObject({ status: "verified", facts: { name: resident.name, address: resident.address } });

  const w = await request.post("/api/v1/watches", {
    headers: { authorization },
    data: { verificationId: verification.id },
  });
  expect(w.status()).toBe(201);
  const watch = await w.json();

  const moved = await jlis.changeFacts({ residentRef: resident.registryNumber, facts: { address: MOVED_TO } });
  const cycle = await worker.jobs.runChangeCheckNow();
  expect(cycle.confirmed).toBeGreaterThanOrEqual(1);
  const [got] = await receiver.waitFor(1);
  expect(got!.verified).toMatchObject({
    type: "certificate.revoked",
    data: {
      watchId: watch.id,
      reason: "affiliationChanged",
      successor: { serialNumber: moved.sign!.serial },
      latestFacts: { address: MOVED_TO },
    },
  });
  const after = await request.get(`/api/v1/watches/${watch.id}`, { headers: { authorization } });
  expect(await after.json()).toMatchObject({ status: "revoked", revocationReason: "affiliationChanged" });
  const notice = await prisma.residentNotice.findFirstOrThrow({ where: { residentId: resident.id } });
  expect(notice.body).toContain("みどり生命保険株式会社（E2E）");
});

test("[PARTNER-API][PLATFORM][ERRORS]: wrong-purpose certificate, http webhook URL in production, no credentials; the spec lists the operations", async ({
  request,
}) => {
  const auth = await request.post("/api/v1/identity-verifications", {
    headers: { authorization },
    data: { ...(await signApplication(card.auth, { n: 1 })), purpose: "p" },
  });
  expect(auth.status()).toBe(422);
  expect((await auth.json()).error.code).toBe("CERT_WRONG_PURPOSE");
  const hook = await request.post("/api/v1/webhook-endpoints", {
    headers: { authorization },
    data: { url: "http://127.0.0.1:9/hooks" },
  });
  expect((await hook.json()).error.code).toBe("WEBHOOK_URL_INVALID");
  const anon = await request.post("/api/v1/watches", {
    data: { verificationId: "0b9c7f2e-4a51-4f7e-9d55-3a0e1c2b7d11" },
  });
  expect([anon.status(), (await anon.json()).error.code]).toEqual([401, "UNAUTHENTICATED"]);
  const spec = await (await request.get("/api/v1/openapi.json")).json();
  expect(spec.paths["/api/v1/identity-verifications"].post.operationId).toBe("createIdentityVerification");
});

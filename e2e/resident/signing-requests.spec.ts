import { createPrismaClient, type PrismaClient } from "../../lib/db/client";
import { databaseReady } from "../../lib/db/connection";
import { parseEnv } from "../../lib/env";
import { linkPartner } from "../../lib/mailbox/link-partner";
import { seedPartner, seedPartnerCredential } from "../../prisma/seed/factories";
import { expect, test } from "../fixtures";
import { E2E_AGENT_PORT, E2E_DATABASE_ENV, readCardWorld } from "../fixtures/card";
import { loginWithCard } from "../fixtures/card-login";

// The card agent serves HTTPS with its own local CA (docs/card-agent-protocol.md#browser-and-node-clients).
test.use({ ignoreHTTPSErrors: true });
test.setTimeout(180_000);

const AGENT = `agent=127.0.0.1:${E2E_AGENT_PORT}`;
const BANK = { slug: "e2e-sign-bank", name: "阿波みらい銀行（E2E）", nameEn: "Awa Mirai Bank (E2E)" };
const TITLE = "普通預金口座開設申込書";
const TEXT = "阿波みらい銀行 御中\n\n普通預金口座の開設を申し込みます。\n<b>これは太字ではありません</b>";

let prisma: PrismaClient;
let authorization: string;
let partnerRef: string;

test.beforeAll(async () => {
  const config = parseEnv({ ...E2E_DATABASE_ENV });
  prisma = createPrismaClient((await databaseReady(config)).url);
  const scopes = ["signing:request", "identity:verify", "identity:facts"] as const;
  const bank = await seedPartner(prisma, { ...BANK, kind: "BANK", approvedScopes: [...scopes] });
  const { credential, clientSecret } = await seedPartnerCredential(prisma, { partnerId: bank.id, scopes: [...scopes] });
  authorization = `Basic ${Buffer.from(`${credential.clientId}:${clientSecret}`).toString("base64")}`;
  // Any active link addresses a signing request; the reference is fresh per run.
  partnerRef = `E2E-SIGN-${Date.now()}`;
  await linkPartner(prisma, {
    residentId: readCardWorld().residents.signer.residentId,
    partnerId: bank.id,
    partnerRef,
    purposes: ["deliver"],
  });
});
test.afterAll(async () => {
  await prisma?.$disconnect();
});

test("[SIGNING][DONE]: a bank asks over the API, the resident reads the text and signs it with the card, the bank fetches the CMS and verifies the resident's identity with it", async ({
  page,
  request,
  seriousA11yViolations,
}) => {
  const who = readCardWorld().residents.signer;
  const created = await request.post("/api/v1/signing-requests", {
    headers: { authorization },
    data: { title: TITLE, text: TEXT, partnerRef },
  });
  expect(created.status()).toBe(201);
  const { id } = (await created.json()) as { id: string };

  await loginWithCard(page, "signer");
  await page.goto("/services");
  await page.locator('[data-section="signing-requests"]').getByRole("link").click();
  await expect(page.getByRole("heading", { level: 1, name: "署名の依頼" })).toBeVisible();
  const row = page.locator(`[data-signing-request-id="${id}"]`);
  await expect(row).toContainText(BANK.name);
  await expect(row).toContainText(TITLE);
  expect(await seriousA11yViolations(page)).toEqual([]);

  await page.goto(`/services/signing-requests/${id}?${AGENT}`);
  await expect(page.getByRole("heading", { level: 1, name: TITLE })).toBeVisible();
  await expect(page.getByTestId("signing-partner")).toHaveText(BANK.name);
  // The text as sent: line breaks kept, markup shown as text (no <b> element).
  const text = page.getByTestId("signing-text");
  // biome-ignore lint/performance/useDomNodeTextContent: the rendered text (line breaks shown by CSS) is what is checked.
  expect(await text.innerText()).toBe(TEXT);
  await expect(text.locator("b")).toHaveCount(0);
  expect(await seriousA11yViolations(page)).toEqual([]);

  await page.getByTestId("card-sign-start").click();
  const chooser = page.locator('[data-sign-state="choose-card"]');
  await expect(chooser).toBeVisible({ timeout: 20_000 });
  await chooser.getByRole("button", { name: new RegExp(`^${who.cardName.replace(/[()]/g, "\\$&")} — 署名用`) }).click();
  await expect(page.getByTestId("sign-facts")).toBeVisible({ timeout: 20_000 });
  await page.getByTestId("card-sign-confirm").click();
  await expect(page.locator('[data-signing-status="signed"]')).toBeVisible({ timeout: 30_000 });
  await expect(page.locator('[data-outcome="signed"]')).toBeVisible();

  // The bank (this test process) fetches the CMS and runs identity verification on it.
  const read = await request.get(`/api/v1/signing-requests/${id}`, { headers: { authorization } });
  expect(read.status()).toBe(200);
  const signed = (await read.json()) as { status: string; signedData: string; content: string };
  expect(signed.status).toBe("signed");
  expect(JSON.parse(Buffer.from(signed.content, "base64").toString("utf8"))).toMatchObject({
    title: TITLE,
    text: TEXT,
  });
  const verification = await request.post("/api/v1/identity-verifications", {
    headers: { authorization },
    data: { signedData: signed.signedData, purpose: "普通預金口座開設の本人確認" },
  });
  expect(verification.status()).toBe(201);
  const resident = await prisma.resident.findUniqueOrThrow({ where: { id: who.residentId } });
  expect(await verification.json()).toMatchObject({ status: "verified", facts: { address: resident.address } });

  // Nothing left to sign; the decision and the bank's read are in the resident's access log.
  await page.goto("/services/signing-requests");
  await expect(page.locator(`[data-signing-request-id="${id}"]`)).toHaveCount(0);
  expect(
    await prisma.auditEvent.count({
      where: { subjectResidentId: who.residentId, type: { in: ["consent.given", "partner.api_access"] } },
    }),
  ).toBeGreaterThanOrEqual(3);
});

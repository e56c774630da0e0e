import { createPrismaClient, type PrismaClient } from "../../lib/db/client";
import { databaseReady } from "../../lib/db/connection";
import { parseEnv } from "../../lib/env";
import { seedPartner, seedPartnerCredential } from "../../prisma/seed/factories";
import { expect, test } from "../fixtures";
import { loginWithCard } from "../fixtures/card-login";
import { E2E_AGENT_PORT, E2E_DATABASE_ENV, readCardWorld } from "../fixtures/card";

// The card agent serves HTTPS with its own local CA (docs/card-agent-protocol.md#browser-and-node-clients).
test.use({ ignoreHTTPSErrors: true });

const PARTNER = { slug: "e2e-links-bus", name: "一枚交通（E2E連携）", nameEn: "Ichimai Kotsu (E2E links)" };

let prisma: PrismaClient;
let partnerId: string;
let authorization: string;

test.beforeAll(async () => {
  const config = parseEnv({ ...E2E_DATABASE_ENV });
  prisma = createPrismaClient((await databaseReady(config)).url);
  const partner = await seedPartner(prisma, {
    ...PARTNER,
    kind: "BUS_OPERATOR",
    approvedScopes: ["documents:deliver", "eligibility:verify", "links:write"],
  });
  partnerId = partner.id;
  const { credential, clientSecret } = await seedPartnerCredential(prisma, { partnerId, scopes: ["links:write"] });
  authorization = `Basic ${Buffer.from(`${credential.clientId}:${clientSecret}`).toString("base64")}`;
});
test.afterAll(async () => {
  await prisma?.$disconnect();
});

test("[LINKS][SERVICES]: a partner's link request (claim code) is entered in /services, approved after a card login, listed with its purposes, ended, and every step is in the access log", async ({
  page,
  request,
  seriousA11yViolations,
}) => {
  // A card login, two decisions and the access log: more than the default 30 s on a shared machine.
  test.setTimeout(120_000);
  const residentId = readCardWorld().residents.login.residentId;
  const partnerRef = `E2E-LINK-${Date.now()}`;
  // The partner proposes the link over the API and gets a one-time code for its letter.
  const created = await request.post("/api/v1/link-requests", {
    headers: { authorization },
    data: { partnerRef, purposes: ["eligibility", "deliver"], purposeText: "定期券の乗車確認とお知らせの送付" },
  });
  expect(created.status()).toBe(201);
  const { id, claimCode } = (await created.json()) as { id: string; claimCode: string };

  // Without a card session the page asks for a login.
  await page.goto("/services/links");
  await expect(page.locator("[data-step-up]")).toBeVisible();

  await loginWithCard(page, "login");
  await page.goto("/services");
  const section = page.locator('[data-section="links"]');
  await expect(section).toBeVisible();
  await section.getByRole("link", { name: "事業者との連携を開く" }).click();
  await expect(page).toHaveURL(/\/services\/links$/);
  await expect(page.getByRole("heading", { level: 1, name: "事業者との連携（紐付け）" })).toBeVisible();

  // A mistyped code is refused with its reason; the right one (lower case, no hyphen) pulls the request.
  await page.getByRole("textbox", { name: "連携コード" }).fill("ZZZZZ-ZZZZZ");
  await page.getByRole("button", { name: "依頼を表示する" }).click();
  await expect(page.getByTestId("link-claim-result")).toContainText("このコードの依頼は見つかりません");
  await page.getByRole("textbox", { name: "連携コード" }).fill(claimCode.replace("-", "").toLowerCase());
  await page.getByRole("button", { name: "依頼を表示する" }).click();
  await expect(page.getByTestId("link-claim-result")).toContainText("依頼を受け取りました");
  const card = page.locator(`[data-link-request-id="${id}"]`);
  await expect(card).toBeVisible();
  await expect(card.getByRole("heading", { level: 3 })).toHaveText(`${PARTNER.name}からの依頼`);
  await expect(card).toContainText("定期券の乗車確認とお知らせの送付");
  await expect(card.getByTestId("link-request-allows")).toContainText("書類をあなたの私書箱に届ける");
  await expect(card.getByTestId("link-request-allows")).toContainText("資格を確認する");
  await expect(card).toContainText(partnerRef);
  expect(await seriousA11yViolations(page)).toEqual([]);

  // Approve (the session is a fresh card login): the partner is now linked for those purposes.
  await card.getByRole("button", { name: `${PARTNER.name}からの依頼を承認する` }).click();
  await expect(page.getByTestId("link-request-result")).toContainText("連携しました");
  await expect(card).toHaveCount(0);
  const linked = page.getByTestId("links-linked");
  const row = linked.getByRole("row").filter({ has: page.getByRole("rowheader", { name: PARTNER.name }) });
  await expect(row).toContainText(partnerRef);
  await expect(row).toContainText("書類をあなたの私書箱に届ける");
  const status = await request.get(`/api/v1/link-requests/${id}`, { headers: { authorization } });
  expect(((await status.json()) as { status: string }).status).toBe("approved");
  const link = await prisma.partnerResidentLink.findUniqueOrThrow({
    where: { partnerId_residentId: { partnerId, residentId } },
  });
  expect(link).toMatchObject({ partnerRef, purposes: ["deliver", "eligibility"], revokedAt: null });

  // End the link (after confirming).
  await row.getByRole("button", { name: `${PARTNER.name}との連携を終了する` }).click();
  await row.getByRole("button", { name: /^終了する:/ }).click();
  await expect(page.getByTestId("links-linked-result")).toContainText("連携を終了しました");
  await expect(linked.getByRole("rowheader", { name: PARTNER.name })).toHaveCount(0);
  expect((await prisma.partnerResidentLink.findUniqueOrThrow({ where: { id: link.id } })).revokedAt).not.toBeNull();

  // Requested, approved and ended: all three in the resident's access log.
  await page.getByRole("link", { name: "連携の記録をアクセス記録で確認する" }).click();
  const table = page.getByRole("table", { name: "アクセス記録（新しい順）" });
  await expect(table.locator('[data-event-type="consent.requested"]').first()).toContainText("連携の依頼");
  await expect(table.locator('[data-event-type="consent.given"]').first()).toBeVisible();
  await expect(table.locator('[data-event-type="consent.revoked"]').first()).toBeVisible();
  await expect(table.locator('[data-event-type="consent.requested"]').first()).toContainText(PARTNER.name);
});

const SIGN_PARTNER = {
  slug: "e2e-links-sign",
  name: "阿波健保（E2E署名連携）",
  nameEn: "Awa Health (E2E signed link)",
};

test("[LINKS][SIGNATURE]: a partner asks for a signature; the resident signs the exact consent with the card, and the partner verifies the resident with the stored CMS", async ({
  page,
  request,
  seriousA11yViolations,
}) => {
  test.setTimeout(180_000);
  const who = readCardWorld().residents.signer;
  const scopes = ["links:write", "eligibility:verify", "identity:verify", "identity:facts"] as const;
  const partner = await seedPartner(prisma, { ...SIGN_PARTNER, kind: "HEALTH_INSURER", approvedScopes: [...scopes] });
  const { credential, clientSecret } = await seedPartnerCredential(prisma, {
    partnerId: partner.id,
    scopes: [...scopes],
  });
  const auth = `Basic ${Buffer.from(`${credential.clientId}:${clientSecret}`).toString("base64")}`;
  // A rerun against the same database: the earlier link is ended so this request can be approved.
  await prisma.partnerResidentLink.updateMany({
    where: { partnerId: partner.id, residentId: who.residentId, revokedAt: null },
    data: { revokedAt: new Date() },
  });
  const partnerRef = `E2E-SIGNLINK-${Date.now()}`;
  const created = await request.post("/api/v1/link-requests", {
    headers: { authorization: auth },
    data: { partnerRef, purposes: ["eligibility"], purposeText: "保険資格の確認", signatureRequired: true },
  });
  expect(created.status()).toBe(201);
  const { id, claimCode, content } = (await created.json()) as { id: string; claimCode: string; content: string };
  const canonical = Buffer.from(content, "base64").toString("utf8");

  await loginWithCard(page, "signer");
  await page.goto("/services/links");
  await page.getByRole("textbox", { name: "連携コード" }).fill(claimCode);
  await page.getByRole("button", { name: "依頼を表示する" }).click();
  const card = page.locator(`[data-link-request-id="${id}"]`);
  await expect(card).toBeVisible();
  // No plain approval for it: only the way to the signing page.
  await expect(card.getByTestId("link-request-approve")).toHaveCount(0);
  await expect(card.getByTestId("link-request-sign")).toHaveAttribute("href", `/services/links/${id}`);

  await page.goto(`/services/links/${id}?agent=127.0.0.1:${E2E_AGENT_PORT}`);
  await expect(page.getByRole("heading", { level: 1, name: "カードで署名して連携を承認" })).toBeVisible();
  // The exact bytes the partner got are what the page shows and the card signs.
  expect(await page.getByTestId("link-consent-text").textContent()).toBe(canonical);
  expect(await seriousA11yViolations(page)).toEqual([]);
  await page.getByTestId("card-sign-start").click();
  const chooser = page.locator('[data-sign-state="choose-card"]');
  await expect(chooser).toBeVisible({ timeout: 20_000 });
  await chooser.getByRole("button", { name: new RegExp(`^${who.cardName.replace(/[()]/g, "\\$&")} — 署名用`) }).click();
  await expect(page.getByTestId("sign-facts")).toBeVisible({ timeout: 20_000 });
  await page.getByTestId("card-sign-confirm").click();
  await expect(page).toHaveURL(/\/services\/links$/, { timeout: 30_000 });
  const row = page
    .getByTestId("links-linked")
    .getByRole("row")
    .filter({ has: page.getByRole("rowheader", { name: SIGN_PARTNER.name }) });
  await expect(row).toContainText(partnerRef);

  // The partner reads the CMS and verifies the resident with it over HTTP.
  const read = await request.get(`/api/v1/link-requests/${id}`, { headers: { authorization: auth } });
  const approved = (await read.json()) as { status: string; signature: string; content: string };
  expect(approved).toMatchObject({ status: "approved", content });
  const verification = await request.post("/api/v1/identity-verifications", {
    headers: { authorization: auth },
    data: { signedData: approved.signature, purpose: "加入者の本人確認" },
  });
  expect(verification.status()).toBe(201);
  const resident = await prisma.resident.findUniqueOrThrow({ where: { id: who.residentId } });
  expect(await verification.json()).toMatchObject({ status: "verified", facts: { address: resident.address } });
});

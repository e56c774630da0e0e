/**
 * The partner console by hand, as a partner's developer uses it: password login, credentials
 * (issue, secret once, rotate, revoke) checked with real API calls, a scope request that a staff
 * member approves after a card login, the webhook delivery log with a replay to a real receiver
 * that checks the signature, API usage from real calls, and the documents' delivery status.
 */
import "reflect-metadata";
import type { Page } from "@playwright/test";
import { createPrismaClient, type PrismaClient } from "../../lib/db/client";
import { databaseReady } from "../../lib/db/connection";
import { parseEnv } from "../../lib/env";
import { createJlisClient } from "../../lib/jlis/client";
import { DEFAULT_WEBHOOK_SETTINGS, type TPlatformContext } from "../../lib/platform/platform-context";
import { startWebhookReceiver, type TWebhookReceiver } from "../../test/platform/webhook-receiver";
import { createWebhookEndpoint } from "../../lib/platform/webhooks/create-webhook-endpoint";
import { dispatchWebhookDeliveries } from "../../lib/platform/webhooks/dispatch-webhook-deliveries";
import { enqueueWebhookEvent } from "../../lib/platform/webhooks/enqueue-webhook-event";
import { seedPartner, seedPartnerCredential, seedPartnerUser, seedResident } from "../../prisma/seed/factories";
import { expect, test } from "../fixtures";
import { E2E_DATABASE_ENV, LOGIN_PATH, readCardWorld } from "../fixtures/card";

// The card agent (staff login) serves HTTPS with its own local CA.
test.use({ ignoreHTTPSErrors: true });
// Each test logs in (scrypt), runs axe and several server actions on a shared 2-core machine.
test.describe.configure({ timeout: 120_000 });

const OWNER = { email: "owner@e2e-console-bank.example.jp", password: "e2e-console-password-1" };
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString("base64")}`;

let prisma: PrismaClient;
let partnerId: string;

test.beforeAll(async () => {
  const config = parseEnv({ ...E2E_DATABASE_ENV });
  const { url } = await databaseReady(config);
  prisma = createPrismaClient(url);
  const partner = await seedPartner(prisma, {
    slug: "e2e-console-bank",
    name: "こんそーる銀行（E2E）",
    nameEn: "Console Bank (E2E)",
    kind: "BANK",
    approvedScopes: ["identity:verify", "webhooks:manage", "sandbox"],
  });
  partnerId = partner.id;
  await seedPartnerUser(prisma, { partnerId, email: OWNER.email, password: OWNER.password, displayName: "開発 太郎" });
});

test.afterAll(async () => {
  await prisma?.$disconnect();
});

async function loginPartner(page: Page): Promise<void> {
  await page.goto("/partner/login");
  await page.getByLabel("メールアドレス").fill(OWNER.email);
  await page.getByLabel("パスワード").fill(OWNER.password);
  await page.getByRole("button", { name: "ログインする" }).click();
  await expect(page).toHaveURL(/\/partner$/);
  await expect(page.getByTestId("partner-user-bar")).toContainText("開発 太郎");
}

/** Issues a credential in the console and returns what the one-time panel showed. */
async function issueCredential(page: Page, scopes: string[]): Promise<{ clientId: string; clientSecret: string }> {
  await page.goto("/partner/credentials");
  const form = page.getByTestId("create-credential-form");
  for (const s of scopes) await form.getByRole("checkbox", { name: s }).check();
  await form.getByRole("button", { name: "発行する" }).click();
  const once = page.getByTestId("secret-once");
  await expect(once).toBeVisible();
  return {
    clientId: (await once.getByTestId("secret-once-id").textContent())!.trim(),
    clientSecret: (await once.getByTestId("secret-once-value").textContent())!.trim(),
  };
}

test("[PARTNER][LOGIN]: a wrong password is refused with a clear error; the right one opens the console; logout ends it", async ({
  page,
  seriousA11yViolations,
}) => {
  await page.goto("/partner/credentials");
  await expect(page.getByRole("heading", { name: "パートナーとしてログインしてください" })).toBeVisible();
  await page.getByRole("link", { name: "パートナーログインへ" }).click();
  await expect(page).toHaveURL(/\/partner\/login$/);
  await page.getByLabel("メールアドレス").fill(OWNER.email);
  await page.getByLabel("パスワード").fill("wrong-password");
  await page.getByRole("button", { name: "ログインする" }).click();
  const summary = page.locator("[data-error-summary]");
  await expect(summary).toHaveAttribute("data-error-code", "PARTNER_LOGIN_INVALID");
  await expect(summary).toContainText("メールアドレスまたはパスワードが正しくありません");
  await expect(summary).toBeFocused();
  expect(await seriousA11yViolations(page)).toEqual([]);

  await loginPartner(page);
  const failed = await prisma.auditEvent.count({ where: { type: "auth.login_failed", actorId: partnerId } });
  expect(failed).toBeGreaterThanOrEqual(1);
  await page.getByTestId("partner-logout").click();
  await expect(page).toHaveURL(/\/partner\/login$/);
  await page.goto("/partner/credentials");
  await expect(page.getByRole("heading", { name: "パートナーとしてログインしてください" })).toBeVisible();
});

test("[PARTNER][CREDENTIALS]: a credential is issued with its secret shown once, works over HTTP, is rotated and revoked", async ({
  page,
  request,
  seriousA11yViolations,
}) => {
  await loginPartner(page);
  const first = await issueCredential(page, ["webhooks:manage"]);
  expect(first.clientId).toMatch(/^ich_test_/);
  expect(first.clientSecret).toMatch(/^ich_secret_/);
  expect(await seriousA11yViolations(page)).toEqual([]);
  const call = (c: { clientId: string; clientSecret: string }) =>
    request.get("/api/v1/webhook-endpoints", { headers: { authorization: basic(c.clientId, c.clientSecret) } });
  expect((await call(first)).status()).toBe(200);

  // Shown once: after a reload the secret is nowhere on the page, only its last four characters.
  await page.reload();
  await expect(page.getByTestId("secret-once")).toHaveCount(0);
  expect(await page.content()).not.toContain(first.clientSecret);
  const row = page.locator(`tr[data-client-id="${first.clientId}"]`);
  await expect(row).toContainText(`…${first.clientSecret.slice(-4)}`);
  await expect(row).toHaveAttribute("data-status", "active");

  // Rotate with no grace period: a new credential; the old one stops at once.
  await row.getByRole("button", { name: `${first.clientId} をローテーション` }).click();
  await row.getByLabel("猶予期間").selectOption("0");
  await row.getByRole("button", { name: "切り替える" }).click();
  // The new secret appears above the table at its full width, not in the row's actions cell, and
  // takes the focus.
  const once = page.getByTestId("rotated-secret-slot").getByTestId("secret-once");
  await expect(once).toBeVisible();
  await expect(once).toBeFocused();
  await expect(row.getByTestId("secret-once")).toHaveCount(0);
  expect((await once.boundingBox())!.width, "the notice spans the content column (1280 px viewport)").toBeGreaterThan(
    600,
  );
  const second = {
    clientId: (await once.getByTestId("secret-once-id").textContent())!.trim(),
    clientSecret: (await once.getByTestId("secret-once-value").textContent())!.trim(),
  };
  expect(second.clientId).not.toBe(first.clientId);
  const old = await call(first);
  expect(old.status()).toBe(401);
  expect(((await old.json()) as { error: { code: string } }).error.code).toBe("PARTNER_CREDENTIAL_EXPIRED");
  expect((await call(second)).status()).toBe(200);

  // Revoke the new one after confirming.
  await page.reload();
  const row2 = page.locator(`tr[data-client-id="${second.clientId}"]`);
  await row2.getByRole("button", { name: `${second.clientId} を失効` }).click();
  await expect(row2.getByText("この認証情報を失効させますか")).toBeFocused();
  await row2.getByRole("button", { name: "失効させる" }).click();
  await expect(row2).toHaveAttribute("data-status", "revoked");
  const revoked = await call(second);
  expect(revoked.status()).toBe(401);
  expect(((await revoked.json()) as { error: { code: string } }).error.code).toBe("PARTNER_CREDENTIAL_REVOKED");
  const types = (
    await prisma.auditEvent.findMany({
      where: {
        actorType: "partner",
        actorId: partnerId,
        channel: "console",
        type: { startsWith: "partner.credential" },
      },
      select: { type: true },
    })
  ).map((e) => e.type);
  expect(types).toEqual(
    expect.arrayContaining(["partner.credential_created", "partner.credential_rotated", "partner.credential_revoked"]),
  );
});

test("[PARTNER][SCOPES]: the partner requests change:watch; a staff member approves it in /admin/partners after a card login", async ({
  page,
  browser,
  seriousA11yViolations,
}) => {
  await loginPartner(page);
  await page.goto("/partner/credentials");
  const form = page.getByTestId("scope-request-form");
  await form.getByRole("checkbox", { name: "change:watch" }).check();
  await form.getByLabel("利用目的").fill("口座名義人の住所変更を把握するため");
  await form.getByRole("button", { name: "申請する" }).click();
  await expect(page.getByTestId("scope-request-done")).toBeVisible();
  await expect(page.getByTestId("scope-requests").locator('tr[data-status="PENDING"]')).toContainText("change:watch");

  // A staff member logs in with their card (the test agent) in another browser.
  const staffContext = await browser.newContext({ ignoreHTTPSErrors: true, locale: "ja-JP" });
  const staff = await staffContext.newPage();
  try {
    const { residents } = readCardWorld();
    await staff.goto(LOGIN_PATH);
    await staff.getByTestId("card-login-start").click();
    const chooser = staff.locator('[data-login-state="choose-card"]');
    await expect(chooser).toBeVisible({ timeout: 20_000 });
    await chooser
      .getByRole("button", { name: new RegExp(`^${residents.staff.cardName.replace(/[()]/g, "\\$&")}`) })
      .click();
    await expect(staff).toHaveURL(/\/mailbox$/, { timeout: 30_000 });
    await staff.goto("/admin/partners");
    const pending = staff.locator('tr[data-partner-slug="e2e-console-bank"]');
    await expect(pending).toContainText("change:watch");
    await expect(pending).toContainText("口座名義人の住所変更を把握するため");
    expect(await seriousA11yViolations(staff)).toEqual([]);
    await pending.getByRole("button", { name: "こんそーる銀行（E2E） の申請を承認" }).click();
    await expect(pending).toHaveCount(0);
    await expect(staff.locator(`tr[data-partner-id="${partnerId}"]`)).toContainText("change:watch");
  } finally {
    await staffContext.close();
  }

  await page.reload();
  await expect(page.getByTestId("approved-scopes")).toContainText("change:watch");
  await expect(page.getByTestId("scope-requests").locator('tr[data-status="APPROVED"]')).toContainText("change:watch");
  const decided = await prisma.auditEvent.findFirst({ where: { type: "partner.scope_decided", actorType: "staff" } });
  expect(decided?.data).toMatchObject({ partnerId, decision: "APPROVED", scopes: ["change:watch"] });
});

test("[PARTNER][WEBHOOKS]: endpoints are registered (http refused in production), a dead letter shows in the log and is replayed to a real receiver", async ({
  page,
  seriousA11yViolations,
}) => {
  let receiver: TWebhookReceiver | undefined;
  try {
    receiver = await startWebhookReceiver();
    await loginPartner(page);
    await page.goto("/partner/webhooks");
    const form = page.getByTestId("create-endpoint-form");
    // The server runs in production mode: a plain-http receiver is refused with its code.
    await form.getByLabel("受信URL").fill(receiver.url);
    await form.getByRole("button", { name: "登録する" }).click();
    await expect(page.locator('[data-error-code="WEBHOOK_URL_INVALID"]')).toBeVisible();
    // The host name is resolved at registration: a name that cannot exist (.invalid, RFC 6761)
    // is refused with its code and message. (Private answers pass here: the e2e server has
    // PLATFORM_WEBHOOK_ALLOW_PRIVATE; lib/platform/webhooks tests cover the refusal.)
    await form.getByLabel("受信URL").fill("https://hooks.e2e-console-bank.invalid/ichimai");
    await form.getByRole("button", { name: "登録する" }).click();
    await expect(page.locator('[data-error-code="WEBHOOK_HOST_UNRESOLVABLE"]')).toContainText(
      "ホスト名を名前解決できませんでした",
      { timeout: 15_000 },
    );
    // e2e has no DNS: a literal address registers (the e2e server allows non-public receivers).
    await form.getByLabel("受信URL").fill("https://203.0.113.10/e2e-console-bank/ichimai");
    await form.getByRole("checkbox", { name: "certificate.revoked" }).check();
    await form.getByRole("button", { name: "登録する" }).click();
    await expect(page.getByTestId("secret-once-value")).toContainText("whsec_");
    await expect(page.getByTestId("endpoints-table")).toContainText("https://203.0.113.10/e2e-console-bank/ichimai");
    expect(await seriousA11yViolations(page)).toEqual([]);

    // The receiver on 127.0.0.1 (registered as a second app server would, with http allowed for
    // this worker only) is down: one attempt fails and the delivery is dead-lettered.
    const ctx = {
      prisma,
      signTrustAnchors: [],
      jlis: createJlisClient({ baseUrl: "http://127.0.0.1:9/jlis" }),
      webhooks: { ...DEFAULT_WEBHOOK_SETTINGS, allowHttp: true, maxAttempts: 1 },
    } satisfies TPlatformContext;
    const { endpoint, secret } = await createWebhookEndpoint(ctx, {
      partnerId,
      mode: "LIVE",
      request: { url: receiver.url },
    });
    receiver.setSecret(secret);
    receiver.reset(() => 503);
    const { deliveryIds } = await prisma.$transaction((tx) =>
      enqueueWebhookEvent(tx, {
        partnerId,
        mode: "LIVE",
        type: "webhook.test",
        data: { from: "e2e console" },
        now: new Date(),
      }),
    );
    const mine = deliveryIds.length;
    expect(mine).toBe(1); // the https endpoint takes only certificate.revoked
    await dispatchWebhookDeliveries(ctx);

    await page.goto("/partner/webhooks");
    await page.getByRole("link", { name: `${endpoint.url} の配信ログ` }).click();
    const row = page.locator(`tr[data-delivery-id="${deliveryIds[0]}"]`);
    await expect(row).toHaveAttribute("data-status", "dead");
    await expect(row).toContainText("HTTP 503");
    await expect(row).toContainText("WEBHOOK_RECEIVER_REJECTED");
    expect(await seriousA11yViolations(page)).toEqual([]);

    receiver.reset(() => 204);
    await row.getByRole("button", { name: `${deliveryIds[0]} を再送` }).click();
    const [got] = await receiver.waitFor(1, 10_000);
    expect(got).toMatchObject({
      id: deliveryIds[0],
      verified: { type: "webhook.test", data: { from: "e2e console" } },
    });
    await expect(row).toHaveAttribute("data-status", "delivered");
    expect(
      (await prisma.webhookDelivery.findUniqueOrThrow({ where: { id: deliveryIds[0]! }, select: { status: true } }))
        .status,
    ).toBe("DELIVERED");
    expect(endpoint.active).toBe(true);
  } finally {
    await receiver?.close();
  }
});

test("[PARTNER][USAGE]: real API calls with a created credential show in the usage page; over the limit is 429 with Retry-After", async ({
  page,
  request,
  seriousA11yViolations,
}) => {
  await loginPartner(page);
  const cred = await issueCredential(page, ["webhooks:manage"]);
  for (let i = 0; i < 3; i++) {
    const r = await request.get("/api/v1/webhook-endpoints", {
      headers: { authorization: basic(cred.clientId, cred.clientSecret) },
    });
    expect(r.status()).toBe(200);
  }
  const slow = await seedPartnerCredential(prisma, {
    partnerId,
    clientId: "ich_test_e2e0console0slow01",
    clientSecret: "ich_secret_e2e-console-slow-0123456789",
    scopes: ["webhooks:manage"],
    rateLimit: 2,
  });
  const statuses: number[] = [];
  let retryAfter: string | undefined;
  for (let i = 0; i < 3; i++) {
    const r = await request.get("/api/v1/webhook-endpoints", {
      headers: { authorization: basic(slow.credential.clientId, slow.clientSecret) },
    });
    statuses.push(r.status());
    if (r.status() === 429) {
      retryAfter = r.headers()["retry-after"];
      expect(((await r.json()) as { error: { code: string } }).error.code).toBe("RATE_LIMITED");
    }
  }
  // The three calls may straddle a minute boundary; then the window resets and all pass.
  if (statuses[2] === 429) expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
  else expect(statuses).toEqual([200, 200, 200]);

  await page.goto("/partner/usage");
  await expect(
    page.locator(`[data-testid="usage-totals"] tr[data-client-id="${cred.clientId}"] [data-testid="usage-total"]`),
  ).toHaveText("3");
  await expect(
    page.locator(
      `[data-testid="usage-totals"] tr[data-client-id="${slow.credential.clientId}"] [data-testid="usage-total"]`,
    ),
  ).toHaveText("3");
  await expect(page.getByTestId("usage-hourly")).toContainText(cred.clientId);
  expect(await seriousA11yViolations(page)).toEqual([]);
});

test("[PARTNER][DOCUMENTS]: the partner's documents by status, 20 a page", async ({ page, seriousA11yViolations }) => {
  const resident = await seedResident(prisma, { registryNumber: "E2E-CONSOLE-DOCS" });
  const existing = await prisma.mailboxDocument.count({ where: { issuerPartnerId: partnerId } });
  if (existing === 0) {
    for (let i = 0; i < 23; i++) {
      await prisma.mailboxDocument.create({
        data: {
          residentId: resident.id,
          issuerPartnerId: partnerId,
          type: "notice",
          domain: "municipal",
          payload: { i },
          payloadHash: "0".repeat(64),
          signature: new Uint8Array([1]),
          verificationReport: {},
          signatureValid: true,
          searchText: "",
          createdAt: new Date(Date.now() - (30 - i) * 60_000),
          ...(i === 22 ? { readAt: new Date() } : {}),
        },
      });
    }
  }
  await loginPartner(page);
  await page.goto("/partner/documents");
  const table = page.getByTestId("documents-table");
  await expect(table.locator("tbody tr")).toHaveCount(20);
  await expect(table.locator("caption")).toContainText("全23件");
  expect(await seriousA11yViolations(page)).toEqual([]);
  await page.getByRole("navigation", { name: "ページ" }).getByRole("link", { name: "次のページ" }).click();
  await expect(table.locator("tbody tr")).toHaveCount(3);
  await page.getByLabel("状態").selectOption("opened");
  await page.getByRole("button", { name: "この条件で表示" }).click();
  await expect(page).toHaveURL(/status=opened/);
  await expect(table.locator("tbody tr")).toHaveCount(1);
  await expect(table.locator('tbody tr[data-status="opened"]')).toHaveCount(1);
  await page.getByLabel("状態").selectOption("expired");
  await page.getByRole("button", { name: "この条件で表示" }).click();
  await expect(page.getByText("この条件に合う書類はありません")).toBeVisible();
});

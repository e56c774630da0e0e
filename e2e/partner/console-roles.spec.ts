/**
 * Console roles, as a partner's owner and developer meet them: the owner adds a developer on the
 * users page (initial password shown once), the developer logs in and sees credentials without
 * any issue/rotate/revoke or scope-request control but registers a webhook, and when the owner
 * deactivates the developer, the developer's open session ends on its next request. Last, the
 * owner changes their own password: a wrong current password is refused on its field, and after
 * the change the owner's other session ends while this one stays logged in. Then the owner
 * reactivates the developer and resets the developer's password: the new one is shown once, the
 * developer's open session ends, and only the new password logs in.
 */
import "reflect-metadata";
import type { Browser, Page } from "@playwright/test";
import { createPrismaClient, type PrismaClient } from "../../lib/db/client";
import { databaseReady } from "../../lib/db/connection";
import { parseEnv } from "../../lib/env";
import { seedPartner, seedPartnerCredential, seedPartnerUser } from "../../prisma/seed/factories";
import { expect, test } from "../fixtures";
import { E2E_DATABASE_ENV } from "../fixtures/card";

// Each test logs in (scrypt) twice, runs axe and several server actions on a shared 2-core machine.
test.describe.configure({ timeout: 120_000, mode: "serial" });

const SLUG = "e2e-roles-bank";
const OWNER = { email: `owner@${SLUG}.example.jp`, password: "e2e-roles-owner-password", name: "管理 一郎" };
const DEV = { email: `dev@${SLUG}.example.jp`, name: "開発 二郎" };
const LOGIN_PROMPT = "パートナーとしてログインしてください";
const OWNER_NEW_PASSWORD = "e2e-roles-owner-password-changed";

let prisma: PrismaClient;
let partnerId: string;
let clientId: string;
let devPassword = "";

test.beforeAll(async () => {
  const config = parseEnv({ ...E2E_DATABASE_ENV });
  const { url } = await databaseReady(config);
  prisma = createPrismaClient(url);
  const partner = await seedPartner(prisma, {
    slug: SLUG,
    name: "ろーる銀行（E2E）",
    nameEn: "Roles Bank (E2E)",
    kind: "BANK",
    approvedScopes: ["identity:verify", "webhooks:manage", "sandbox"],
  });
  partnerId = partner.id;
  await seedPartnerUser(prisma, {
    partnerId,
    email: OWNER.email,
    password: OWNER.password,
    displayName: OWNER.name,
    role: "OWNER",
  });
  ({
    credential: { clientId },
  } = await seedPartnerCredential(prisma, { partnerId, scopes: ["webhooks:manage"] }));
});

test.afterAll(async () => {
  await prisma?.$disconnect();
});

async function login(page: Page, email: string, password: string, name: string): Promise<void> {
  await page.goto("/partner/login");
  await page.getByLabel("メールアドレス").fill(email);
  await page.getByLabel("パスワード").fill(password);
  await page.getByRole("button", { name: "ログインする" }).click();
  await expect(page).toHaveURL(/\/partner$/);
  await expect(page.getByTestId("partner-user-bar")).toContainText(name);
}

/** The login form refuses `password` for `email` with the one code for any wrong login. */
async function expectLoginRefused(page: Page, email: string, password: string): Promise<void> {
  await page.goto("/partner/login");
  await page.getByLabel("メールアドレス").fill(email);
  await page.getByLabel("パスワード").fill(password);
  await page.getByRole("button", { name: "ログインする" }).click();
  await expect(page.locator("[data-error-summary]")).toHaveAttribute("data-error-code", "PARTNER_LOGIN_INVALID");
}

async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ locale: "ja-JP", timezoneId: "Asia/Tokyo" });
  return context.newPage();
}

test("[PARTNER][USERS]: the owner adds a developer on the users page; errors are announced; the password is shown once", async ({
  page,
  seriousA11yViolations,
}) => {
  await login(page, OWNER.email, OWNER.password, OWNER.name);
  await page
    .getByRole("navigation", { name: "パートナーメニュー" })
    .getByRole("link", { name: "ユーザー管理" })
    .click();
  await expect(page).toHaveURL(/\/partner\/users$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("ユーザー管理");
  const ownerRow = page.locator(`tr[data-email="${OWNER.email}"]`);
  await expect(ownerRow).toContainText("（あなた）");
  // The only owner: no demote or deactivate control, only the reason.
  await expect(ownerRow).toContainText("最後の管理者のため");
  await expect(ownerRow.getByRole("button")).toHaveCount(0);
  expect(await seriousA11yViolations(page)).toEqual([]);

  // An empty submit: a focused error summary linking to each field; the fields are marked invalid.
  const form = page.getByTestId("add-user-form");
  await form.getByRole("button", { name: "追加する" }).click();
  const summary = page.locator("[data-error-summary]");
  await expect(summary).toBeFocused();
  await expect(summary).toHaveAttribute("data-error-code", "VALIDATION_FAILED");
  await expect(summary.getByRole("link", { name: "メールアドレスを入力してください。" })).toHaveAttribute(
    "href",
    "#user-email",
  );
  await expect(summary.getByRole("link", { name: "氏名を入力してください。" })).toBeVisible();
  await expect(form.getByLabel("メールアドレス")).toHaveAttribute("aria-invalid", "true");
  await expect(form.getByLabel("メールアドレス")).toHaveAccessibleDescription(/メールアドレスを入力してください/);
  expect(await seriousA11yViolations(page)).toEqual([]);

  // A password of one's own that is too short is refused on that field, keeping what was typed.
  await form.getByLabel("メールアドレス").fill(DEV.email);
  await form.getByLabel("氏名").fill(DEV.name);
  await form.getByRole("radio", { name: "自分で決める" }).check();
  await form.getByLabel("パスワード", { exact: true }).fill("short");
  await form.getByRole("button", { name: "追加する" }).click();
  await expect(summary.getByRole("link", { name: "パスワードは12文字以上で入力してください。" })).toBeVisible();
  await expect(form.getByLabel("メールアドレス")).toHaveValue(DEV.email);

  // A generated password instead: shown once, with the e-mail address it belongs to.
  await form.getByRole("radio", { name: /自動で作る/ }).check();
  await expect(form.getByRole("radio", { name: "開発者（DEVELOPER）" })).toBeChecked();
  await form.getByRole("button", { name: "追加する" }).click();
  await expect(page.getByTestId("add-user-status")).toHaveText(`${DEV.email} を追加しました。`);
  const once = page.getByTestId("secret-once");
  await expect(once.getByTestId("secret-once-id")).toHaveText(DEV.email);
  devPassword = (await once.getByTestId("secret-once-value").textContent())!.trim();
  expect(devPassword).toMatch(/^[A-Za-z0-9_-]{20}$/);
  const devRow = page.locator(`tr[data-email="${DEV.email}"]`);
  await expect(devRow).toHaveAttribute("data-role", "DEVELOPER");
  expect(await seriousA11yViolations(page)).toEqual([]);

  // The same address again is refused on the e-mail field.
  await form.getByLabel("メールアドレス").fill(DEV.email.toUpperCase());
  await form.getByLabel("氏名").fill("重複");
  await form.getByRole("button", { name: "追加する" }).click();
  await expect(summary).toHaveAttribute("data-error-code", "PARTNER_USER_EMAIL_TAKEN");

  await page.reload();
  await expect(page.getByTestId("secret-once")).toHaveCount(0);
  expect(await page.content()).not.toContain(devPassword);
  const added = await prisma.auditEvent.findFirstOrThrow({
    where: { type: "partner.user_changed", actorId: partnerId },
  });
  expect(added).toMatchObject({ channel: "console" });
  expect(added.data).toMatchObject({ operation: "user_created", email: DEV.email, role: "DEVELOPER" });
  expect(JSON.stringify(added.data)).not.toContain(devPassword);
});

test("[PARTNER][ROLES]: the developer sees no issue, rotate, revoke or scope-request control, but registers a webhook", async ({
  page,
  seriousA11yViolations,
}) => {
  expect(devPassword).not.toBe("");
  await login(page, DEV.email, devPassword, DEV.name);

  await page.goto("/partner/credentials");
  await expect(page.getByTestId("owner-only-notice")).toContainText("管理者（OWNER）だけが行えます");
  await expect(page.locator(`tr[data-client-id="${clientId}"]`)).toHaveAttribute("data-status", "active");
  await expect(page.getByTestId("create-credential-form")).toHaveCount(0);
  await expect(page.getByTestId("scope-request-form")).toHaveCount(0);
  await expect(page.getByRole("button", { name: /ローテーション|失効|発行する|申請する/ })).toHaveCount(0);
  expect(await seriousA11yViolations(page)).toEqual([]);

  await page.goto("/partner/users");
  await expect(page.getByTestId("your-role")).toHaveText("あなたの役割：開発者（DEVELOPER）");
  await expect(page.getByTestId("owner-only-notice")).toBeVisible();
  await expect(page.getByTestId("add-user-form")).toHaveCount(0);
  await expect(page.getByTestId("users-table").getByRole("button")).toHaveCount(0);
  await expect(page.getByTestId("users-table")).toContainText(OWNER.email);
  expect(await seriousA11yViolations(page)).toEqual([]);

  await page.goto("/partner/webhooks");
  const form = page.getByTestId("create-endpoint-form");
  // The host is resolved at registration and e2e has no DNS: a public literal (TEST-NET-3) address.
  await form.getByLabel("受信URL").fill(`https://203.0.113.20/${SLUG}/dev`);
  await form.getByRole("button", { name: "登録する" }).click();
  await expect(page.getByTestId("secret-once-value")).toContainText("whsec_");
  await expect(page.getByTestId("endpoints-table")).toContainText(`https://203.0.113.20/${SLUG}/dev`);
  const devUser = await prisma.partnerUser.findUniqueOrThrow({ where: { email: DEV.email } });
  const changed = await prisma.auditEvent.findFirstOrThrow({
    where: { type: "partner.webhook_changed", actorId: partnerId },
    orderBy: { seq: "desc" },
  });
  expect(changed.data).toMatchObject({ operation: "webhook_endpoint_created", partnerUserId: devUser.id });
  expect(await prisma.auditEvent.count({ where: { type: "partner.console_action_refused", actorId: partnerId } })).toBe(
    0,
  );
});

test("[PARTNER][USERS]: the owner deactivates the developer, whose open session ends on its next request", async ({
  page,
  browser,
}) => {
  const devPage = await newPage(browser);
  try {
    await login(devPage, DEV.email, devPassword, DEV.name);
    await login(page, OWNER.email, OWNER.password, OWNER.name);
    await page.goto("/partner/users");
    const devRow = page.locator(`tr[data-email="${DEV.email}"]`);
    await devRow.getByRole("button", { name: `${DEV.email} を無効にする` }).click();
    await expect(devRow.getByText("このユーザーを無効にしますか")).toBeFocused();
    await devRow.getByRole("button", { name: "無効にする", exact: true }).click();
    await expect(devRow).toHaveAttribute("data-active", "false");
    await expect(devRow.getByTestId("user-status")).toHaveText("無効");

    await devPage.goto("/partner/credentials");
    await expect(devPage.getByRole("heading", { name: LOGIN_PROMPT })).toBeVisible();
    await expectLoginRefused(devPage, DEV.email, devPassword);

    const ops = await prisma.auditEvent.findMany({
      where: { type: "partner.user_changed", actorId: partnerId },
      orderBy: { seq: "asc" },
    });
    expect(ops.map((e) => (e.data as { operation: string }).operation)).toEqual(["user_created", "user_deactivated"]);
  } finally {
    await devPage.context().close();
  }
});

test("[PARTNER][PASSWORD]: the owner changes their password; a wrong current one is refused and counted; the other session ends, this one stays", async ({
  page,
  browser,
  seriousA11yViolations,
}) => {
  const otherPage = await newPage(browser);
  try {
    await login(otherPage, OWNER.email, OWNER.password, OWNER.name);
    await login(page, OWNER.email, OWNER.password, OWNER.name);
    await page.getByTestId("partner-user-bar").getByRole("link", { name: "パスワード変更" }).click();
    await expect(page).toHaveURL(/\/partner\/password$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("パスワード変更");

    // A wrong current password, submitted from the keyboard: a focused summary, the field marked and described.
    const form = page.getByTestId("change-password-form");
    const current = form.getByLabel("現在のパスワード");
    await current.fill("not-the-owner-password");
    await form.getByLabel("新しいパスワード", { exact: true }).fill(OWNER_NEW_PASSWORD);
    await form.getByLabel("新しいパスワード（確認）").fill(OWNER_NEW_PASSWORD);
    await form.getByLabel("新しいパスワード（確認）").press("Enter");
    const summary = page.locator("[data-error-summary]");
    await expect(summary).toBeFocused();
    await expect(summary).toHaveAttribute("data-error-code", "PARTNER_PASSWORD_CURRENT_INVALID");
    await expect(current).toHaveAttribute("aria-invalid", "true");
    await expect(current).toHaveAccessibleDescription(/現在のパスワードが正しくありません/);
    expect(await seriousA11yViolations(page)).toEqual([]);
    const owner = await prisma.partnerUser.findUniqueOrThrow({ where: { email: OWNER.email } });
    expect(owner).toMatchObject({ failedLogins: 1, sessionVersion: 0 });

    await current.fill(OWNER.password);
    await form.getByRole("button", { name: "パスワードを変更する" }).click();
    await expect(page.getByTestId("change-password-status")).toHaveText(/パスワードを変更しました/);
    await expect(current).toHaveValue("");

    // This browser stays logged in; the other one is logged out on its next request.
    await page.goto("/partner/users");
    await expect(page.getByTestId("users-table")).toBeVisible();
    await otherPage.goto("/partner/credentials");
    await expect(otherPage.getByRole("heading", { name: LOGIN_PROMPT })).toBeVisible();
    await login(otherPage, OWNER.email, OWNER_NEW_PASSWORD, OWNER.name);

    const changed = await prisma.auditEvent.findFirstOrThrow({
      where: { type: "partner.password_changed", actorId: partnerId },
    });
    expect(changed).toMatchObject({ channel: "console", data: { partnerUserId: owner.id } });
    expect(await prisma.partnerUser.findUniqueOrThrow({ where: { id: owner.id } })).toMatchObject({
      failedLogins: 0,
      sessionVersion: 1,
    });
  } finally {
    await otherPage.context().close();
  }
});

test("[PARTNER][PASSWORD_RESET]: the owner reactivates the developer and resets their password; shown once, the developer's session ends, only the new password works", async ({
  page,
  browser,
  seriousA11yViolations,
}) => {
  const devPage = await newPage(browser);
  try {
    await login(page, OWNER.email, OWNER_NEW_PASSWORD, OWNER.name);
    await page.goto("/partner/users");
    const devRow = page.locator(`tr[data-email="${DEV.email}"]`);
    await devRow.getByRole("button", { name: `${DEV.email} を有効にする` }).click();
    await expect(devRow).toHaveAttribute("data-active", "true");
    await login(devPage, DEV.email, devPassword, DEV.name);

    // The owner's own row offers the change page, never a reset.
    const ownerRow = page.locator(`tr[data-email="${OWNER.email}"]`);
    await expect(ownerRow.getByRole("button", { name: /パスワードを再設定/ })).toHaveCount(0);
    await expect(ownerRow.getByRole("link", { name: /パスワード/ })).toHaveAttribute("href", "/partner/password");

    await devRow.getByRole("button", { name: `${DEV.email} のパスワードを再設定` }).click();
    await expect(devRow.getByText("パスワードを再設定しますか")).toBeFocused();
    await devRow.getByRole("button", { name: "再設定する", exact: true }).click();
    await expect(devRow.getByRole("status").filter({ hasText: "再設定" })).toHaveText(
      `${DEV.email} のパスワードを再設定しました。`,
    );
    const shown = devRow.getByTestId("secret-once-value");
    await expect(shown).toBeVisible();
    const newPassword = (await shown.textContent())?.trim() ?? "";
    expect(newPassword.length).toBeGreaterThanOrEqual(16);
    expect(newPassword).not.toBe(devPassword);
    expect(await seriousA11yViolations(page)).toEqual([]);
    // Shown once: a reload shows it no more.
    await page.reload();
    await expect(page.getByTestId("secret-once-value")).toHaveCount(0);

    // The developer's open session ends on its next request; the old password no longer works.
    await devPage.goto("/partner/credentials");
    await expect(devPage.getByRole("heading", { name: LOGIN_PROMPT })).toBeVisible();
    await expectLoginRefused(devPage, DEV.email, devPassword);
    await login(devPage, DEV.email, newPassword, DEV.name);

    const dev = await prisma.partnerUser.findUniqueOrThrow({ where: { email: DEV.email } });
    const reset = await prisma.auditEvent.findFirstOrThrow({
      where: { type: "partner.user_changed", actorId: partnerId },
      orderBy: { seq: "desc" },
    });
    expect(reset).toMatchObject({ channel: "console", data: { operation: "password_reset", targetUserId: dev.id } });
    expect(JSON.stringify(reset.data)).not.toContain(newPassword);
  } finally {
    await devPage.context().close();
  }
});

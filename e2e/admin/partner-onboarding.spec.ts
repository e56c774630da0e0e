/**
 * Partner onboarding by hand: an administrator (the e2e staff card, ADMIN) registers a partner in
 * /admin/partners with a 法人番号 and the CSR of a key the partner generated; the partner CA issues
 * the organisation certificate; the owner follows the one-time invitation (no SMTP in e2e: staff
 * see the link once), sets a password and lands in the partner console. Then staff suspend the
 * partner and its owner can no longer log in.
 */
import "reflect-metadata";
import * as x509 from "@peculiar/x509";
import type { Page } from "@playwright/test";
import { createPrismaClient, type PrismaClient } from "../../lib/db/client";
import { databaseReady } from "../../lib/db/connection";
import { parseEnv } from "../../lib/env";
import { expect, test } from "../fixtures";
import { E2E_DATABASE_ENV, LOGIN_PATH, readCardWorld } from "../fixtures/card";

x509.cryptoProvider.set(globalThis.crypto);
test.use({ ignoreHTTPSErrors: true });
test.describe.configure({ timeout: 150_000 });

const SLUG = "e2e-onboard-credit";
const OWNER = { email: "owner@e2e-onboard-credit.example.jp", password: "onboarded-owner-pass-1" };

let prisma: PrismaClient;

test.beforeAll(async () => {
  const { url } = await databaseReady(parseEnv({ ...E2E_DATABASE_ENV }));
  prisma = createPrismaClient(url);
});
test.afterAll(async () => {
  await prisma?.$disconnect();
});

async function staffLogin(page: Page): Promise<void> {
  const { residents } = readCardWorld();
  await page.goto(LOGIN_PATH);
  await page.getByTestId("card-login-start").click();
  const chooser = page.locator('[data-login-state="choose-card"]');
  await expect(chooser).toBeVisible({ timeout: 20_000 });
  await chooser
    .getByRole("button", { name: new RegExp(`^${residents.staff.cardName.replace(/[()]/g, "\\$&")}`) })
    .click();
  await expect(page).toHaveURL(/\/mailbox$/, { timeout: 30_000 });
}

async function csrPem(): Promise<string> {
  const keys = (await globalThis.crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, [
    "sign",
    "verify",
  ])) as CryptoKeyPair;
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: "CN=onboarding",
    keys,
    signingAlgorithm: { name: "ECDSA", hash: "SHA-256" },
  });
  return csr.toString("pem");
}

test("[ADMIN][ONBOARDING]: staff register a partner (法人番号, CSR → certificate); the owner follows the invitation into the console; suspension ends it", async ({
  page,
  browser,
  seriousA11yViolations,
}) => {
  await staffLogin(page);
  await page.goto("/admin/partners");
  const form = page.getByTestId("register-partner-form");
  await form.getByLabel("名称（日本語）").fill("おんぼーど信用金庫（E2E）");
  await form.getByLabel("名称（英語）").fill("Onboard Shinkin (E2E)");
  await form.getByLabel("識別子（slug）").fill(SLUG);
  await form.getByLabel("種別").selectOption("BANK");
  await form.getByLabel("管理者の氏名").fill("登録 一郎");
  await form.getByLabel("管理者のメールアドレス").fill(OWNER.email);
  await form.getByLabel("組織の署名鍵の証明書署名要求（CSR、PEM）").fill(await csrPem());
  // A wrong check digit is refused on the field.
  await form.getByLabel("法人番号").fill("8000012050002");
  await form.getByRole("button", { name: "登録する" }).click();
  await expect(form.getByText("法人番号が正しくありません")).toBeVisible();
  await expect(form.getByLabel("法人番号")).toHaveAttribute("aria-invalid", "true");
  // 国税庁's own number, typed with a hyphen.
  await form.getByLabel("法人番号").fill("7-000012050002");
  await form.getByRole("button", { name: "登録する" }).click();
  const result = page.getByTestId("register-partner-result");
  await expect(result).toContainText("おんぼーど信用金庫（E2E） を登録しました。", { timeout: 30_000 });
  await expect(result).toContainText("組織の電子証明書を発行しました");
  const url = (await page.getByTestId("invitation-url").textContent())?.trim() ?? "";
  expect(url).toMatch(/\/partner\/invitation\/[A-Za-z0-9_-]{43}$/);
  expect(await seriousA11yViolations(page)).toEqual([]);

  const registration = await prisma.partnerRegistration.findFirstOrThrow({ where: { partner: { slug: SLUG } } });
  expect(registration.corporateNumber).toBe("7000012050002");
  expect(registration.certificateSerial).toMatch(/^[0-9a-f]+$/);

  // The owner, in their own browser.
  const ownerContext = await browser.newContext({ locale: "ja-JP" });
  const owner = await ownerContext.newPage();
  try {
    await owner.goto(url);
    await expect(owner.getByTestId("invitation-details")).toContainText("おんぼーど信用金庫（E2E）");
    await owner.getByLabel("新しいパスワード", { exact: true }).fill(OWNER.password);
    await owner.getByLabel("新しいパスワード（確認）").fill(OWNER.password);
    await owner.getByRole("button", { name: "パスワードを設定する" }).click();
    await expect(owner.getByTestId("invitation-accepted")).toBeVisible();
    await owner.getByRole("link", { name: "パートナーコンソールにログイン" }).click();
    await owner.getByLabel("メールアドレス").fill(OWNER.email);
    await owner.getByLabel("パスワード").fill(OWNER.password);
    await owner.getByRole("button", { name: "ログインする" }).click();
    await expect(owner).toHaveURL(/\/partner$/);
    await expect(owner.getByTestId("partner-user-bar")).toContainText("登録 一郎");
    // The link worked once.
    await owner.goto(url);
    await expect(owner.getByTestId("invitation-invalid")).toBeVisible();
  } finally {
    await ownerContext.close();
  }

  // Staff suspend the partner: its owner's login is refused.
  await page.reload();
  const row = page.locator(`tr[data-partner-id="${registration.partnerId}"]`);
  await row.getByLabel("停止の理由").fill("登録内容の確認中");
  await row.getByRole("button", { name: "おんぼーど信用金庫（E2E） の利用を停止" }).click();
  await expect(row.getByRole("button", { name: "おんぼーど信用金庫（E2E） の利用を再開" })).toBeVisible();
  const events = await prisma.auditEvent.findMany({
    where: { type: { in: ["partner.registered", "partner.invitation_accepted", "partner.status_changed"] } },
    orderBy: { seq: "asc" },
  });
  expect(events.map((e) => e.type)).toEqual(
    expect.arrayContaining(["partner.registered", "partner.invitation_accepted", "partner.status_changed"]),
  );
  const ownerAgain = await browser.newContext({ locale: "ja-JP" });
  try {
    const p = await ownerAgain.newPage();
    await p.goto("/partner/login");
    await p.getByLabel("メールアドレス").fill(OWNER.email);
    await p.getByLabel("パスワード").fill(OWNER.password);
    await p.getByRole("button", { name: "ログインする" }).click();
    await expect(p.locator('[data-error-code="PARTNER_LOGIN_INVALID"]')).toBeVisible();
    await expect(p).toHaveURL(/\/partner\/login/);
  } finally {
    await ownerAgain.close();
  }
});

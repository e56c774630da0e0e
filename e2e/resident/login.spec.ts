import type { Page } from "@playwright/test";
import { createPrismaClient } from "../../lib/db/client";
import { databaseReady } from "../../lib/db/connection";
import { parseEnv } from "../../lib/env";
import { E2E_DATABASE_ENV, LOGIN_PATH, readCardWorld, type TE2eCardRole } from "../fixtures/card";
import { expect, test } from "../fixtures";

// The test agent serves HTTPS with its own local CA; Chromium must accept it for the discovery
// fetch and the WSS socket (docs/card-agent-protocol.md#browser-and-node-clients).
test.use({ ignoreHTTPSErrors: true });

/** Start the card flow on /login and pick the card of `role` (the agent holds several). */
async function startLogin(page: Page, role: TE2eCardRole): Promise<void> {
  const { residents } = readCardWorld();
  await page.goto(LOGIN_PATH);
  await page.getByTestId("card-login-start").click();
  await pickCard(page, residents[role].cardName);
}

async function pickCard(page: Page, cardName: string): Promise<void> {
  const chooser = page.locator('[data-login-state="choose-card"]');
  await expect(chooser).toBeVisible({ timeout: 20_000 });
  await chooser.getByRole("button", { name: new RegExp(`^${cardName.replace(/[()]/g, "\\$&")}`) }).click();
}

async function sessionName(page: Page): Promise<string | undefined> {
  const session = (await (await page.request.get("/api/auth/session")).json()) as { user?: { name?: string } };
  return session.user?.name;
}

test("[LOGIN][CARD]: the soft token logs the resident in, lands in /mailbox, and logs out", async ({ page }) => {
  const { residents } = readCardWorld();
  const startedAt = new Date();
  await startLogin(page, "login");
  await expect(page).toHaveURL(/\/mailbox$/, { timeout: 30_000 });
  // `next start` reached directly writes the TCP peer into X-Forwarded-For; with the default
  // TRUSTED_PROXY_HOPS=1 that is the address the audit log records (lib/http/client-address.ts).
  const config = parseEnv({ ...E2E_DATABASE_ENV });
  const prisma = createPrismaClient((await databaseReady(config)).url);
  try {
    const loggedIn = await prisma.auditEvent.findFirst({
      where: {
        type: "auth.login_succeeded",
        subjectResidentId: residents.login.residentId,
        occurredAt: { gte: startedAt },
      },
      select: { ip: true },
    });
    expect(loggedIn?.ip).toBe("127.0.0.1");
  } finally {
    await prisma.$disconnect();
  }
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("私書箱");
  await expect(page.getByRole("heading", { name: "ログインしてください" })).toHaveCount(0);
  expect(await sessionName(page)).toBe(residents.login.displayName);
  await expect(page.getByTestId("signed-in-as")).toHaveText(`${residents.login.displayName} さんがログイン中`);
  // Change verification's notice: which partners were told that the signing certificate was revoked.
  await expect(page.getByTestId("resident-notices")).toContainText("お知らせした事業者: 一枚健康保険組合");

  // Log out again (shared computers): the session is gone.
  await page.goto("/logout");
  await expect(page.getByText(`${residents.login.displayName} さんとしてログインしています`)).toBeVisible();
  await page.getByRole("main").getByTestId("logout").click();
  await expect(page).toHaveURL(/\/$/);
  expect(await sessionName(page)).toBeUndefined();
});

test("[LOGIN][PIN]: three wrong PINs lock the card, with the tries left shown each time", async ({ page }) => {
  const { residents } = readCardWorld();
  await startLogin(page, "wrongPin");
  const error = page.locator('[data-login-state="error"]');
  await expect(error).toHaveAttribute("data-error-code", "PIN_INCORRECT", { timeout: 20_000 });
  await expect(error.getByRole("alert")).toContainText("あと2回");
  await page.getByTestId("card-login-retry").click();
  await pickCard(page, residents.wrongPin.cardName);
  await expect(error).toHaveAttribute("data-error-code", "PIN_INCORRECT");
  await expect(error.getByRole("alert")).toContainText("あと1回");
  await page.getByTestId("card-login-retry").click();
  await pickCard(page, residents.wrongPin.cardName);
  await expect(error).toHaveAttribute("data-error-code", "PIN_LOCKED");
  await expect(error.getByRole("alert")).toContainText("暗証番号がロックされています");
  // Locked stays locked: the agent refuses without asking for a PIN.
  await page.getByTestId("card-login-retry").click();
  await pickCard(page, residents.wrongPin.cardName);
  await expect(error).toHaveAttribute("data-error-code", "PIN_LOCKED");
  expect(await sessionName(page)).toBeUndefined();
});

test("[LOGIN][REVOKED]: a card reported lost is refused after the OCSP check", async ({ page }) => {
  await startLogin(page, "revoked");
  const error = page.locator('[data-login-state="error"]');
  await expect(error).toHaveAttribute("data-error-code", "CERT_REVOKED", { timeout: 30_000 });
  await expect(error.getByRole("alert")).toContainText("失効しています");
  expect(await sessionName(page)).toBeUndefined();
});

test("[LOGIN][REPLAY]: the same signed token posted again is refused", async ({ page }) => {
  const posted: string[] = [];
  page.on("request", (r) => {
    if (r.method() === "POST" && r.url().includes("/api/auth/callback/card")) posted.push(r.postData() ?? "");
  });
  await startLogin(page, "replay");
  await expect(page).toHaveURL(/\/mailbox$/, { timeout: 30_000 });
  expect(posted).toHaveLength(1);
  const form = new URLSearchParams(posted[0]);
  const token = form.get("token");
  const nonce = form.get("nonce");
  expect(token && nonce).toBeTruthy();
  for (let i = 0; i < 2; i++) {
    const { csrfToken } = (await (await page.request.get("/api/auth/csrf")).json()) as { csrfToken: string };
    const res = await page.request.post("/api/auth/callback/card", {
      form: { token: token!, nonce: nonce!, csrfToken, json: "true" },
      headers: { origin: new URL(page.url()).origin },
    });
    const body = (await res.json()) as { url: string };
    expect(new URL(body.url).searchParams.get("error")).toBe("CHALLENGE_REPLAYED");
  }
});

test("[LOGIN][FIRST]: an unknown card is linked by a consent signed with the signing certificate", async ({ page }) => {
  const { residents } = readCardWorld();
  await startLogin(page, "firstLogin");
  const consent = page.locator('[data-login-state="consent"]');
  await expect(consent).toBeVisible({ timeout: 30_000 });
  await expect(consent).toContainText("住民記録に紐付け");
  await page.getByTestId("consent-agree").click();
  await expect(page).toHaveURL(/\/mailbox$/, { timeout: 30_000 });
  expect(await sessionName(page)).toBe(residents.firstLogin.displayName);
});

test("[LOGIN][QR]: a PC shows a QR code, a phone logs in with its card and approves, the PC completes", async ({
  page,
  browser,
}) => {
  const { residents } = readCardWorld();
  await page.goto("/login");
  await page.getByTestId("qr-login-start").click();
  const link = page.getByTestId("qr-url");
  await expect(link).toBeVisible();
  await expect(page.getByRole("img", { name: "スマートフォンで読み取るQRコード" })).toBeVisible();
  const url = new URL((await link.getAttribute("href"))!);
  const confirmation = await page.getByTestId("qr-confirmation").textContent();

  // The phone: another browser (its own cookies and agent pairing), logging in with its card.
  const phone = await browser.newContext({ ignoreHTTPSErrors: true, locale: "ja-JP", baseURL: url.origin });
  try {
    const p = await phone.newPage();
    await p.goto(`${url.pathname}?agent=${LOGIN_PATH.split("agent=")[1]}`);
    await expect(
      p.getByText("まず、このスマートフォンでマイナンバーカードを使ってログインしてください。"),
    ).toBeVisible();
    await p.getByTestId("card-login-start").click();
    await pickCard(p, residents.qr.cardName);
    await expect(p.locator('[data-qr-approve="ask"]')).toBeVisible({ timeout: 30_000 });
    await expect(p.getByText(confirmation!, { exact: true })).toBeVisible();
    await p.getByTestId("qr-approve").click();
    await expect(p.locator('[data-qr-approve="approved"]')).toBeVisible();
  } finally {
    await phone.close();
  }

  await expect(page).toHaveURL(/\/mailbox$/, { timeout: 20_000 });
  expect(await sessionName(page)).toBe(residents.qr.displayName);
});

import { LOGIN_PATH, readCardWorld } from "../fixtures/card";
import { expect, test } from "../fixtures";

test.use({ ignoreHTTPSErrors: true });

test("[LOGIN][PASSKEY]: a passkey registered after a card login re-enters, and personal pages demand the card (step-up)", async ({
  page,
  context,
}) => {
  const { residents } = readCardWorld();
  // Chromium's virtual authenticator (CTAP2, resident keys, user verification), via CDP.
  const cdp = await context.newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: {
      protocol: "ctap2",
      transport: "internal",
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });

  // 1. Card login, then register a passkey (allowed: a fresh card session).
  await page.goto(LOGIN_PATH);
  await page.getByTestId("card-login-start").click();
  const chooser = page.locator('[data-login-state="choose-card"]');
  await expect(chooser).toBeVisible({ timeout: 20_000 });
  await chooser
    .getByRole("button", { name: new RegExp(`^${residents.passkey.cardName.replace(/[()]/g, "\\$&")}`) })
    .click();
  await expect(page).toHaveURL(/\/mailbox$/, { timeout: 30_000 });
  await page.goto("/settings/passkeys");
  await page.getByTestId("passkey-register").click();
  await expect(page.getByTestId("passkey-list")).toContainText("passkey 1");

  // 2. Log out (drop every cookie), then back in with the passkey alone.
  await context.clearCookies();
  await page.goto("/login");
  await page.getByTestId("passkey-login").click();
  await expect(page).toHaveURL(/\/mailbox$/, { timeout: 20_000 });
  await expect(page.getByRole("heading", { name: "ログインしてください" })).toHaveCount(0);
  const session = (await (await page.request.get("/api/auth/session")).json()) as {
    user?: { name?: string };
    assurance?: string;
  };
  expect(session).toMatchObject({ user: { name: residents.passkey.displayName }, assurance: "passkey" });

  // 3. A personal-data page does not accept the passkey session: it asks for the card again.
  await page.goto("/settings/passkeys");
  await expect(page.locator('[data-step-up="required"]')).toBeVisible();
  await expect(page.getByTestId("passkey-register")).toHaveCount(0);
  const refused = await page.request.post("/api/auth/passkey/register/options");
  expect(refused.status()).toBe(401);
});

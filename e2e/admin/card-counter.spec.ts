import { expect, test } from "../fixtures";
import { E2E_BASE_URL, LOGIN_PATH, readCardWorld } from "../fixtures/card";
import { loginWithCard } from "../fixtures/card-login";
import { accessLogEntries, lookUpResidentAsStaff } from "../fixtures/staff-residents";

// The card agent serves HTTPS with its own local CA (docs/card-agent-protocol.md#browser-and-node-clients).
test.use({ ignoreHTTPSErrors: true });
// Three card logins (the locked card, staff, the resident) and server-rendered pages.
test.setTimeout(120_000);

test("[ADMIN][CARD_COUNTER][PIN_UNLOCK]: a card locked by three wrong PINs is refused; staff record the identity check and J-LIS's counter unlocks it; the resident then logs in with it and sees the unlock in her access log", async ({
  page,
  browser,
  seriousA11yViolations,
}) => {
  const { residents } = readCardWorld();
  const who = residents.pinLocked;

  // Locked (the card world locked it through the virtual card's own PIN check): the agent refuses.
  await page.goto(LOGIN_PATH);
  await page.getByTestId("card-login-start").click();
  const chooser = page.locator('[data-login-state="choose-card"]');
  await expect(chooser).toBeVisible({ timeout: 20_000 });
  await chooser.getByRole("button", { name: new RegExp(`^${who.cardName.replace(/[()]/g, "\\$&")}`) }).click();
  await expect(page.locator('[data-login-state="error"]')).toHaveAttribute("data-error-code", "PIN_LOCKED", {
    timeout: 20_000,
  });

  const staffContext = await browser.newContext({
    ignoreHTTPSErrors: true,
    locale: "ja-JP",
    timezoneId: "Asia/Tokyo",
    baseURL: E2E_BASE_URL,
  });
  const staff = await staffContext.newPage();
  await loginWithCard(staff, "staff");
  const found = await lookUpResidentAsStaff(staff, { name: who.displayName, purpose: "CARD_COUNTER" });
  expect(found.residentId).toBe(who.residentId);
  const form = staff.getByTestId("pin-unlock-form");
  await expect(form).toBeVisible();
  expect(await seriousA11yViolations(staff)).toEqual([]);
  // No PIN field anywhere on the record page: staff never type a resident's PIN.
  await expect(staff.locator('input[type="password"]')).toHaveCount(0);
  await form.getByTestId("pin-unlock-slot-auth").check();
  await form.locator("#pin-unlock-document").selectOption("DRIVERS_LICENSE");
  await form.getByTestId("pin-unlock-submit").click();
  await expect(form.getByTestId("pin-unlock-result")).toHaveAttribute("data-result", "pin_unlocked", {
    timeout: 20_000,
  });
  await staffContext.close();

  // The resident logs in with the same card, and sees the unlock with its purpose in her access log.
  await loginWithCard(page, "pinLocked");
  const lines = await accessLogEntries(page);
  expect(lines.find((l) => l.type === "resident.card_event")).toMatchObject({
    actorType: "staff",
    purpose: "マイナンバーカードの暗証番号のロック解除（利用者証明用電子証明書）",
  });
});

import { expect, test } from "../fixtures";
import { E2E_BASE_URL, readCardWorld } from "../fixtures/card";
import { loginWithCard } from "../fixtures/card-login";
import { accessLogEntries, lookUpResidentAsStaff } from "../fixtures/staff-residents";

// The card agent serves HTTPS with its own local CA (docs/card-agent-protocol.md#browser-and-node-clients).
test.use({ ignoreHTTPSErrors: true });
// Two card logins (staff, then the resident) and several server-rendered pages.
test.setTimeout(120_000);

test("[ADMIN][RESIDENTS][PURPOSE]: staff log in with the card, search a resident, open the record stating a purpose; the resident sees that look-up with the purpose in their access log", async ({
  page,
  browser,
  seriousA11yViolations,
}) => {
  const world = readCardWorld();
  const who = world.residents.login;
  const purposeText = `窓口での住民票の写しの請求 ${Date.now()}`;

  const staffContext = await browser.newContext({
    ignoreHTTPSErrors: true,
    locale: "ja-JP",
    timezoneId: "Asia/Tokyo",
    baseURL: E2E_BASE_URL,
  });
  const staff = await staffContext.newPage();
  await loginWithCard(staff, "staff");

  // Without a purpose the record does not open: the purpose form, and an incomplete purpose is refused.
  await staff.goto(`/admin/residents/${who.residentId}`);
  await expect(staff.getByTestId("purpose-form")).toBeVisible();
  await expect(staff.getByTestId("resident-record")).toHaveCount(0);
  expect(await seriousA11yViolations(staff)).toEqual([]);
  await staff.goto(`/admin/residents/${who.residentId}?purpose=OTHER`);
  await expect(staff.locator('[data-error-code="STAFF_PURPOSE_REQUIRED"]')).toBeVisible();
  await expect(staff.getByTestId("resident-record")).toHaveCount(0);

  const found = await lookUpResidentAsStaff(staff, {
    name: who.displayName,
    purpose: "CERTIFICATE_ISSUANCE",
    purposeText,
  });
  expect(found.residentId).toBe(who.residentId);
  expect(found.loggedPurpose).toBe(`証明書の交付：${purposeText}`);
  await expect(staff.getByRole("heading", { level: 1 })).toHaveText(who.displayName.replace(" ", "\u3000"));
  await expect(staff.getByTestId("record-facts")).toContainText("住民票コード");
  expect(await seriousA11yViolations(staff)).toEqual([]);
  await staffContext.close();

  // The resident: the staff look-up is in their access log, with the purpose.
  await loginWithCard(page, "login");
  const lines = await accessLogEntries(page);
  const lookUp = lines.find((l) => l.type === "staff.access" && l.purpose === found.loggedPurpose);
  expect(lookUp).toMatchObject({ actorType: "staff" });
});

test("[ADMIN][RESIDENTS][SEARCH]: the search asks for a criterion, says when nothing matches, and is keyboard operable", async ({
  browser,
}) => {
  const context = await browser.newContext({
    ignoreHTTPSErrors: true,
    locale: "ja-JP",
    timezoneId: "Asia/Tokyo",
    baseURL: E2E_BASE_URL,
  });
  const staff = await context.newPage();
  await loginWithCard(staff, "staff");
  await staff.goto("/admin/residents");
  await expect(staff.getByRole("heading", { name: "検索条件を入力してください" })).toBeVisible();
  await staff.locator("#search-name").focus();
  await staff.keyboard.type("存在しない名前");
  await staff.keyboard.press("Enter");
  await expect(staff.getByRole("heading", { name: "該当する住民はいません" })).toBeVisible();
  await context.close();
});

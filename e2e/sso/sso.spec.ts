import { expect, test } from "../fixtures";
import { loginWithCard } from "../fixtures/card-login";
import { readCardWorld } from "../fixtures/card";
import { loginToRp, logoutFromRp, startSsoRps, type TSsoRps } from "../fixtures/sso";

// The card agent serves HTTPS with its own local CA (docs/card-agent-protocol.md#browser-and-node-clients).
test.use({ ignoreHTTPSErrors: true });

let rps: TSsoRps;
test.beforeAll(async () => {
  rps = await startSsoRps();
});
test.afterAll(async () => {
  await rps?.close();
});

test("[SSO]: one card login, two services: per-fact consent, the school gets age_over_18 and never the birth date, subjects differ, consents in the ledger, logout", async ({
  page,
  seriousA11yViolations,
}) => {
  // A card login, two sign-ons with consent, the ledger and a logout: longer than one page's test.
  test.setTimeout(120_000);
  const resident = readCardWorld().residents.login;
  await loginWithCard(page, "login");
  const visited: string[] = [];
  page.on("framenavigated", (f) => {
    if (f === page.mainFrame()) visited.push(f.url());
  });

  // The library asks for the name only: one checkbox, showing the value that would be sent.
  await page.goto(rps.urls.library);
  await page.getByTestId("rp-login").click();
  const consent = page.getByTestId("sso-consent");
  await expect(consent).toBeVisible({ timeout: 20_000 });
  await expect(consent).toContainText(resident.displayName);
  expect(await seriousA11yViolations(page)).toEqual([]);
  await page.goBack();
  const library = await loginToRp(page, rps, "library", { consent: ["name"], expectAsked: ["name"] });
  expect(library.claims.name).toBe(resident.displayName);
  expect(library.acr).toBe("urn:ichimai:acr:card");

  // The school: no second card login, only age_over_18 asked and sent.
  const school = await loginToRp(page, rps, "school", { consent: ["age_over_18"], expectAsked: ["age_over_18"] });
  expect(school.claims).toEqual({ age_over_18: "true" });
  expect(school.sub).not.toBe(library.sub);
  expect(visited.some((u) => new URL(u).pathname === "/login")).toBe(false);

  // The consent ledger lists both services with what each receives.
  await page.goto("/settings/consents");
  const ledger = page.getByTestId("consents-sso");
  await expect(ledger).toContainText("一枚町立図書館");
  await expect(ledger).toContainText("一枚町 学校");
  await expect(ledger).toContainText("18歳以上かどうか");

  // Logout through the library ends the provider's and the portal's session: a new sign-on needs a card login.
  await page.goto(rps.urls.library);
  await logoutFromRp(page, rps, "library");
  await page.getByTestId("rp-login").click();
  await expect(page).toHaveURL(/\/login\?next=%2Fsso%2Finteraction%2F/);
});

test("[SSO][ERRORS]: a wrong redirect URI stops at ichimai's error page", async ({ page }) => {
  await page.goto(
    `/oidc/auth?client_id=ichimai-library&response_type=code&scope=openid&redirect_uri=${encodeURIComponent("https://evil.example/cb")}&code_challenge=abcdefghijabcdefghijabcdefghijabcdefghijabc&code_challenge_method=S256`,
  );
  await expect(page).toHaveURL(/\/sso\/error\?error=invalid_redirect_uri/);
  await expect(page.locator('[data-sso-error="invalid_redirect_uri"]')).toContainText("戻り先");
});

import { expect, test } from "../fixtures";
import { HomePage } from "../pages/home-page";
import { E2E_PORT } from "../fixtures/card";

test("[HOME]: renders in Japanese by default and explains the portal", async ({ page }) => {
  const home = new HomePage(page);
  await home.goto();
  expect(await home.htmlLang()).toBe("ja");
  await expect(home.heading).toHaveText("カード1枚で、暮らしの手続きを。");
  await expect(page).toHaveTitle("一枚 住民ポータル");
  for (const name of ["行政", "交通", "防災", "医療", "電子私書箱", "プライバシー：だれが私のデータを見たか"]) {
    await expect(page.getByRole("heading", { name, exact: true })).toBeVisible();
  }
  // The home page claims only what works: each service links to where it is tried.
  for (const [name, href] of [
    ["行政", "/services/applications"],
    ["交通", "/services/bus"],
    ["防災", "/disaster"],
    ["医療", "/services/medical"],
  ] as const) {
    await expect(page.getByRole("link", { name: `使ってみる: ${name}` })).toHaveAttribute("href", href);
  }
  // Today's date in both calendars, e.g. 令和7年（2025年）11月25日.
  await expect(page.locator("main time")).toHaveText(/^(令和|平成)(元|\d+)年（\d{4}年）\d{1,2}月\d{1,2}日$/);
  await expect(page.getByRole("main").getByRole("link", { name: "マイナンバーカードでログイン" })).toHaveAttribute(
    "href",
    "/login",
  );
});

test("[I18N]: the language switch flips the page to English and back, staying on the same URL", async ({
  page,
  context,
}) => {
  await page.goto("/login");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("マイナンバーカードでログイン");

  await page.getByRole("button", { name: /Switch to English/ }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Log in with your My Number Card");
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByRole("navigation", { name: "Site menu" })).toBeVisible();
  expect((await context.cookies()).find((c) => c.name === "ichimai_locale")?.value).toBe("en");

  // The choice persists across navigation.
  await page.getByRole("navigation", { name: "Site menu" }).getByRole("link", { name: "Home", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("One card for the paperwork of daily life.");

  await page.getByRole("button", { name: /Switch to Japanese/ }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "ja");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("カード1枚で、暮らしの手続きを。");
  await expect(page).toHaveURL(/\/$/);
});

test("[I18N]: the language switch works without JavaScript (plain form post)", async ({ browser, baseURL }) => {
  const context = await browser.newContext({ javaScriptEnabled: false, baseURL });
  const page = await context.newPage();
  await page.goto("/services");
  await page.getByRole("button", { name: /Switch to English/ }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Services");
  await context.close();
});

test("[FONT]: Noto Sans JP 400/700 is self-hosted and used", async ({ page, offHostRequests }) => {
  const fonts: string[] = [];
  page.on("response", (r) => {
    if (r.request().resourceType() === "font") fonts.push(r.url());
  });
  await page.goto("/");
  await page.evaluate(() => document.fonts.ready);
  const loaded = await page.evaluate(() =>
    [...document.fonts].filter((f) => f.family.includes("Noto Sans JP") && f.status === "loaded").map((f) => f.weight),
  );
  expect(new Set(loaded)).toEqual(new Set(["400", "700"]));
  expect(fonts.length).toBeGreaterThan(0);
  for (const url of fonts) expect(url).toMatch(new RegExp(`^http://localhost:${E2E_PORT}/_next/static/.+\\.woff2$`));
  expect(await page.evaluate(() => getComputedStyle(document.body).fontFamily)).toMatch(/^"?Noto Sans JP"?/);
  expect(offHostRequests).toEqual([]);
});

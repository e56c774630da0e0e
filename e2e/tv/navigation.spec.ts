import { expect, test } from "../fixtures";
import { expectPlainTvScreen } from "../fixtures/tv";
import { TvPage } from "../pages/tv-page";

test("[TV]: signed out, OK is on 「カードでログイン」; the arrows reach the language and OK switches it", async ({
  page,
}) => {
  const tv = new TvPage(page);
  await tv.goto();
  await expect(tv.screen).toHaveAttribute("data-tv-screen", "login");
  // A remote has no pointer: the login button has focus on load.
  await expect(tv.loginButton).toBeFocused();
  await expect.poll(() => tv.focusedText()).toBe("カードでログイン");

  // Down to the language buttons; left is 日本語, right English.
  await page.keyboard.press("ArrowDown");
  expect(await tv.focusedText()).toMatch(/^(✓日本語|English)$/);
  await page.keyboard.press("ArrowLeft");
  expect(await tv.focusedText()).toBe("✓日本語");
  await page.keyboard.press("ArrowRight");
  expect(await tv.focusedText()).toBe("English");
  // At the edge the focus stays.
  await page.keyboard.press("ArrowRight");
  expect(await tv.focusedText()).toBe("English");
  await page.keyboard.press("Enter");
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.getByRole("button", { name: "English" })).toHaveAttribute("aria-pressed", "true");
  // Focus survived the re-render; up goes back to the login button.
  await page.keyboard.press("ArrowUp");
  await expect(tv.loginButton).toBeFocused();
  await expect(tv.loginButton).toHaveText("Log in with card");
  // The language page of the menu works the same way, and Back leaves it.
  await tv.goto("/tv/language");
  await expect.poll(() => tv.focusedText()).toBe("日本語");
  await expectPlainTvScreen(page);
  await page.keyboard.press("ArrowRight");
  expect(await tv.focusedText()).toBe("✓English");
  await page.keyboard.press("ArrowLeft");
  await page.keyboard.press("Enter");
  await expect(page.locator("html")).toHaveAttribute("lang", "ja");
  await page.keyboard.press("Backspace");
  // Signed out, the menu is the login screen (/tv/login, the query kept).
  await expect(page).toHaveURL(/\/tv(\/login)?\?menu=1$/);
});

test("[TV]: large type and a focus ring visible on black", async ({ page }) => {
  const tv = new TvPage(page);
  await tv.goto();
  await expect(tv.loginButton).toBeFocused();
  const style = await page.evaluate(() => {
    const s = getComputedStyle(document.activeElement as Element);
    return {
      fontSize: Number.parseFloat(s.fontSize),
      outlineWidth: Number.parseFloat(s.outlineWidth),
      color: s.outlineColor,
    };
  });
  expect(style.fontSize).toBeGreaterThanOrEqual(32);
  expect(style.outlineWidth).toBeGreaterThanOrEqual(6);
  expect(style.color).toBe("rgb(255, 212, 61)");
});

test("[TV]: the 10-foot frame fills a 1920×1080 screen, with no scrolling", async ({ page }) => {
  await page.setViewportSize({ width: 1920, height: 1080 });
  const tv = new TvPage(page);
  await tv.goto();
  await expect(tv.loginButton).toBeVisible();
  const box = await page.evaluate(() => {
    const main = document.querySelector("main")!.getBoundingClientRect();
    const root = document.scrollingElement!;
    return { mainWidth: main.width, scrollHeight: root.scrollHeight };
  });
  expect(box.scrollHeight).toBeLessThanOrEqual(1080);
  expect(box.mainWidth).toBeGreaterThan(1920 * 0.95);
});

test("[TV]: the TV's forms accept posts from the portal's own pages only; a signed-out reply goes to the login", async ({
  request,
  baseURL,
}) => {
  const foreign = { origin: "https://evil.example" };
  for (const [url, form] of [
    ["/tv/language", { locale: "en" }],
    ["/tv/logout", {}],
    ["/tv/order/reply", { orderId: "0b9c7f2e-4a51-4f7e-9d55-3a0e1c2b7d11", status: "SAFE" }],
  ] as const) {
    const res = await request.post(url, { headers: foreign, form, maxRedirects: 0 });
    expect(res.status(), url).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("ORIGIN_MISMATCH");
    expect(res.headers()["set-cookie"] ?? "").not.toContain("ichimai_locale");
  }
  const own = { origin: new URL(baseURL ?? "").origin };
  const reply = await request.post("/tv/order/reply", {
    headers: own,
    form: { orderId: "0b9c7f2e-4a51-4f7e-9d55-3a0e1c2b7d11", status: "SAFE" },
    maxRedirects: 0,
  });
  expect(reply.status()).toBe(303);
  expect(new URL(reply.headers().location ?? "").pathname).toBe("/tv");
  const language = await request.post("/tv/language", {
    headers: own,
    form: { locale: "en", back: "https://evil.example/" },
    maxRedirects: 0,
  });
  expect(language.status()).toBe(303);
  expect(new URL(language.headers().location ?? "").pathname).toBe("/tv/language");
  expect(language.headers()["set-cookie"] ?? "").toContain("ichimai_locale=en");
});

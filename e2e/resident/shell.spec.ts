import { expect, test } from "../fixtures";

const pages = [
  { path: "/mailbox", ja: "私書箱", en: "Mailbox" },
  { path: "/services", ja: "サービス", en: "Services" },
  { path: "/disaster", ja: "防災", en: "Disaster" },
  { path: "/settings", ja: "設定", en: "Settings" },
] as const;

for (const p of pages) {
  test(`[RESIDENT][SHELL]: ${p.path} shows the resident navigation and asks to log in`, async ({ page }) => {
    await page.goto(p.path);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(p.ja);
    const nav = page.getByRole("navigation", { name: "住民メニュー" });
    await expect(nav.getByRole("link", { name: p.ja })).toHaveAttribute("aria-current", "page");
    await expect(nav.getByRole("link")).toHaveCount(5);
    await expect(page.getByRole("heading", { name: "ログインしてください" })).toBeVisible();
    await page.getByRole("main").getByRole("link", { name: "ログインページへ" }).click();
    await expect(page).toHaveURL(/\/login$/);
  });
}

test("[RESIDENT][SETTINGS]: the language choice marks the current language and switches", async ({ page }) => {
  await page.goto("/settings");
  const main = page.getByRole("main");
  await expect(main.getByRole("button", { name: "日本語" })).toHaveAttribute("aria-pressed", "true");
  await main.getByRole("button", { name: "English" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Settings");
  await expect(main.getByRole("button", { name: "English" })).toHaveAttribute("aria-pressed", "true");
  await expect(page).toHaveURL(/\/settings$/);
});

import { expect, test } from "../fixtures";

test("[404]: an unknown URL answers 404 with a bilingual, navigable page", async ({ page, useLanguage }) => {
  const response = await page.goto("/no-such-page");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("ページが見つかりません");
  await expect(page.locator("html")).toHaveAttribute("lang", "ja");
  await page.getByRole("main").getByRole("link", { name: "トップページへ戻る" }).click();
  await expect(page).toHaveURL(/\/$/);

  await useLanguage("en");
  const english = await page.goto("/admin/no-such-section");
  expect(english?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Page not found");
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
});

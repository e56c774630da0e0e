import { expect, test } from "../fixtures";

test("[TERMINAL]: idle screen with large touch targets and a live waiting status", async ({ page }) => {
  await page.goto("/terminal");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("受付端末");
  await expect(page.getByRole("heading", { name: "カードをリーダーに置いてください" })).toBeVisible();
  await expect(page.getByRole("status")).toHaveText("カードを待っています");
  const sizes = await page
    .getByRole("main")
    .locator("a, button")
    .evaluateAll((els) => els.map((e) => ({ text: e.textContent, h: e.getBoundingClientRect().height })));
  expect(sizes.length).toBeGreaterThanOrEqual(3);
  for (const s of sizes) expect(s.h, `${s.text} is at least 64px high`).toBeGreaterThanOrEqual(64);

  await page.getByRole("button", { name: "English" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Reception terminal");
  await expect(page.getByRole("status")).toHaveText("Waiting for a card");
});

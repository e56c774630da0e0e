import { expect, test } from "../fixtures";
import { TvPage } from "../pages/tv-page";

test("[TV]: arrow keys move the focus between tiles and into the panel; OK opens", async ({ page }) => {
  const tv = new TvPage(page);
  await tv.goto();
  await expect(tv.tiles).toHaveCount(4);
  // A remote has no pointer: the current tile has focus on load.
  await expect.poll(() => tv.focusedText()).toBe("防災情報");
  await expect(tv.panelHeading).toHaveText("防災情報");

  await page.keyboard.press("ArrowRight");
  expect(await tv.focusedText()).toBe("サービス");
  await page.keyboard.press("ArrowRight");
  expect(await tv.focusedText()).toBe("言語");
  // At the edge the focus stays.
  await page.keyboard.press("ArrowRight");
  expect(await tv.focusedText()).toBe("言語");
  await page.keyboard.press("ArrowLeft");
  await page.keyboard.press("ArrowLeft");
  await page.keyboard.press("ArrowLeft");
  expect(await tv.focusedText()).toBe("私書箱");

  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/section=mailbox/);
  await expect(tv.panelHeading).toHaveText("私書箱");

  // Into the language panel, down to its buttons, choose English with OK.
  await tv.goto("language");
  await expect.poll(() => tv.focusedText()).toBe("言語");
  // Straight down from the rightmost tile, the nearest button is English; left is 日本語.
  await page.keyboard.press("ArrowDown");
  expect(await tv.focusedText()).toBe("English");
  await page.keyboard.press("ArrowLeft");
  expect(await tv.focusedText()).toBe("✓日本語");
  await page.keyboard.press("ArrowRight");
  expect(await tv.focusedText()).toBe("English");
  await page.keyboard.press("Enter");
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(tv.panelHeading).toHaveText("Language");
  await expect(page.getByRole("button", { name: "English" })).toHaveAttribute("aria-pressed", "true");
  // Focus survived the re-render; up goes back to the tile row.
  await page.keyboard.press("ArrowUp");
  expect(await page.evaluate(() => document.activeElement?.closest("nav") !== null)).toBe(true);
  expect(await tv.focusedText()).toMatch(/^(Mailbox|Disaster info|Services|Language)$/);
});

test("[TV]: large type and a focus ring visible on black", async ({ page }) => {
  const tv = new TvPage(page);
  await tv.goto();
  await expect.poll(() => tv.focusedText()).toBe("防災情報");
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
  await expect(tv.panelHeading).toBeVisible();
  const box = await page.evaluate(() => {
    const main = document.querySelector("main")!.getBoundingClientRect();
    const panel = document.querySelector("[data-tv-panel]")!.getBoundingClientRect();
    const root = document.scrollingElement!;
    return { mainWidth: main.width, panelBottom: panel.bottom, scrollHeight: root.scrollHeight };
  });
  // The panel reaches down to the frame's bottom padding, not half-way; nothing below the fold.
  expect(box.panelBottom).toBeGreaterThan(1080 * 0.85);
  expect(box.scrollHeight).toBeLessThanOrEqual(1080);
  expect(box.mainWidth).toBeGreaterThan(1920 * 0.95);
});

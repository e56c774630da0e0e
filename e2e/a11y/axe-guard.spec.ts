import { expect, test } from "../fixtures";

// The axe fixture must be able to fail: inject known serious violations and expect them reported.
test("[A11Y][AXE]: the scan reports injected serious violations (guard against a silent scanner)", async ({
  page,
  seriousA11yViolations,
}) => {
  await page.goto("/");
  // Inject only after hydration: React replaces DOM it did not render while it hydrates.
  await page.waitForLoadState("networkidle");
  // React may still re-render the page after "networkidle" and drop nodes it did not render:
  // inject again (only what is missing) and scan again until the scan sees both.
  await expect(async () => {
    await page.evaluate(() => {
      const main = document.getElementById("main");
      if (!document.getElementById("guard-img")) {
        const img = document.createElement("img");
        img.id = "guard-img";
        img.src = "/favicon.ico";
        main?.append(img);
      }
      if (!document.getElementById("guard-faint")) {
        const faint = document.createElement("p");
        faint.id = "guard-faint";
        faint.textContent = "読みにくい文字";
        faint.style.color = "#eeeeee";
        main?.append(faint);
      }
    });
    await expect(page.getByText("読みにくい文字")).toBeVisible({ timeout: 1_000 });
    const ids = (await seriousA11yViolations(page)).map((v) => v.id);
    expect(ids).toContain("image-alt");
    expect(ids).toContain("color-contrast");
  }).toPass({ timeout: 30_000 });
});

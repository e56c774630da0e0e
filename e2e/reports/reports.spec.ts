import { loginWithCard } from "../fixtures/card-login";
import { E2E_BASE_URL } from "../fixtures/card";
import { expect, test } from "../fixtures/index";
import {
  hasExifGps,
  imageBytesFromPage,
  jpegWithGps,
  open311RequestIds,
  sendVisitorReport,
  setUpReportsTown,
} from "../fixtures/reports";
import { openE2eDatabase } from "../fixtures/services";

test.use({ ignoreHTTPSErrors: true });

test.describe("[REPORTS] resident reports", () => {
  test.beforeAll(async () => {
    const { prisma } = await openE2eDatabase();
    try {
      await setUpReportsTown(prisma);
    } finally {
      await prisma.$disconnect();
    }
  });

  test("[REPORTS][VISITOR]: a visitor's photo report loses its EXIF GPS, staff see it on the map, an Open311 client lists it", async ({
    page,
    browser,
    seriousA11yViolations,
  }) => {
    // A card login, two visitor contexts and the staff console: longer than the default 30 s.
    test.setTimeout(120_000);
    const photo = await jpegWithGps();
    expect(await hasExifGps(photo)).toBe(true);
    const description = `歩道の段差 e2e ${Date.now()}`;

    const sent = await test.step("a visitor (no session) sends a photo report", async () => {
      const visitor = await browser.newContext({ baseURL: E2E_BASE_URL });
      const visitorPage = await visitor.newPage();
      const result = await sendVisitorReport(visitorPage, { description, photo });
      // The tracking page serves the reporter's photo, without any EXIF location.
      expect(await hasExifGps(await imageBytesFromPage(visitorPage, "report-photo"))).toBe(false);
      // Without the token the photo is not served.
      const anonymous = await visitorPage.request.get(`/reports/${result.reportId}/photo`);
      expect(anonymous.status()).toBe(404);
      await visitor.close();
      return result;
    });

    await test.step("staff log in with the card and see the report on the map and in the list", async () => {
      await loginWithCard(page, "staff");
      await page.goto("/admin/reports");
      await expect(page.locator(`[data-marker="${sent.reportId}"]`)).toHaveCount(1);
      const item = page.locator(`[data-testid="staff-report"][data-report-id="${sent.reportId}"]`);
      expect(await seriousA11yViolations(page)).toEqual([]);
      await expect(item).toContainText(description);
      const bytes = await imageBytesFromPage(page, `staff-report-photo`);
      expect(bytes.byteLength).toBeGreaterThan(100);
      const own = await page.evaluate(async (id) => {
        const res = await fetch(`/reports/${id}/photo`);
        return Array.from(new Uint8Array(await res.arrayBuffer()));
      }, sent.reportId);
      expect(await hasExifGps(new Uint8Array(own))).toBe(false);

      await item.locator("select[name=status]").selectOption("ACKNOWLEDGED");
      await item.locator("textarea[name=publicNote]").fill("確認しました");
      await item.getByRole("button", { name: "保存する" }).click();
      await expect(item.locator("[data-result]").first()).toHaveAttribute("data-result", "triaged");
    });

    await test.step("the visitor's tracking link shows the new status and the note", async () => {
      const visitor = await browser.newContext({ baseURL: E2E_BASE_URL });
      const visitorPage = await visitor.newPage();
      await visitorPage.goto(sent.trackingPath);
      await expect(visitorPage.getByTestId("report-status")).toHaveAttribute("data-status", "ACKNOWLEDGED");
      await expect(visitorPage.getByTestId("report-note")).toContainText("確認しました");
      await visitor.close();
    });

    await test.step("an Open311 client lists it", async () => {
      expect(await open311RequestIds(E2E_BASE_URL, "service_code=road_damage&status=open")).toContain(sent.reportId);
      const one = await fetch(`${E2E_BASE_URL}/open311/v2/requests/${sent.reportId}.json`);
      expect(((await one.json()) as { description: string }[])[0]?.description).toBe(description);
    });
  });

  test("[REPORTS][A11Y]: the report form and the road board have no serious axe violations", async ({
    page,
    seriousA11yViolations,
  }) => {
    await page.goto("/reports/new");
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.goto("/roads");
    expect(await seriousA11yViolations(page)).toEqual([]);
  });

  test("[REPORTS][OUTSIDE]: a point outside the town is refused with its code", async ({ page }) => {
    await page.goto("/reports/new");
    await page.locator("#report-description").fill("東京の道");
    await page.locator("#report-latitude").fill("35.68");
    await page.locator("#report-longitude").fill("139.76");
    await page.getByTestId("report-submit").click();
    await expect(page).toHaveURL(/\/reports\/new\?error=REPORT_LOCATION_OUTSIDE$/);
    await expect(page.locator("[data-error-code=REPORT_LOCATION_OUTSIDE]")).toBeVisible();
  });
});

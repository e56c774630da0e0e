import { expect, test } from "../fixtures";
import { loginWithCard } from "../fixtures/card-login";

test.use({ ignoreHTTPSErrors: true });
test.setTimeout(120_000);

test("[ADMIN][DASHBOARD]: the console home shows each chart with its title, summary and table; the logins chart draws once loaded; the same in English", async ({
  page,
  useLanguage,
  seriousA11yViolations,
}) => {
  await loginWithCard(page, "staff");
  await page.goto("/admin?range=7");
  const dashboard = page.getByTestId("dashboard");
  await expect(dashboard.getByRole("heading", { level: 2, name: "利用状況" })).toBeVisible();
  await expect(dashboard.getByRole("link", { name: "7日間" })).toHaveAttribute("aria-current", "page");
  for (const [id, title, rows] of [
    ["logins", "チャネル別のログイン", 5],
    ["deliveries", "日別の書類送付", 7],
    ["applications", "状況別の申請", 3],
    ["orders", "警戒レベル別の避難指示", 5],
    ["api", "日別のAPI利用", 7],
  ] as const) {
    const figure = page.getByTestId(`chart-${id}`);
    await expect(figure.getByRole("heading", { level: 3, name: title })).toBeVisible();
    await expect(page.getByTestId(`chart-${id}-summary`)).not.toBeEmpty();
    await figure.getByText("数値の表").click();
    const table = page.getByTestId(`chart-${id}-table`);
    await expect(table).toBeVisible();
    await expect(table.locator("tbody tr")).toHaveCount(rows);
  }
  // This staff member just logged in with the card: the logins chart has data and draws (lazily).
  await expect(page.getByTestId("chart-logins-summary")).not.toHaveText("ログインは合計 0 回です。");
  const chart = page.getByTestId("chart-logins").getByRole("img", { name: /^チャネル別のログイン: ログインは合計/ });
  await expect(chart).toBeVisible({ timeout: 20_000 });
  await expect(chart.locator("svg .recharts-bar-rectangle").first()).toBeVisible();
  expect(await seriousA11yViolations(page)).toEqual([]);

  await page.getByRole("link", { name: "90日間" }).click();
  await expect(page).toHaveURL(/range=90/);
  await page.getByTestId("chart-deliveries").getByText("数値の表").click();
  await expect(page.getByTestId("chart-deliveries-table").locator("tbody tr")).toHaveCount(90);

  // English: the dashboard and the bulk-notice page read in English and stay accessible.
  await useLanguage("en");
  await page.goto("/admin?range=30");
  await expect(page.getByTestId("dashboard").getByRole("heading", { level: 2, name: "Activity" })).toBeVisible();
  await expect(page.getByTestId("chart-logins").getByRole("heading", { name: "Logins by channel" })).toBeVisible();
  expect(await seriousA11yViolations(page)).toEqual([]);
  await page.goto("/admin/notices");
  await expect(page.getByRole("heading", { level: 1, name: "Bulk notices" })).toBeVisible();
  await expect(page.getByTestId("notice-upload").getByLabel("CSV file of recipients")).toBeVisible();
  expect(await seriousA11yViolations(page)).toEqual([]);
});

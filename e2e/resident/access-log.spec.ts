import { expect, test } from "../fixtures";
import { loginWithCard } from "../fixtures/card-login";

// The card agent serves HTTPS with its own local CA (docs/card-agent-protocol.md#browser-and-node-clients).
test.use({ ignoreHTTPSErrors: true });

test("[ACCESS_LOG][PAGE]: the resident sees who looked at their data (era and Western dates), exports CSV and JSON, and the export is logged", async ({
  page,
  seriousA11yViolations,
}) => {
  // Without a card session the page asks for a login and shows nothing.
  await page.goto("/settings/access-log");
  await expect(page.locator("[data-step-up]")).toBeVisible();
  await expect(page.getByTestId("access-log")).toHaveCount(0);
  const anonymous = await page.request.get("/settings/access-log/export?format=csv");
  expect(anonymous.status()).toBe(401);

  await loginWithCard(page, "login");
  await page.goto("/settings/access-log");
  await expect(page.getByRole("heading", { level: 1, name: "アクセス記録" })).toBeVisible();
  const table = page.getByRole("table", { name: "アクセス記録（新しい順）" });
  await expect(table).toBeVisible();
  // The view itself is the newest line; the card login just made is there too.
  const first = table.locator("tbody tr").first();
  await expect(first).toHaveAttribute("data-event-type", "audit.access_log_viewed");
  await expect(first).toContainText("あなた");
  await expect(first).toContainText("令和");
  await expect(table.locator('[data-event-type="auth.login_succeeded"]').first()).toContainText("ログイン");
  expect(await seriousA11yViolations(page)).toEqual([]);

  const csv = await page.request.get("/settings/access-log/export?format=csv");
  expect(csv.status()).toBe(200);
  expect(csv.headers()["content-type"]).toBe("text/csv; charset=utf-8");
  expect(csv.headers()["content-disposition"]).toMatch(/^attachment; filename="access-log-\d{4}-\d{2}-\d{2}\.csv"$/);
  const text = await csv.text();
  expect(text.replace(/^\uFEFF/, "").split("\r\n")[0]).toBe(
    "occurredAt,type,actorType,actorIsSelf,actorLabel,actorLabelEn,purpose,channel",
  );
  expect(text).toContain("audit.access_log_viewed,resident,true");

  const json = await page.request.get("/settings/access-log/export?format=json");
  const body = (await json.json()) as { format: string; items: { type: string }[] };
  expect(body.format).toBe("ichimai-access-log/1");
  // The CSV export came before this one, so it is already in the file.
  expect(body.items[0]?.type).toBe("audit.exported");

  await page.reload();
  await expect(table.locator('[data-event-type="audit.exported"]')).toHaveCount(2);
  await expect(table.locator('[data-event-type="audit.exported"]').first()).toContainText("記録の書き出し");
});

import { expect, test } from "../fixtures";

test("[ERRORS][DOCURL]: an API error's docUrl opens its row in the public error catalogue", async ({
  page,
  request,
}) => {
  const response = await request.get("/api/v1/documents/3f9d6c1a-8b2e-4f7a-9c0d-5e6f7a8b9c0d");
  expect(response.status()).toBe(401);
  const { error } = (await response.json()) as { error: { code: string; docUrl: string } };
  expect(error.docUrl).toBe(`/docs/errors#${error.code}`);

  const catalogueResponse = await request.get(error.docUrl.split("#")[0]!);
  expect(catalogueResponse.status()).toBe(200);
  await page.goto(error.docUrl);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("エラーコード一覧");
  const row = page.locator(`tr[id="${error.code}"]`);
  await expect(row).toBeVisible();
  await expect(row.getByRole("rowheader")).toHaveText(error.code);
  await expect(row).toContainText("401");
  // Every code of the catalogue has its row, each once.
  const ids = await page.locator("tbody tr").evaluateAll((rows) => rows.map((r) => r.id));
  expect(ids).toContain("VALIDATION_FAILED");
  expect(new Set(ids).size).toBe(ids.length);
});

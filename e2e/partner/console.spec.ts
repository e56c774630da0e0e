import { expect, test } from "../fixtures";

test("[PARTNER][SHELL]: the partner console links to credentials, webhooks, documents, usage, users and API docs", async ({
  page,
}) => {
  await page.goto("/partner");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("パートナーコンソール");
  const nav = page.getByRole("navigation", { name: "パートナーメニュー" });
  await expect(nav.getByRole("link")).toHaveCount(7);

  for (const [name, path] of [
    ["認証情報", "/partner/credentials"],
    ["Webhook", "/partner/webhooks"],
    ["書類の送付", "/partner/documents"],
    ["API利用状況", "/partner/usage"],
    ["ユーザー管理", "/partner/users"],
    ["APIドキュメント", "/partner/api-docs"],
  ] as const) {
    await page.goto("/partner");
    await page.getByRole("main").getByRole("link", { name, exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`${path}$`));
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(name);
    await expect(nav.getByRole("link", { name, exact: true })).toHaveAttribute("aria-current", "page");
    if (path === "/partner/api-docs") {
      // The API reference is public: partners read it before they hold credentials.
      await expect(page.getByRole("heading", { name: "パートナーとしてログインしてください" })).toHaveCount(0);
      await expect(page.locator("#op-deliverDocument, h2[id^='op-']").first()).toBeVisible();
    } else {
      await expect(page.getByRole("heading", { name: "パートナーとしてログインしてください" })).toBeVisible();
    }
  }
});

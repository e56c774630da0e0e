import { expect, test } from "../fixtures";

test("[ADMIN][SHELL]: the staff console links to residents, disaster and audit, each asking staff to log in", async ({
  page,
}) => {
  await page.goto("/admin");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("職員コンソール");
  await expect(page.getByRole("banner").getByText("職員コンソール")).toBeVisible();
  const nav = page.getByRole("navigation", { name: "職員メニュー" });
  await expect(nav.getByRole("link", { name: "概要" })).toHaveAttribute("aria-current", "page");

  for (const [name, path] of [
    ["住民", "/admin/residents"],
    ["防災", "/admin/disaster"],
    ["監査ログ", "/admin/audit"],
  ] as const) {
    await page.goto("/admin");
    await page.getByRole("main").getByRole("link", { name, exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`${path}$`));
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(name);
    await expect(nav.getByRole("link", { name, exact: true })).toHaveAttribute("aria-current", "page");
    await expect(page.getByRole("heading", { name: "職員としてログインしてください" })).toBeVisible();
    await expect(
      page.getByRole("navigation", { name: "現在位置" }).getByRole("link", { name: "職員コンソール" }),
    ).toBeVisible();
  }
});

import { describeFocus, expect, test } from "../fixtures";

test("[A11Y][KEYBOARD]: skip link is first and moves focus to the main content", async ({ page }) => {
  await page.goto("/");
  await page.keyboard.press("Tab");
  const first = await describeFocus(page);
  expect(first).toMatchObject({ tag: "a", href: "#main", text: "本文へ移動", visible: true });
  expect(first?.outlineStyle).toBe("solid");
  expect(first?.outlineWidth).toBeGreaterThanOrEqual(2);
  await page.keyboard.press("Enter");
  expect((await describeFocus(page))?.id).toBe("main");
  // The next Tab continues inside main, past the header.
  await page.keyboard.press("Tab");
  const next = await describeFocus(page);
  expect(await page.evaluate(() => document.getElementById("main")?.contains(document.activeElement))).toBe(true);
  expect(next?.href).toBe("/login");
});

test("[A11Y][KEYBOARD]: Tab order through the home page, visible focus, then into /login", async ({ page }) => {
  await page.goto("/");
  const order: string[] = [];
  for (let i = 0; i < 15; i++) {
    await page.keyboard.press("Tab");
    const focus = await describeFocus(page);
    expect(focus, `Tab ${i + 1} lands on an element`).not.toBeNull();
    if (!focus) break;
    expect(focus.visible, `${focus.text} is visible`).toBe(true);
    expect(focus.outlineStyle, `${focus.text} shows a focus ring`).toBe("solid");
    expect(focus.outlineWidth).toBeGreaterThanOrEqual(2);
    order.push(focus.text);
  }
  expect(order).toEqual([
    "本文へ移動",
    "一枚 住民ポータル トップページ",
    "Switch to English（英語に切り替え）",
    "トップ",
    "ログイン",
    "署名の確認",
    "つぶやき（通報）",
    "道路の状況",
    "マイナンバーカードでログイン",
    "テレビ版を開く",
    "使ってみる: 行政",
    "使ってみる: 交通",
    "使ってみる: 防災",
    "使ってみる: 医療",
    "ログインの手順を見る",
  ]);

  // Shift+Tab walks back, then Enter on the focused call-to-action opens /login.
  await page.keyboard.press("Shift+Tab");
  expect((await describeFocus(page))?.text).toBe("使ってみる: 医療");
  await page.keyboard.press("Tab");
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("マイナンバーカードでログイン");

  // After the client-side navigation focus starts at the new main content, not at the old link.
  expect((await describeFocus(page))?.id).toBe("main");
  await page.keyboard.press("Tab");
  expect((await describeFocus(page))?.text).toBe("トップページ");
  // Shift+Tab from main goes back through the header: the nav marks the current page.
  for (const back of ["道路の状況", "つぶやき（通報）", "署名の確認", "ログイン"]) {
    await page.keyboard.press("Shift+Tab");
    expect((await describeFocus(page))?.text).toBe(back);
  }
  await expect(
    page.getByRole("navigation", { name: "サイトメニュー" }).getByRole("link", { name: "ログイン" }),
  ).toHaveAttribute("aria-current", "page");
});

import type { ChildProcess } from "node:child_process";
import type { BrowserContext, Page } from "@playwright/test";
import { E2E_AGENT_PINS, readCardWorld } from "../fixtures/card";
import { expect, test } from "../fixtures";
import {
  arrowDownTo,
  expectPlainTvScreen,
  focusedText,
  openTvAgentScreen,
  openTvWorld,
  pressBack,
  pressColourKey,
  startTvAgent,
  type TTvWorld,
  TV_PATH,
} from "../fixtures/tv";

// One TV, one resident, in order: log in with the remote, read the mailbox, health, answer an
// evacuation order with the colour keys, log out. Only remote keys once the TV is on.
test.describe.configure({ mode: "serial", timeout: 90_000 });

let agent: ChildProcess | undefined;
let world: TTvWorld;
let context: BrowserContext;
let page: Page;

test.beforeAll(async ({ browser }) => {
  agent = await startTvAgent();
  world = await openTvWorld("tvResident");
  await world.liftOrders();
  await world.deliverHealthDocuments();
  context = await browser.newContext({ ignoreHTTPSErrors: true, locale: "ja-JP", timezoneId: "Asia/Tokyo" });
  page = await context.newPage();
});

test.afterAll(async () => {
  await world?.liftOrders();
  await world?.close();
  await context?.close();
  if (agent?.pid) agent.kill("SIGTERM");
});

test("[TV][LOGIN]: OK on 「カードでログイン」, the card chosen with the arrows, the PIN typed on the agent's 10-foot screen with the number keys (Back deletes)", async () => {
  const { residents } = readCardWorld();
  await page.goto(TV_PATH);
  await expect(page.getByTestId("tv-card-login")).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.locator('[data-tv-login="choose-card"]')).toBeVisible({ timeout: 20_000 });
  await arrowDownTo(page, residents.tvResident.cardName);
  await page.keyboard.press("Enter");
  await expect(page.locator('[data-tv-login="pin"]')).toBeVisible({ timeout: 20_000 });
  // The PIN is never typed on the TV page itself: it has no text field at all.
  await expect(page.locator("input:not([type=hidden]), textarea")).toHaveCount(0);

  const agentScreen = await openTvAgentScreen(context);
  const boxes = agentScreen.locator("[data-agent-pin-length]");
  await expect(boxes).toHaveAttribute("data-agent-pin-length", "0", { timeout: 20_000 });
  await expect(agentScreen.getByText("残り回数 / tries left: 3 / 3")).toBeVisible();
  const [a, b, c, d] = [...E2E_AGENT_PINS.auth];
  for (const key of [a!, b!, "9"]) await agentScreen.keyboard.press(key);
  await expect(boxes).toHaveAttribute("data-agent-pin-length", "3");
  await agentScreen.keyboard.press("Backspace");
  await expect(boxes).toHaveAttribute("data-agent-pin-length", "2");
  await agentScreen.keyboard.press(c!);
  // OK with three digits only asks for four.
  await agentScreen.keyboard.press("Enter");
  await expect(agentScreen.getByRole("alert")).toContainText("4桁");
  await agentScreen.keyboard.press(d!);
  await agentScreen.keyboard.press("Enter");
  await agentScreen.close();

  await expect(page.locator('main[data-tv-screen="menu"]')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`${residents.tvResident.displayName} さん`);
  // The login is counted under channel tv.
  const login = await world.prisma.auditEvent.findFirst({
    where: { type: "auth.login_succeeded", subjectResidentId: world.residentId },
    orderBy: { seq: "desc" },
  });
  expect(login?.channel).toBe("tv");
  await expectPlainTvScreen(page);
});

test("[TV][MAILBOX]: number key 1 opens the mailbox; a document opens with OK, is marked read, and Back returns", async () => {
  await expect(page.locator('main[data-tv-screen="menu"]')).toBeVisible();
  const unreadBefore = Number((await page.getByTestId("tv-unread-count").textContent())?.match(/\d+/)?.[0]);
  expect(unreadBefore).toBeGreaterThanOrEqual(2);
  await page.keyboard.press("1");
  await expect(page.locator('main[data-tv-screen="mailbox"]')).toBeVisible();
  await expect(page.getByTestId("tv-unread-count")).toHaveText(`未読 ${unreadBefore} 件`);
  await expectPlainTvScreen(page);
  // The first document has the focus; the arrows move along the list.
  await expect.poll(() => focusedText(page)).toMatch(/^1/);
  await arrowDownTo(page, "お薬の記録");
  await page.keyboard.press("Enter");
  await expect(page.locator('main[data-tv-screen="document"]')).toBeVisible();
  await expect(page.getByTestId("tv-document-fields")).toContainText("医療機関");
  await expectPlainTvScreen(page);
  await pressBack(page);
  await expect(page.locator('main[data-tv-screen="mailbox"]')).toBeVisible();
  await expect(page.getByTestId("tv-unread-count")).toHaveText(`未読 ${unreadBefore - 1} 件`);
  const read = await world.prisma.auditEvent.findFirst({
    where: { type: "document.read", subjectResidentId: world.residentId },
    orderBy: { seq: "desc" },
  });
  expect(read?.channel).toBe("tv");
  await pressBack(page);
  await expect(page.locator('main[data-tv-screen="menu"]')).toBeVisible();
});

test("[TV][HEALTH]: number key 2 shows the current medication and the check-up results; 1 opens a result", async ({
  seriousA11yViolations,
}) => {
  await page.keyboard.press("2");
  await expect(page.locator('main[data-tv-screen="health"]')).toBeVisible();
  expect(await seriousA11yViolations(page)).toEqual([]);
  await expectPlainTvScreen(page);
  await expect(page.getByTestId("tv-medication")).toContainText("アムロジピン錠5mg");
  await expect(page.getByTestId("tv-medication").getByTestId("tv-document-fields")).toBeVisible();
  const checkups = page.getByTestId("tv-checkups");
  await expect(checkups.getByRole("link")).toHaveCount(1);
  await page.keyboard.press("1");
  await expect(page.locator('main[data-tv-screen="document"]')).toBeVisible();
  await pressBack(page);
  await expect(page.locator('main[data-tv-screen="health"]')).toBeVisible();
  await pressBack(page);
  await expect(page.locator('main[data-tv-screen="menu"]')).toBeVisible();
  await page.keyboard.press("3");
  await expect(page.getByTestId("tv-order-none")).toBeVisible();
  await pressBack(page);
  await expect(page.locator('main[data-tv-screen="menu"]')).toBeVisible();
});

test("[TV][ORDER]: an ACTIVE order takes the screen with her name; BLUE answers 「無事です」, RED 「助けが必要です」", async ({
  seriousA11yViolations,
}) => {
  const { residents } = readCardWorld();
  const orderId = await world.raiseOrder(4);
  // The TV comes back to its home screen: the order is full-screen.
  await page.goto("/tv");
  await expect(page.locator('main[data-tv-screen="order"]')).toBeVisible();
  await expect(page.getByTestId("tv-order-name")).toHaveText(`${residents.tvResident.displayName} さん`);
  await expect(page.getByTestId("tv-order-level")).toContainText("警戒レベル4 避難指示");
  await expect(page.getByTestId("tv-order-level")).toContainText("洪水");
  await expect(page.getByTestId("tv-shelters")).toContainText("一枚町立第一小学校");
  await expect(page.locator("[data-tv-colour-legend]")).toContainText("青＝B または F4");
  // OK would answer 「無事です」 (it has the focus); the arrows reach 「助けが必要です」.
  await expect(page.getByTestId("tv-reply-blue")).toBeFocused();
  await page.keyboard.press("ArrowRight");
  await expect(page.getByTestId("tv-reply-red")).toBeFocused();
  // High contrast on the level's colour, as on every other screen.
  expect(await seriousA11yViolations(page)).toEqual([]);
  await expectPlainTvScreen(page);

  await pressColourKey(page, "blue");
  await expect(page.getByTestId("tv-done-status")).toHaveAttribute("data-status", "SAFE");
  await expectPlainTvScreen(page);
  const safe = await world.prisma.safetyReply.findUniqueOrThrow({
    where: { orderId_residentId: { orderId, residentId: world.residentId } },
  });
  expect([safe.status, safe.channel]).toEqual(["SAFE", "TV"]);

  await pressBack(page);
  await expect(page.getByTestId("tv-reply-current")).toHaveText("お知らせ済み：無事です");
  await pressColourKey(page, "red");
  await expect(page.getByTestId("tv-done-status")).toHaveAttribute("data-status", "NEEDS_HELP");
  const help = await world.prisma.safetyReply.findUniqueOrThrow({
    where: { orderId_residentId: { orderId, residentId: world.residentId } },
  });
  expect([help.status, help.channel]).toEqual(["NEEDS_HELP", "TV"]);
  // Number key 2: the menu (the order stays reachable under 3).
  await page.keyboard.press("2");
  await expect(page.locator('main[data-tv-screen="menu"]')).toBeVisible();
  await page.keyboard.press("3");
  await expect(page.locator('main[data-tv-screen="order"]')).toBeVisible();
  await pressBack(page);
  await expect(page.locator('main[data-tv-screen="menu"]')).toBeVisible();
});

test("[TV][LOGOUT]: number key 5 logs out and the TV shows the login screen", async () => {
  await page.keyboard.press("5");
  await expect(page.locator('main[data-tv-screen="login"]')).toBeVisible({ timeout: 20_000 });
  await expect(page.getByTestId("tv-card-login")).toBeFocused();
});

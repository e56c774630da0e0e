import { loginWithCard } from "../fixtures/card-login";
import { expect, test } from "../fixtures";
import { openTvWorld, sendHeartbeat, type TTvWorld } from "../fixtures/tv";

test.use({ ignoreHTTPSErrors: true });
// A card login, two page loads and a dozen requests: more than the default 30 s on a shared machine.
test.setTimeout(120_000);

let world: TTvWorld;
test.beforeAll(async () => {
  world = await openTvWorld("tvResident");
});
test.afterAll(async () => {
  await world?.close();
});

test("[TV][SET-TOP-BOX]: heartbeats are refused for an unknown box, dropped without consent, kept (one a minute) after opt-in; withdrawing deletes them", async ({
  page,
  request,
}) => {
  const beat = (token: string | null, activity = "REMOTE") =>
    request.post("/api/terminal/heartbeat", {
      headers: token ? { authorization: `Bearer ${token}` } : {},
      data: { activity },
    });
  const unknown = await beat(null);
  expect(unknown.status()).toBe(401);
  expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe("SET_TOP_BOX_UNKNOWN");
  expect((await beat("A".repeat(43))).status()).toBe(401);

  const box = await world.enrolBox();
  const dropped = await beat(box.token);
  expect(dropped.status()).toBe(202);
  expect(await dropped.json()).toEqual({ stored: false, reason: "NO_CONSENT" });
  expect((await beat(box.token, "TURBO")).status()).toBe(422);

  // The resident opts in on the web (/settings/set-top-box, card step-up).
  await loginWithCard(page, "tvResident");
  await page.goto("/settings/set-top-box");
  const section = page.locator(`[data-box-id="${box.boxId}"]`);
  await expect(section.getByTestId("stb-consent")).toHaveText("同意していません");
  await section.getByTestId("stb-consent-toggle").click();
  await expect(page.getByRole("status")).toContainText("同意しました。");
  await expect(section.getByTestId("stb-consent")).toContainText("同意しています");

  expect(await sendHeartbeat(request, box.token)).toEqual({ status: 202, body: { stored: true } });
  expect(await (await beat(box.token)).json()).toEqual({ stored: false, reason: "COALESCED" });
  expect(await (await beat(box.token, "POWER_OFF")).json()).toEqual({ stored: true });
  await page.reload();
  await expect(section.getByTestId("stb-kept")).toHaveText("保存件数：2 件");
  await expect(section.getByTestId("stb-recent")).toContainText("リモコン操作");
  await expect(section.getByTestId("stb-recent")).toContainText("電源を切った");

  await section.getByTestId("stb-consent-toggle").click();
  await expect(page.getByRole("status")).toContainText("同意を撤回しました。削除した記録：2 件");
  expect(await world.prisma.setTopBoxHeartbeat.count({ where: { boxId: box.boxId } })).toBe(0);
  expect(await (await beat(box.token)).json()).toEqual({ stored: false, reason: "NO_CONSENT" });
  const ledger = await world.prisma.auditEvent.findMany({
    where: { subjectResidentId: world.residentId, type: { in: ["set_top_box.opted_in", "set_top_box.withdrawn"] } },
    orderBy: { seq: "asc" },
  });
  expect(ledger.map((e) => e.type)).toEqual(["set_top_box.opted_in", "set_top_box.withdrawn"]);
});

import type { ChildProcess } from "node:child_process";
import type { PrismaClient } from "../../generated/prisma/client";
import { expect, test } from "../fixtures";
import { E2E_BASE_URL, readCardWorld } from "../fixtures/card";
import { loginWithCard } from "../fixtures/card-login";
import { issueOrderAsStaff, residentOfDistrict, type TDistrictSetUp } from "../fixtures/disaster-orders";
import { openE2eDatabase } from "../fixtures/services";
import {
  checkInAtShelter,
  dashboardHeadCount,
  enrolShelterKiosk,
  openShelterDashboard,
  seedE2eShelter,
  type TE2eShelter,
} from "../fixtures/shelters";
import {
  openTvWorld,
  pressColourKey,
  sendHeartbeat,
  startTvAgent,
  type TTvWorld,
  tvLoginWithRemote,
} from "../fixtures/tv";

// The disaster drill as one closed loop, for four residents of one district of its own (card
// roles drill*), through the real card path everywhere: staff raise a level-4 order at
// /admin/disaster; one resident logs in on the TV with the remote only, sees the order with her
// name and answers "safe" with the blue key; her neighbour checks in at a shelter by card tap;
// the staff dashboard follows both without a reload; the neighbour's family member sees him
// checked in; a third neighbour who never answers shows as "probably at home" from his
// set-top box.
test.use({ ignoreHTTPSErrors: true });

const TOWN = { slug: "e2e-drill-town", name: "一枚町役場（防災訓練E2E）" };

let prisma: PrismaClient;
let place: TDistrictSetUp;
let shelter: TE2eShelter;
let tvAgent: ChildProcess | undefined;
let atHome: TTvWorld;
let boxToken: string;

test.beforeAll(async () => {
  prisma = (await openE2eDatabase()).prisma;
  const { residents } = readCardWorld();
  // Her district, on the map, with the town's signer and no order left from an earlier run.
  place = await residentOfDistrict(prisma, "drillTv", { needs: [] });
  const home = await prisma.resident.findUniqueOrThrow({
    where: { id: residents.drillTv.residentId },
    select: { household: { select: { latitude: true, longitude: true, address: true } } },
  });
  // The neighbours move into the same district: the neighbour and his family member share a household.
  const neighbourHousehold = await prisma.household.upsert({
    where: { code: "E2E-DRILL-H1" },
    update: {},
    create: {
      code: "E2E-DRILL-H1",
      districtId: place.district.id,
      address: `${home.household.address} 隣`,
      latitude: home.household.latitude,
      longitude: home.household.longitude,
    },
  });
  const atHomeHousehold = await prisma.household.upsert({
    where: { code: "E2E-DRILL-H2" },
    update: {},
    create: {
      code: "E2E-DRILL-H2",
      districtId: place.district.id,
      address: `${home.household.address} 向かい`,
      latitude: home.household.latitude,
      longitude: home.household.longitude,
    },
  });
  for (const [role, householdId] of [
    ["drillNeighbour", neighbourHousehold.id],
    ["drillFamily", neighbourHousehold.id],
    ["drillAtHome", atHomeHousehold.id],
  ] as const) {
    await prisma.resident.update({
      where: { id: residents[role].residentId },
      data: { districtId: place.district.id, householdId, needs: [] },
    });
  }
  // A re-run starts clean: nobody checked in, no reply kept from an order of an earlier run.
  await prisma.shelterCheckIn.updateMany({
    where: {
      residentId: { in: [residents.drillNeighbour.residentId, residents.drillFamily.residentId] },
      checkedOutAt: null,
    },
    data: { checkedOutAt: new Date() },
  });
  shelter = await seedE2eShelter(prisma, {
    partner: TOWN,
    code: "E2E-DRILL-SH",
    name: "上勝公民館（防災訓練E2E）",
    districtId: place.district.id,
  });
  // The third neighbour's cable-TV box, with his consent to the at-home estimate.
  atHome = await openTvWorld("drillAtHome");
  boxToken = (await atHome.enrolBox({ optIn: true })).token;
  tvAgent = await startTvAgent();
});

test.afterAll(async () => {
  await atHome?.close();
  await prisma?.$disconnect();
  if (tvAgent?.pid) tvAgent.kill("SIGTERM");
});

test("[DISASTER][DONE]: a level-4 order; safe on the TV by remote; a neighbour checked in by card; the live dashboard; the family view; probably at home from the set-top box", async ({
  browser,
  request,
}) => {
  test.setTimeout(300_000);
  const { residents } = readCardWorld();
  const district = place.district.code;

  const staffContext = await browser.newContext({ ignoreHTTPSErrors: true, baseURL: E2E_BASE_URL });
  const staff = await staffContext.newPage();
  await test.step("disaster staff raise a level-4 order for the district", async () => {
    await loginWithCard(staff, "disasterStaff");
    await issueOrderAsStaff(staff, {
      district,
      level: 4,
      hazard: "FLOOD",
      message: "川の水位が上がっています。すぐに避難してください。",
    });
  });
  const order = await prisma.evacuationOrder.findFirstOrThrow({
    where: { districtId: place.district.id, status: "ACTIVE" },
  });
  expect(order.level).toBe(4);

  const row = staff.locator(`[data-district-code="${district}"]`);
  await test.step("the dashboard is open and live", async () => {
    await openShelterDashboard(staff);
    await expect(row.getByTestId("district-replied")).toHaveText("0");
    await expect(row.getByTestId("district-checked-in")).toHaveText("0");
    await staff.evaluate(() => {
      (window as unknown as { notReloaded: boolean }).notReloaded = true;
    });
  });

  await test.step("she logs in on the TV with the remote, sees the order with her name, and presses blue (safe)", async () => {
    const tvContext = await browser.newContext({ ignoreHTTPSErrors: true, baseURL: E2E_BASE_URL });
    const tv = await tvContext.newPage();
    await tvLoginWithRemote(tv, "drillTv");
    await tv.goto("/tv");
    await expect(tv.locator('main[data-tv-screen="order"]')).toBeVisible({ timeout: 20_000 });
    await expect(tv.getByTestId("tv-order-name")).toHaveText(`${residents.drillTv.displayName} さん`);
    await expect(tv.getByTestId("tv-order-level")).toContainText("警戒レベル4");
    await expect(tv.getByTestId("tv-shelters")).not.toBeEmpty();
    await pressColourKey(tv, "blue");
    await expect(tv.getByTestId("tv-done-status")).toHaveAttribute("data-status", "SAFE");
    await tvContext.close();
    const reply = await prisma.safetyReply.findUniqueOrThrow({
      where: { orderId_residentId: { orderId: order.id, residentId: residents.drillTv.residentId } },
    });
    expect([reply.status, reply.channel]).toEqual(["SAFE", "TV"]);
    // The delivery ladder's receipts: her signed notice was delivered, shown on the TV and read there.
    const notice = await prisma.evacuationNotice.findUniqueOrThrow({
      where: { orderId_residentId: { orderId: order.id, residentId: residents.drillTv.residentId } },
    });
    expect(notice.documentId).not.toBeNull();
    expect(notice.tvBannerAt).not.toBeNull();
    expect(notice.readAt).not.toBeNull();
  });

  await test.step("her neighbour is checked in at the shelter by card tap", async () => {
    const kioskContext = await browser.newContext({ ignoreHTTPSErrors: true, baseURL: E2E_BASE_URL });
    const kiosk = await kioskContext.newPage();
    await enrolShelterKiosk(kiosk, prisma, { partnerSlug: TOWN.slug, shelterCode: shelter.code });
    await checkInAtShelter(kiosk, "drillNeighbour");
    await expect(kiosk.locator('[data-shelter-state="checked-in"]').getByRole("status")).toContainText(
      residents.drillNeighbour.displayName,
    );
    await kioskContext.close();
  });

  await test.step("the dashboard shows both without a reload", async () => {
    await expect(row.getByTestId("district-replied")).toHaveText("1", { timeout: 20_000 });
    await expect(row.getByTestId("district-checked-in")).toHaveText("1", { timeout: 20_000 });
    await expect(dashboardHeadCount(staff, shelter.code)).toHaveText("1");
    expect(await staff.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
  });

  await test.step("the family member sees the neighbour checked in", async () => {
    const familyContext = await browser.newContext({ ignoreHTTPSErrors: true, baseURL: E2E_BASE_URL });
    const family = await familyContext.newPage();
    await loginWithCard(family, "drillFamily");
    await family.goto("/disaster/household");
    const neighbour = family.locator('[data-member-relation="household"]', {
      hasText: residents.drillNeighbour.displayName,
    });
    await expect(neighbour.getByTestId("member-shelter")).toContainText(`${shelter.name} に受付済み`);
    await familyContext.close();
  });

  await test.step("the neighbour who never answered is probably at home, from his set-top box", async () => {
    const beat = await sendHeartbeat(request, boxToken, "REMOTE");
    expect(beat.status).toBe(202);
    await expect(row.getByTestId("district-at-home")).toHaveText("1", { timeout: 20_000 });
    await staff.goto("/admin/disaster/shelters/unaccounted");
    const him = staff.locator(`tr[data-resident-id="${residents.drillAtHome.residentId}"]`);
    await expect(him.getByTestId("unaccounted-at-home")).toContainText("在宅の可能性");
    // The two who answered or checked in are accounted for.
    await expect(staff.locator(`tr[data-resident-id="${residents.drillTv.residentId}"]`)).toHaveCount(0);
    await expect(staff.locator(`tr[data-resident-id="${residents.drillNeighbour.residentId}"]`)).toHaveCount(0);
  });
  await staffContext.close();
});

import type { PrismaClient } from "../../generated/prisma/client";
import { seedResident } from "../../prisma/seed/factories";
import { expect, test } from "../fixtures";
import { E2E_BASE_URL, readCardWorld } from "../fixtures/card";
import { loginWithCard } from "../fixtures/card-login";
import { chooseKioskCard, openE2eDatabase } from "../fixtures/services";
import {
  checkInAtShelter,
  confirmChildAtShelter,
  dashboardHeadCount,
  enrolShelterKiosk,
  openShelterDashboard,
  seedE2eShelter,
  type TE2eShelter,
} from "../fixtures/shelters";

// Shelters (lib/disaster/shelters) in real Chromium: a shelter kiosk is enrolled, a resident
// checks in by card tap through the test agent, the staff dashboard open in another browser
// follows it without a reload (server-sent events), her household member sees "checked in at …",
// and a second tap of the same card is refused without counting her twice.
test.use({ ignoreHTTPSErrors: true });

const TOWN = { slug: "e2e-shelter-town", name: "一枚町役場（避難所E2E）" };

let prisma: PrismaClient;
let shelter: TE2eShelter;
let districtCode: string;

test.beforeAll(async () => {
  prisma = (await openE2eDatabase()).prisma;
  const { residents } = readCardWorld();
  const evacuee = await prisma.resident.findUniqueOrThrow({ where: { id: residents.evacuee.residentId } });
  // Her family member lives in the same household (the e2e world seeds each card holder alone).
  await prisma.resident.update({
    where: { id: residents.evacueeFamily.residentId },
    data: { householdId: evacuee.householdId, districtId: evacuee.districtId },
  });
  // An active order for her district, so the dashboard accounts for its residents.
  const active = await prisma.evacuationOrder.findFirst({
    where: { districtId: evacuee.districtId, status: "ACTIVE" },
  });
  if (!active) {
    const issuer = await prisma.staffMember.findUniqueOrThrow({ where: { employeeNumber: "E2E-STAFF-ADMIN" } });
    await prisma.evacuationOrder.create({
      data: {
        districtId: evacuee.districtId,
        hazard: "FLOOD",
        level: 4,
        message: "避難（E2E）",
        issuedById: issuer.id,
      },
    });
  }
  districtCode = (await prisma.district.findUniqueOrThrow({ where: { id: evacuee.districtId } })).code;
  // Her son of 8, who has no card yet (staff confirm him at the kiosk).
  await seedResident(prisma, {
    registryNumber: "E2E-SHELTER-CHILD",
    familyName: "海部",
    givenName: "空",
    familyNameKana: "カイフ",
    givenNameKana: "ソラ",
    dateOfBirth: new Date(Date.UTC(new Date().getUTCFullYear() - 8, 0, 1)),
    householdId: evacuee.householdId,
    districtId: evacuee.districtId,
  });
  shelter = await seedE2eShelter(prisma, {
    partner: TOWN,
    code: "E2E-SH-1",
    name: "港小学校（避難所E2E）",
    districtId: evacuee.districtId,
  });
});
test.afterAll(async () => {
  await prisma?.$disconnect();
});

test("[SHELTER][CHECK-IN]: a card tap checks her in once; the staff dashboard updates live; her household sees it", async ({
  page,
  browser,
  seriousA11yViolations,
}) => {
  test.setTimeout(150_000);
  const { residents } = readCardWorld();

  // Staff watch the dashboard in their own browser.
  const staffContext = await browser.newContext({ ignoreHTTPSErrors: true, baseURL: E2E_BASE_URL });
  const staff = await staffContext.newPage();
  await loginWithCard(staff, "staff");
  await openShelterDashboard(staff);
  await expect(dashboardHeadCount(staff, shelter.code)).toHaveText("0");
  const unaccounted = staff.locator(`[data-district-code="${districtCode}"]`).getByTestId("district-unaccounted");
  const before = Number(await unaccounted.textContent());
  expect(before).toBeGreaterThan(0);
  expect(await seriousA11yViolations(staff)).toEqual([]);
  const marker = await staff.evaluate(() => {
    (window as unknown as { notReloaded: boolean }).notReloaded = true;
    return true;
  });
  expect(marker).toBe(true);

  // The kiosk: enrolled, her card tapped.
  await enrolShelterKiosk(page, prisma, { partnerSlug: TOWN.slug, shelterCode: shelter.code });
  await checkInAtShelter(page, "evacuee");
  const done = page.locator('[data-shelter-state="checked-in"]');
  await expect(done.getByRole("status")).toContainText("海部 凪");
  // A household at a time: her family member's name is offered.
  await expect(page.getByTestId("shelter-household")).toContainText("海部 湊");
  expect(await seriousA11yViolations(page)).toEqual([]);

  // The dashboard follows without a reload.
  await expect(dashboardHeadCount(staff, shelter.code)).toHaveText("1", { timeout: 20_000 });
  await expect(unaccounted).toHaveText(String(before - 1));

  // Her son has no card: staff see him and confirm him with her check-in.
  await confirmChildAtShelter(page, "海部 空");
  await expect(dashboardHeadCount(staff, shelter.code)).toHaveText("2", { timeout: 20_000 });
  expect(await staff.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);

  // A second tap of the same card: refused with its code, still counted once.
  await page.getByTestId("tap-again").click();
  await page.getByTestId("shelter-check-in").click();
  await chooseKioskCard(page, "evacuee");
  await expect(page.locator('[data-shelter-state="error"]')).toHaveAttribute(
    "data-error-code",
    "SHELTER_ALREADY_CHECKED_IN",
    { timeout: 30_000 },
  );
  expect(
    await prisma.shelterCheckIn.count({ where: { residentId: residents.evacuee.residentId, checkedOutAt: null } }),
  ).toBe(1);
  await expect(dashboardHeadCount(staff, shelter.code)).toHaveText("2");
  await staffContext.close();

  // Her household member, in his own browser: "checked in at …".
  const familyContext = await browser.newContext({ ignoreHTTPSErrors: true, baseURL: E2E_BASE_URL });
  const family = await familyContext.newPage();
  await loginWithCard(family, "evacueeFamily");
  await family.goto("/disaster/household");
  const mother = family.locator('[data-member-relation="household"]', { hasText: "海部 凪" });
  await expect(mother.getByTestId("member-shelter")).toContainText(`${shelter.name} に受付済み`);
  const son = family.locator('[data-member-relation="household"]', { hasText: "海部 空" });
  await expect(son.getByTestId("member-shelter")).toContainText(`${shelter.name} に受付済み`);
  expect(await seriousA11yViolations(family)).toEqual([]);
  await familyContext.close();
});

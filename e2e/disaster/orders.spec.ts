import type { PrismaClient } from "../../generated/prisma/client";
import { expect, test } from "../fixtures";
import { loginWithCard } from "../fixtures/card-login";
import {
  changeOrderAsStaff,
  issueOrderAsStaff,
  orderCounts,
  replySafety,
  residentOfDistrict,
  type TDistrictSetUp,
} from "../fixtures/disaster-orders";
import { openE2eDatabase } from "../fixtures/services";

test.use({ ignoreHTTPSErrors: true });

let prisma: PrismaClient;
let place: TDistrictSetUp;

test.beforeAll(async () => {
  ({ prisma } = await openE2eDatabase());
  place = await residentOfDistrict(prisma, "disasterResident");
});
test.afterAll(async () => {
  await prisma?.$disconnect();
});

test("[DISASTER][ORDERS]: a level-4 order reaches the district's resident, who answers safe, and staff see it", async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const staff = await browser.newPage({ ignoreHTTPSErrors: true });
  await loginWithCard(staff, "disasterStaff");
  await issueOrderAsStaff(staff, {
    district: place.district.code,
    level: 4,
    hazard: "FLOOD",
    escalateAfterMinutes: 10,
  });
  const row = staff.getByTestId("district-levels").locator(`tr[data-district="${place.district.code}"]`);
  await expect(row).toHaveAttribute("data-level", "4");
  await expect(row).toContainText("警戒レベル4 避難指示");
  expect(await orderCounts(staff, place.district.code)).toMatchObject({ residents: 1, read: 0, unread: 1, safe: 0 });

  // A second order for the same district and hazard is refused: raise the one in force instead.
  await staff.goto("/admin/disaster");
  const form = staff.getByTestId("issue-order");
  await form.getByLabel("地区").selectOption(place.district.code);
  await form.getByLabel("警戒レベル").selectOption("5");
  await form.getByLabel("住民へのメッセージ（日本語）").fill("重ねて発令");
  await form.getByTestId("issue-submit").click();
  await expect(form.getByTestId("issue-result")).toHaveAttribute("data-result", "DISASTER_ORDER_ALREADY_ACTIVE");

  const resident = await browser.newPage({ ignoreHTTPSErrors: true });
  await loginWithCard(resident, "disasterResident");
  // The banner is on every resident page while the order is in force.
  const banner = resident.getByTestId("disaster-banner");
  await expect(banner).toHaveAttribute("data-level", "4");
  await expect(banner).toContainText("警戒レベル4 避難指示");
  await banner.getByRole("link", { name: "あなたの避難先と安否の連絡" }).click();
  await expect(resident).toHaveURL(/\/disaster$/);
  await expect(resident.getByRole("heading", { level: 1 })).toHaveText("防災");
  const order = resident.getByTestId("disaster-order");
  await expect(order.getByRole("heading", { name: `${place.displayName} さんへの指示` })).toBeVisible();
  await expect(order.getByTestId("instruction")).toContainText("危険な場所から全員避難してください。");
  await expect(order.getByTestId("shelters")).toContainText(place.shelter.name);
  await expect(order.getByRole("img", { name: "避難所の地図" })).toBeVisible();

  // Her signed notice is in the mailbox, addressed to her by name.
  await order.getByRole("link", { name: "私書箱の署名付き避難指示を開く" }).click();
  await expect(resident.getByRole("main")).toContainText(`${place.displayName} 様`);
  await expect(resident.getByRole("main")).toContainText(place.shelter.name);

  await replySafety(resident, "SAFE");
  expect(await orderCounts(staff, place.district.code)).toMatchObject({ read: 1, unread: 0, safe: 1, needsHelp: 0 });

  // Raising sends a new notice; lifting ends the banner and the page shows the empty state.
  await changeOrderAsStaff(staff, { district: place.district.code, to: 5 });
  await resident.goto("/mailbox");
  await expect(resident.getByTestId("disaster-banner")).toHaveAttribute("data-level", "5");
  await changeOrderAsStaff(staff, { district: place.district.code, to: "lift" });
  await resident.goto("/disaster");
  await expect(resident.getByTestId("disaster-empty")).toBeVisible();
  await expect(resident.getByTestId("disaster-banner")).toHaveCount(0);
  await staff.close();
  await resident.close();
});

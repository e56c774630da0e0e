import "reflect-metadata";
import type { Page } from "@playwright/test";
import { seedResident } from "../../prisma/seed/factories";
import { expect, test } from "../fixtures";
import { E2E_AGENT_PORT, E2E_BASE_URL, readCardWorld } from "../fixtures/card";
import { loginWithCard } from "../fixtures/card-login";
import { addressInNewDistrict, E2E_TOWN, openE2eDatabase, setUpTown as setUpTownSigner } from "../fixtures/services";

// The card agent serves HTTPS with its own local CA (docs/card-agent-protocol.md#browser-and-node-clients).
test.use({ ignoreHTTPSErrors: true });
test.setTimeout(180_000);

const AGENT = `agent=127.0.0.1:${E2E_AGENT_PORT}`;
/** The town as issuer (e2e/fixtures/services.ts), a spouse in the applicant's household, and a district to move to. */
async function setUpTown(applicantId: string) {
  const { prisma } = await openE2eDatabase();
  const { district } = await setUpTownSigner(prisma);
  const applicant = await prisma.resident.findUniqueOrThrow({ where: { id: applicantId } });
  const spouse = await seedResident(prisma, {
    registryNumber: "E2E-APPLICANT-SPOUSE",
    householdId: applicant.householdId,
    familyName: applicant.familyName,
    givenName: "凪",
    familyNameKana: applicant.familyNameKana,
    givenNameKana: "ナギ",
    gender: "FEMALE",
    householdRelation: "妻",
  });
  return { prisma, applicant, spouse, district, newAddress: addressInNewDistrict(applicant.address, "三丁目５番７号") };
}

/**
 * Review (the registry's four facts shown before any PIN) → sign with the card through the agent
 * (it types the signing PIN) → the certificate's four facts → sign.
 */
async function signWithCard(page: Page, cardName: string, expectedAddress: string) {
  await expect(page.getByTestId("application-review")).toBeVisible();
  await expect(page.getByTestId("sign-expected-facts")).toContainText(expectedAddress);
  await page.getByTestId("card-sign-start").click();
  const chooser = page.locator('[data-sign-state="choose-card"]');
  await expect(chooser).toBeVisible({ timeout: 20_000 });
  await chooser.getByRole("button", { name: new RegExp(`^${cardName.replace(/[()]/g, "\\$&")} — 署名用`) }).click();
  const facts = page.getByTestId("sign-facts");
  await expect(facts).toBeVisible({ timeout: 20_000 });
  await expect(facts).toContainText(expectedAddress);
  await expect(page.getByTestId("sign-facts-differ")).toHaveCount(0);
  await page.getByTestId("card-sign-confirm").click();
  await expect(page).toHaveURL(/\/services\/applications\?submitted=/, { timeout: 30_000 });
}

test("[APPLICATIONS][DONE]: a resident signs a 転居届 and a 住民票 request with the card, staff approve both in /admin/applications, the registry moves and the 住民票 arrives signed with the new address", async ({
  page,
  browser,
  seriousA11yViolations,
}) => {
  const world = readCardWorld();
  const who = world.residents.applicant;
  const { prisma, applicant, spouse, district, newAddress } = await setUpTown(who.residentId);
  try {
    await loginWithCard(page, "applicant");
    await page.goto("/services");
    await page.locator(`[data-section="applications"]`).getByRole("link").click();
    await expect(page.getByRole("heading", { level: 1, name: "行政手続の申請" })).toBeVisible();
    expect(await seriousA11yViolations(page)).toEqual([]);

    // 転居届: an address outside the district chosen is refused before anything is signed.
    await page.goto(`/services/applications/new?kind=move&${AGENT}`);
    const form = page.getByTestId("application-form-move");
    await form.getByLabel("新しい住所").fill("東京都千代田区永田町一丁目");
    await form.getByLabel("郵便番号").fill("779-3905");
    await form.getByLabel("地区").selectOption(district.code);
    await form.getByLabel("転居した日").fill("2026-12-01");
    await page.getByTestId("application-prepare").click();
    await expect(page.locator('[data-error-code="VALIDATION_FAILED"]')).toBeVisible();
    await form.getByLabel("新しい住所").fill(newAddress);
    await form.getByRole("checkbox", { name: new RegExp(spouse.givenName) }).check();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.getByTestId("application-prepare").click();
    await expect(page.getByTestId("application-review")).toContainText(newAddress);
    // The facts shown before signing are the current (old) address on the signing certificate.
    await signWithCard(page, who.cardName, applicant.address);

    // 住民票の写し for the whole household.
    await page.goto(`/services/applications/new?kind=residence-certificate&${AGENT}`);
    const request = page.getByTestId("application-form-residence-certificate");
    await request.getByLabel("世帯全員").check();
    await request.getByLabel("通数").fill("2");
    await request.getByLabel("使いみち").fill("銀行口座の開設");
    await page.getByTestId("application-prepare").click();
    await signWithCard(page, who.cardName, applicant.address);
    const mine = page.getByTestId("my-applications");
    await expect(mine.locator('tr[data-status="submitted"]')).toHaveCount(2);
    expect(await seriousA11yViolations(page)).toEqual([]);

    // Staff: the queue, the verification, approve the move first, then the request.
    const staffContext = await browser.newContext({
      ignoreHTTPSErrors: true,
      locale: "ja-JP",
      timezoneId: "Asia/Tokyo",
      baseURL: E2E_BASE_URL,
    });
    const staff = await staffContext.newPage();
    await loginWithCard(staff, "staff");
    await staff.goto("/admin/applications");
    const queue = staff.getByTestId("application-queue");
    await expect(queue).toContainText("転居届");
    expect(await seriousA11yViolations(staff)).toEqual([]);
    const rowOf = (kind: string) =>
      queue.getByRole("row").filter({ hasText: kind }).filter({ hasText: who.displayName });
    await rowOf("転居届").getByRole("link").click();
    await expect(staff.getByTestId("signature-valid")).toHaveText("有効");
    await expect(staff.getByTestId("certificate-status")).toContainText("有効");
    await expect(staff.getByTestId("facts").locator('[data-differs="true"]')).toHaveCount(0);
    expect(await seriousA11yViolations(staff)).toEqual([]);
    await staff.getByTestId("approve").click();
    await expect(staff.getByTestId("decided")).toBeVisible({ timeout: 30_000 });

    for (const id of [applicant.id, spouse.id]) {
      const r = await prisma.resident.findUniqueOrThrow({ where: { id } });
      expect(r).toMatchObject({ address: newAddress, postalCode: "779-3905", districtId: district.id });
    }

    await staff.goto("/admin/applications");
    await rowOf("住民票").getByRole("link").click();
    // Signed before the move: the certificate says the old address, the registry the new one.
    await expect(staff.getByTestId("facts").locator('[data-differs="true"]')).toHaveCount(1);
    await staff.getByTestId("approve").click();
    await expect(staff.getByTestId("decided")).toBeVisible({ timeout: 30_000 });
    await staffContext.close();

    // The resident: both approved, and the 住民票 in the mailbox carries the new address, signed by the town.
    await page.goto("/services/applications");
    await expect(mine.locator('tr[data-status="approved"]')).toHaveCount(2);
    await mine.getByRole("link", { name: "届いた書類を開く" }).click();
    await expect(page).toHaveURL(/\/mailbox\/[0-9a-f-]{36}$/);
    await expect(page.locator("main")).toContainText(newAddress);
    await expect(page.locator("main")).toContainText(E2E_TOWN.name);
    const doc = await prisma.mailboxDocument.findFirstOrThrow({
      where: { residentId: applicant.id, type: "residence-certificate" },
      select: { payload: true, verificationReport: true },
    });
    expect((doc.payload as { address: string }).address).toBe(newAddress);
    expect((doc.verificationReport as { valid: boolean }).valid).toBe(true);

    // The move revoked the old signing certificate; J-LIS re-issued one, written onto the card as
    // the counter would: the next signature carries the new address.
    await page.goto(`/services/applications/new?kind=residence-certificate&${AGENT}`);
    await request.getByLabel("使いみち").fill("勤務先への提出");
    await page.getByTestId("application-prepare").click();
    await signWithCard(page, who.cardName, newAddress);
    await expect(mine.locator('tr[data-status="submitted"]')).toHaveCount(1);

    // The staff reads are in the resident's access log.
    await page.goto("/settings/access-log");
    await expect(page.getByRole("table").locator('[data-event-type="staff.access"]').first()).toContainText("職員");
  } finally {
    await prisma.$disconnect();
  }
});

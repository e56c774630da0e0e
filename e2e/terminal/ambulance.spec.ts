import path from "node:path";
import type { Page } from "@playwright/test";
import type { PrismaClient } from "../../generated/prisma/client";
import { openPartnerCa } from "../../jlis-sim/partner-ca/partner-ca";
import { deliverDocument } from "../../lib/mailbox/deliver-document";
import { EXAMPLE_PAYLOADS } from "../../lib/mailbox/document-types/examples";
import { linkPartner } from "../../lib/mailbox/link-partner";
import { revokeEmergencyConsent } from "../../lib/services/emergency/set-emergency-consent";
import { seedPartner } from "../../prisma/seed/factories";
import { signPayload } from "../../test/mailbox/mailbox-world";
import { expect, test } from "../fixtures";
import { loginWithCard } from "../fixtures/card-login";
import { E2E_ROOT, readCardWorld, type TE2eCardRole } from "../fixtures/card";
import { chooseKioskCard, enrolKiosk, issueOrgSigner, openE2eDatabase } from "../fixtures/services";

// The emergency history at an ambulance crew's kiosk (/terminal/ambulance) in real Chromium: the
// kiosk is enrolled with a one-time code, the card is read through the test agent — without the
// PIN for break-glass (only the user-authentication certificate, as a real card gives it) — and
// the resident then finds that read in her access log, marked as break-glass.
test.use({ ignoreHTTPSErrors: true });

const FIRE = { slug: "e2e-ichimai-fire", name: "一枚町消防本部（E2E）", nameEn: "Ichimai Fire Department (E2E)" };
const HOSPITAL = { slug: "e2e-emergency-hospital", name: "一枚町立病院（E2E救急）", nameEn: "Ichimai Hospital (E2E)" };
/** The patient: the resident of the card-login world, whose access log the second half reads. */
const PATIENT: TE2eCardRole = "login";
const MEDICINE = "モンテルカスト錠10mg";

let prisma: PrismaClient;

test.beforeAll(async () => {
  prisma = (await openE2eDatabase()).prisma;
  const { residents } = readCardWorld();
  await seedPartner(prisma, { ...FIRE, kind: "GOVERNMENT", approvedScopes: ["eligibility:verify", "emergency:read"] });
  const hospital = await seedPartner(prisma, { ...HOSPITAL, kind: "HOSPITAL", approvedScopes: ["documents:deliver"] });
  // The patient's medical summary, signed by the hospital with a key of the partner CA the server trusts.
  const patientId = residents[PATIENT].residentId;
  const partnerRef = "KARTE-E2E-0001";
  const linked = await prisma.partnerResidentLink.findUnique({
    where: { partnerId_residentId: { partnerId: hospital.id, residentId: patientId } },
  });
  if (!linked) await linkPartner(prisma, { residentId: patientId, partnerId: hospital.id, partnerRef });
  const key = "e2e-emergency-summary-1";
  const done = await prisma.deliveryRequest.findUnique({
    where: { partnerId_idempotencyKey: { partnerId: hospital.id, idempotencyKey: key } },
  });
  if (!done) {
    const record = await prisma.resident.findUniqueOrThrow({ where: { id: patientId } });
    const ca = await openPartnerCa(path.join(E2E_ROOT, ".data/partner-ca"));
    const payload = {
      ...EXAMPLE_PAYLOADS["medical-summary"],
      hospital: HOSPITAL.name,
      patientName: `${record.familyName} ${record.givenName}`,
      dateOfBirth: record.dateOfBirth.toISOString().slice(0, 10),
    };
    await deliverDocument(prisma, {
      partnerId: hospital.id,
      idempotencyKey: key,
      trustAnchors: [ca.certificate],
      request: {
        type: "medical-summary",
        recipient: { partnerRef },
        payload,
        signature: await signPayload(await issueOrgSigner(HOSPITAL), payload),
      },
    });
  }
});
test.afterAll(async () => {
  await prisma?.$disconnect();
});

async function enrolAmbulance(page: Page, label: string): Promise<void> {
  await enrolKiosk(page, prisma, { partner: FIRE.slug, label, mode: "AMBULANCE" });
}

async function chooseCard(page: Page, role: TE2eCardRole): Promise<void> {
  await chooseKioskCard(page, role, "data-emergency-state");
}

test("[EMERGENCY][BREAK_GLASS]: a crew reads an unconscious resident's medication without her PIN, with a reason; the read is in her access log marked as break-glass", async ({
  page,
  browser,
  seriousA11yViolations,
}) => {
  // Two card reads, a card login and four axe scans on two shared cores.
  test.setTimeout(120_000);
  const { residents } = readCardWorld();
  const patientId = residents[PATIENT].residentId;
  await enrolAmbulance(page, "救急E2E-1");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("救急隊（救急医療情報の閲覧）");
  expect(await seriousA11yViolations(page)).toEqual([]);

  // No reason: refused by the page, and by the server (stable code, nothing written).
  await page.getByTestId("emergency-break-glass").click();
  await expect(page.locator('[data-emergency-state="reason"]')).toBeVisible();
  await page.getByTestId("emergency-break-glass-submit").click();
  await expect(page.locator("#reason-error")).toContainText("理由の分類と状況を入力してください");
  const origin = new URL(page.url()).origin;
  const bare = await page.request.post("/api/terminal/emergency/break-glass", {
    headers: { origin, "content-type": "application/json" },
    data: { certificate: "A".repeat(200) },
  });
  expect(bare.status()).toBe(422);
  expect(((await bare.json()) as { error: { code: string } }).error.code).toBe("EMERGENCY_REASON_REQUIRED");
  const before = await prisma.breakGlassAccess.count({ where: { residentId: patientId } });

  await page.getByRole("radio", { name: "意識がない" }).check();
  await page.getByLabel("状況（必須）").fill("自宅前で倒れており意識なし。呼びかけに反応なし。");
  expect(await seriousA11yViolations(page)).toEqual([]);
  await page.getByTestId("emergency-break-glass-submit").click();
  await chooseCard(page, PATIENT);

  const result = page.getByTestId("emergency-result");
  await expect(result).toHaveAttribute("data-access-mode", "break_glass", { timeout: 30_000 });
  await expect(result.getByRole("status")).toContainText("緊急閲覧中（理由: 意識がない）");
  await expect(page.getByTestId("emergency-patient")).toHaveText(residents[PATIENT].displayName.replace(" ", "\u3000"));
  // Allergies come first, then the medication list the hospital signed.
  const allergies = page.getByTestId("emergency-allergies");
  await expect(allergies).toContainText("ペニシリン系抗菌薬");
  await expect(allergies.locator('[data-severe="true"]')).toHaveCount(1);
  const medications = page.getByTestId("emergency-medications");
  await expect(medications).toContainText(MEDICINE);
  await expect(medications).toContainText(`${HOSPITAL.name}（2026-11-19）署名済み`);
  const order = await page
    .locator("[data-testid^='emergency-']")
    .evaluateAll((els) => els.map((e) => e.getAttribute("data-testid")));
  expect(order.indexOf("emergency-allergies")).toBeLessThan(order.indexOf("emergency-medications"));
  expect(await seriousA11yViolations(page)).toEqual([]);

  // Within the window this kiosk may show it again.
  const [reread] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith("/api/terminal/emergency/break-glass/reads")),
    page.getByTestId("emergency-reread").click(),
  ]);
  expect(reread.status()).toBe(200);
  await expect(page.getByTestId("emergency-medications")).toContainText(MEDICINE);
  const access = await prisma.breakGlassAccess.findFirstOrThrow({
    where: { residentId: patientId },
    orderBy: { grantedAt: "desc" },
  });
  expect(await prisma.breakGlassAccess.count({ where: { residentId: patientId } })).toBe(before + 1);
  expect(access).toMatchObject({ reasonCategory: "UNCONSCIOUS", reads: 2 });
  expect(access.expiresAt.getTime() - access.grantedAt.getTime()).toBe(30 * 60_000);
  const notice = await prisma.residentNotice.findFirst({
    where: { residentId: patientId, kind: "emergency_break_glass" },
    orderBy: { createdAt: "desc" },
  });
  expect(notice?.body).toContain(FIRE.name);
  await page.getByTestId("emergency-finish").click();
  await expect(page.locator('[data-emergency-state="ready"]')).toBeVisible();
  await expect(page.getByText(MEDICINE)).toHaveCount(0);

  // The resident, in her own browser: the read is in her access log, marked as break-glass.
  const own = await browser.newContext({ ignoreHTTPSErrors: true, baseURL: origin });
  const resident = await own.newPage();
  await loginWithCard(resident, PATIENT);
  await resident.goto("/settings/access-log");
  const table = resident.getByRole("table", { name: "アクセス記録（新しい順）" });
  const line = table.locator('[data-event-type="emergency.break_glass"]').first();
  await expect(line).toContainText("緊急閲覧（暗証番号なし）");
  await expect(line).toContainText(FIRE.name);
  await expect(line).toContainText("意識がない");
  await resident.goto("/services/medical");
  await expect(resident.getByTestId("break-glass-reads")).toContainText(FIRE.name);
  expect(await seriousA11yViolations(resident)).toEqual([]);
  await own.close();

  // Staff review it afterwards, with the crew's reason.
  const staffContext = await browser.newContext({ ignoreHTTPSErrors: true, baseURL: origin });
  const staff = await staffContext.newPage();
  await loginWithCard(staff, "staff");
  await staff.goto("/admin/emergency");
  const review = staff.getByTestId("break-glass-review");
  await expect(review.locator(`[data-access-id="${access.id}"]`)).toContainText("自宅前で倒れており意識なし");
  await expect(review.locator(`[data-access-id="${access.id}"]`)).toContainText(FIRE.name);
  await staffContext.close();
});

test("[EMERGENCY][CONSENT]: with the PIN, nothing is shown until the resident consents in /services/medical; then only the chosen part; withdrawal stops it again", async ({
  page,
  browser,
}) => {
  test.setTimeout(120_000);
  const { residents } = readCardWorld();
  const who: TE2eCardRole = "terminalStranger";
  // A re-run starts from "never chosen".
  await revokeEmergencyConsent(prisma, {
    residentId: residents[who].residentId,
    channel: "system",
    audience: "AMBULANCE",
  });
  await enrolAmbulance(page, "救急E2E-2");
  const tapWithPin = async () => {
    await page.getByTestId("emergency-conscious").click();
    await chooseCard(page, who);
  };
  await tapWithPin();
  const error = page.locator('[data-emergency-state="error"]');
  await expect(error).toHaveAttribute("data-error-code", "EMERGENCY_CONSENT_MISSING", { timeout: 30_000 });
  await expect(error.getByRole("alert")).toContainText("本人がこの閲覧に同意していません");
  await expect(page.getByTestId("emergency-result")).toHaveCount(0);
  await page.getByTestId("emergency-finish").click();

  // The resident consents: ambulance crews may read her medication, nothing else.
  const own = await browser.newContext({ ignoreHTTPSErrors: true, baseURL: new URL(page.url()).origin });
  const resident = await own.newPage();
  await loginWithCard(resident, who);
  await resident.goto("/services/medical");
  const form = resident.locator('form[data-audience="AMBULANCE"]');
  await form.getByLabel("服薬中の薬").check();
  await form.getByTestId("consent-save-AMBULANCE").click();
  await expect(resident.getByRole("status")).toContainText("保存しました");
  await expect(resident.getByTestId("consent-status-AMBULANCE")).toContainText("同意");

  await tapWithPin();
  const result = page.getByTestId("emergency-result");
  await expect(result).toHaveAttribute("data-access-mode", "consent", { timeout: 30_000 });
  await expect(result.getByRole("status")).toContainText("本人の同意に基づく閲覧です");
  await expect(page.getByTestId("emergency-medications")).toContainText("登録なし");
  await expect(page.getByTestId("emergency-allergies")).toContainText("本人の選択により表示していません");
  await page.getByTestId("emergency-finish").click();

  // Withdrawn: the next tap reads nothing.
  await resident.goto("/services/medical");
  await form.getByRole("button", { name: "同意を取り消す" }).click();
  await expect(resident.getByRole("status")).toContainText("取り消しました");
  await own.close();
  await tapWithPin();
  await expect(error).toHaveAttribute("data-error-code", "EMERGENCY_CONSENT_MISSING", { timeout: 30_000 });
});

import type { Page } from "@playwright/test";
import type { THospitalVisitDto, THospitalVisitPaymentDto } from "../../lib/services/hospital/schemas";
import { deliverVisitDocuments } from "../../partner-sim/hospital/hospital-system";
import type { PrismaClient } from "../../generated/prisma/client";
import { linkPartner } from "../../lib/mailbox/link-partner";
import { putInsuranceMember } from "../../lib/services/hospital/put-insurance-member";
import { seedPartner, seedPartnerCredential } from "../../prisma/seed/factories";
import { expect, test } from "../fixtures";
import { E2E_BASE_URL, readCardWorld } from "../fixtures/card";
import { loginWithCard } from "../fixtures/card-login";
import {
  enrolKiosk,
  issueOrgSigner,
  openE2eDatabase,
  seedPaymentProcessor,
  tapCard as tap,
} from "../fixtures/services";

// The hospital flow at its reception kiosk (lib/services/hospital) in real Chromium: the kiosk is
// enrolled, the card is tapped through the test agent, and reception shows what the resident's
// health insurer holds (its roster, kept through PUT /api/v1/insurance/members/{memberNumber}):
// eligible with the numbers and copay ratio, 資格喪失 refused, a stale roster 確認できません, a
// revoked card refused before anything is asked.
test.use({ ignoreHTTPSErrors: true });

const HOSPITAL = {
  slug: "e2e-hosp-hospital",
  name: "一枚町立病院（受付E2E）",
  nameEn: "Ichimai Town Hospital (reception E2E)",
};
const INSURER = { slug: "e2e-hosp-nhi", name: "一枚町国民健康保険（受付E2E）", nameEn: "Ichimai NHI (reception E2E)" };
const ENTRY = {
  insurerNumber: "369012",
  symbol: "一枚",
  validFrom: "2026-04-01",
  validUntil: "2027-03-31",
};

let prisma: PrismaClient;
const ids = { hospital: "", insurer: "" };

test.beforeAll(async () => {
  prisma = (await openE2eDatabase()).prisma;
  const { residents } = readCardWorld();
  const hospital = await seedPartner(prisma, { ...HOSPITAL, kind: "HOSPITAL", approvedScopes: ["eligibility:verify"] });
  const insurer = await seedPartner(prisma, {
    ...INSURER,
    kind: "HEALTH_INSURER",
    approvedScopes: ["insurance:roster"],
  });
  ids.hospital = hospital.id;
  ids.insurer = insurer.id;
  // The member is insured (3割); the stranger's insurance has lapsed.
  for (const [role, n, status] of [
    ["terminalMember", "1007", "valid"],
    ["terminalStranger", "1008", "lapsed"],
  ] as const) {
    const residentId = residents[role].residentId;
    for (const [partnerId, ref] of [
      [hospital.id, `P-${n}`],
      [insurer.id, `NHI-${n}`],
    ] as const) {
      const linked = await prisma.partnerResidentLink.findUnique({
        where: { partnerId_residentId: { partnerId, residentId } },
      });
      if (!linked) await linkPartner(prisma, { residentId, partnerId, partnerRef: ref });
    }
    await putInsuranceMember(prisma, {
      insurer: { partnerId: insurer.id, mode: "LIVE" },
      memberNumber: `NHI-${n}`,
      request: { ...ENTRY, status, number: n, copayRatio: 3 },
    });
  }
});
test.afterAll(async () => {
  await prisma?.$disconnect();
});

async function enrolReception(page: Page, label: string): Promise<void> {
  await enrolKiosk(page, prisma, { partner: HOSPITAL.slug, label, mode: "HOSPITAL", query: "&reset=60" });
}

test("[HOSPITAL][RECEPTION]: a card tap at the enrolled reception kiosk shows the insurer, 保険者番号, 記号・番号, period and 3割; logged with the terminal label", async ({
  page,
  seriousA11yViolations,
}) => {
  const { residents } = readCardWorld();
  await enrolReception(page, "受付H-1");
  await tap(page, "terminalMember");
  const result = page.locator('[data-tap-state="result"]');
  await expect(result).toHaveAttribute("data-insurance", "eligible", { timeout: 30_000 });
  await expect(result.getByRole("status")).toContainText("受付できました");
  await expect(page.getByTestId("tap-member-reference")).toHaveText("P-1007");
  await expect(page.getByTestId("insurer-name")).toHaveText(INSURER.name);
  await expect(page.getByTestId("insurer-number")).toHaveText("369012");
  await expect(page.getByTestId("insurance-symbol-number")).toContainText("記号 一枚");
  await expect(page.getByTestId("insurance-symbol-number")).toContainText("番号 1007");
  await expect(page.getByTestId("insurance-copay")).toHaveText("3割");
  await expect(page.getByTestId("insurance-period")).toHaveText("2026-04-01 から 2027-03-31 まで");
  await expect(result).not.toContainText(residents.terminalMember.displayName.split(" ")[0]!);
  expect(await seriousA11yViolations(page)).toEqual([]);

  const audit = await prisma.auditEvent.findFirstOrThrow({
    where: {
      subjectResidentId: residents.terminalMember.residentId,
      type: "partner.api_access",
      actorId: ids.hospital,
    },
    orderBy: { seq: "desc" },
  });
  expect(audit).toMatchObject({ channel: "terminal", purpose: "資格確認" });
  expect(audit.data).toMatchObject({ operation: "hospital_reception", terminal: "受付H-1", insurance: "eligible" });
  // The reception opened the visit the hospital records its care against (copay ratio fixed now).
  const visit = await prisma.hospitalVisit.findFirstOrThrow({
    where: { hospitalId: ids.hospital, residentId: residents.terminalMember.residentId },
    orderBy: { receivedAt: "desc" },
  });
  expect(visit).toMatchObject({
    status: "RECEIVED",
    insuranceStatus: "eligible",
    copayTenths: 3,
    terminalLabel: "受付H-1",
  });
});

test("[HOSPITAL][LAPSED-STALE-REVOKED]: 資格喪失 is refused, a roster the insurer stopped confirming is 確認できません, a lost card is refused", async ({
  page,
}) => {
  await enrolReception(page, "受付H-2");
  await tap(page, "terminalStranger");
  const result = page.locator('[data-tap-state="result"]');
  await expect(result).toHaveAttribute("data-insurance", "lapsed", { timeout: 30_000 });
  await expect(result).toHaveAttribute("data-error-code", "INSURANCE_LAPSED");
  await expect(result.getByRole("alert")).toContainText("保険の資格がありません（資格喪失）");
  await expect(result).toContainText("エラーコード: INSURANCE_LAPSED");

  // The insurer last confirmed the entry two days ago: unknown, never eligible.
  await prisma.insuranceMember.updateMany({
    where: { insurerId: ids.insurer, memberNumber: "NHI-1008" },
    data: { status: "VALID", confirmedAt: new Date(Date.now() - 2 * 86_400_000) },
  });
  await page.getByTestId("tap-again").click();
  await tap(page, "terminalStranger");
  await expect(result).toHaveAttribute("data-insurance", "unknown", { timeout: 30_000 });
  await expect(result).toHaveAttribute("data-eligible", "false");
  await expect(result).toHaveAttribute("data-error-code", "INSURANCE_UNKNOWN");
  await expect(result.getByRole("alert")).toContainText("保険資格を確認できません");

  await page.getByTestId("tap-again").click();
  await tap(page, "revoked");
  const error = page.locator('[data-tap-state="error"]');
  await expect(error).toHaveAttribute("data-error-code", "CERT_REVOKED", { timeout: 30_000 });
});

test("[HOSPITAL][PAY]: the patient links a card at the processor's page; after the tap the hospital records the visit, charges it once, and its own system delivers the signed receipt and medication list to the mailbox", async ({
  page,
  browser,
  seriousA11yViolations,
}) => {
  const { residents } = readCardWorld();
  const member = residents.terminalMember;
  // The processor (PAYMENT_PROCESSOR_PARTNER, default ichimai-pay) and the hospital's API credential.
  await seedPaymentProcessor(prisma);
  await prisma.partner.update({
    where: { id: ids.hospital },
    data: { approvedScopes: ["eligibility:verify", "hospital:visits", "documents:deliver"] },
  });
  const { credential, clientSecret } = await seedPartnerCredential(prisma, {
    partnerId: ids.hospital,
    scopes: ["hospital:visits", "documents:deliver"],
  });
  const authorization = `Basic ${Buffer.from(`${credential.clientId}:${clientSecret}`).toString("base64")}`;

  // 1. The resident links a card: ichimai → the processor's page → back with a one-time reference.
  await loginWithCard(page, "terminalMember");
  await page.goto("/services");
  await page.getByRole("link", { name: "お支払い方法" }).click();
  await expect(page).toHaveURL(/\/services\/payment$/);
  await page.getByRole("button", { name: "カードを登録する" }).click();
  await expect(page).toHaveURL(/\/partner-sim\/payment\/register\?/);
  await page.getByLabel("カード番号").fill("4242 4242 4242 4241");
  await page.getByLabel("有効期限 (MM/YY)").fill("12/30");
  await page.getByLabel("セキュリティコード").fill("123");
  await page.getByRole("button", { name: "登録する" }).click();
  await expect(page.getByRole("alert")).toContainText("カード番号が正しくありません");
  await page.getByLabel("カード番号").fill("4242 4242 4242 4242");
  await page.getByLabel("有効期限 (MM/YY)").fill("12/30");
  await page.getByLabel("セキュリティコード").fill("123");
  await page.getByRole("button", { name: "登録する" }).click();
  await expect(page).toHaveURL(/\/services\/payment\?done=linked$/);
  await expect(page.getByText("カードを登録しました")).toBeVisible();
  await expect(page.getByTestId("payment-last4")).toHaveText("•••• 4242");
  expect(await seriousA11yViolations(page)).toEqual([]);
  const method = await prisma.paymentMethod.findFirstOrThrow({
    where: { residentId: member.residentId, unlinkedAt: null },
  });
  expect(JSON.stringify(method)).not.toContain("4242424242424242");

  // 2. The tap at reception opens the visit.
  const kioskContext = await browser.newContext({ ignoreHTTPSErrors: true });
  const kiosk = await kioskContext.newPage();
  await enrolReception(kiosk, "受付H-3");
  await tap(kiosk, "terminalMember");
  await expect(kiosk.locator('[data-tap-state="result"]')).toHaveAttribute("data-insurance", "eligible", {
    timeout: 30_000,
  });
  await kioskContext.close();
  const opened = await prisma.hospitalVisit.findFirstOrThrow({
    where: { hospitalId: ids.hospital, residentId: member.residentId, terminalLabel: "受付H-3" },
    orderBy: { receivedAt: "desc" },
  });

  // 3. The hospital records the care and charges it (会計) through /api/v1; a retry charges nothing more.
  const api = (p: string, data?: unknown) =>
    page.request.post(p, { headers: { authorization }, ...(data === undefined ? {} : { data }) });
  const recorded = await api(`/api/v1/hospital/visits/${opened.id}/record`, {
    department: "内科",
    points: 412,
    uninsuredYen: 0,
    medications: [
      {
        name: "アムロジピン錠5mg",
        dose: "1回1錠 1日1回 朝食後",
        days: 28,
        prescribedAt: "2026-12-07",
        prescriber: "吉野 一郎",
      },
    ],
  });
  expect(recorded.status()).toBe(201);
  const charged = await api(`/api/v1/hospital/visits/${opened.id}/charge`);
  expect(charged.status()).toBe(201);
  const payment = (await charged.json()) as THospitalVisitPaymentDto;
  expect(payment).toMatchObject({ status: "paid", amountYen: 1240, paymentMethod: { brand: "visa", last4: "4242" } });
  const retried = await api(`/api/v1/hospital/visits/${opened.id}/charge`);
  expect([retried.status(), ((await retried.json()) as THospitalVisitPaymentDto).chargeId]).toEqual([
    200,
    payment.chargeId,
  ]);
  expect(await prisma.simulatedProcessorCharge.count({ where: { idempotencyKey: opened.id } })).toBe(1);

  // 4. The hospital's own system signs the receipt and the medication list with its organisation key.
  await deliverVisitDocuments(
    {
      origin: E2E_BASE_URL,
      authorization,
      hospitalName: HOSPITAL.name,
      signer: await issueOrgSigner(HOSPITAL),
    },
    { visit: (await recorded.json()) as THospitalVisitDto, payment, patientName: member.displayName },
  );

  // 5. Both arrive in the resident's mailbox, issued by the hospital.
  await page.goto("/mailbox");
  const list = page.getByTestId("mailbox-list");
  await expect(list).toContainText("診療費領収書");
  await expect(list).toContainText("お薬の記録");
  await expect(list).toContainText(HOSPITAL.name);
});

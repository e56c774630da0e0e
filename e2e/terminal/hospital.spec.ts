import type { Page } from "@playwright/test";
import type { PrismaClient } from "../../generated/prisma/client";
import { createPrismaClient } from "../../lib/db/client";
import { databaseReady } from "../../lib/db/connection";
import { parseEnv } from "../../lib/env";
import { linkPartner } from "../../lib/mailbox/link-partner";
import { registerTerminalDevice } from "../../lib/platform/terminals/register-terminal-device";
import { putInsuranceMember } from "../../lib/services/hospital/put-insurance-member";
import { seedPartner } from "../../prisma/seed/factories";
import { expect, test } from "../fixtures";
import { E2E_AGENT_PORT, E2E_DATABASE_ENV, readCardWorld, type TE2eCardRole } from "../fixtures/card";

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
  prisma = createPrismaClient((await databaseReady(parseEnv({ ...E2E_DATABASE_ENV }))).url);
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
  const { enrolmentCode } = await registerTerminalDevice(prisma, { partner: HOSPITAL.slug, label, mode: "HOSPITAL" });
  await page.goto(`/terminal/enrol?code=${encodeURIComponent(enrolmentCode)}`);
  await page.getByTestId("enrol-submit").click();
  await expect(page).toHaveURL(/\/terminal\/hospital$/);
  await page.goto(`/terminal/hospital?agent=127.0.0.1:${E2E_AGENT_PORT}&reset=60`);
}

async function tap(page: Page, role: TE2eCardRole): Promise<void> {
  const { residents } = readCardWorld();
  await page.getByTestId("tap-start").click();
  const chooser = page.locator('[data-tap-state="choose-card"]');
  await expect(chooser).toBeVisible({ timeout: 20_000 });
  const name = residents[role].cardName.replace(/[()]/g, "\\$&");
  await chooser.getByRole("button", { name: new RegExp(`^${name}`) }).click();
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

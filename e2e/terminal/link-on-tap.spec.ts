import type { PrismaClient } from "../../generated/prisma/client";
import { seedPartner } from "../../prisma/seed/factories";
import { expect, test } from "../fixtures";
import { readCardWorld } from "../fixtures/card";
import { enrolKiosk, openE2eDatabase } from "../fixtures/services";

// Link on first tap at a kiosk in real Chromium: the tap is RECIPIENT_NOT_LINKED, the staff enter
// the member number, the person consents with the card and PIN (the card signs the consent
// statement's hash), and the next tap is received as a patient. The agent's CA is self-made.
test.use({ ignoreHTTPSErrors: true });

const CLINIC = { slug: "e2e-link-clinic", name: "一枚町診療所（E2E連携）", nameEn: "Ichimai Clinic (E2E link)" };
const REF = "06360012-E2E-LINK";

let prisma: PrismaClient;
let partnerId: string;

test.beforeAll(async () => {
  prisma = (await openE2eDatabase()).prisma;
  partnerId = (await seedPartner(prisma, { ...CLINIC, kind: "HOSPITAL", approvedScopes: ["eligibility:verify"] })).id;
});
test.afterAll(async () => {
  // Leave the stranger unlinked, as the kiosk spec expects of them (a rerun links again).
  const residentId = readCardWorld().residents.terminalStranger.residentId;
  await prisma?.partnerResidentLink.updateMany({ where: { partnerId, residentId }, data: { revokedAt: new Date() } });
  await prisma?.$disconnect();
});

test("[TERMINAL][LINK]: a resident not linked is linked on the spot — staff enter the number, the resident consents with the card and PIN — audited on the terminal channel; the next tap is received as a patient", async ({
  page,
  seriousA11yViolations,
}) => {
  test.setTimeout(120_000);
  const { residents } = readCardWorld();
  const stranger = residents.terminalStranger;
  await enrolKiosk(page, prisma, {
    partner: CLINIC.slug,
    label: `受付E2E-L-${Date.now()}`,
    mode: "HOSPITAL",
    query: "&reset=60",
  });
  const cardButton = () =>
    page
      .locator('[data-tap-state="choose-card"]')
      .getByRole("button", { name: new RegExp(`^${stranger.cardName.replace(/[()]/g, "\\$&")}`) });

  await page.getByTestId("tap-start").click();
  await cardButton().click({ timeout: 20_000 });
  const result = page.locator('[data-tap-state="result"]');
  await expect(result).toHaveAttribute("data-error-code", "RECIPIENT_NOT_LINKED", { timeout: 30_000 });

  // Staff: link now, enter the member number.
  await page.getByTestId("tap-link-now").click();
  const form = page.locator('[data-tap-state="link-form"]');
  await expect(form.getByRole("heading", { level: 2 })).toHaveText("連携の登録");
  await form.getByRole("textbox", { name: "保険者の番号（記号・番号）" }).fill(REF);
  await form.getByTestId("link-form-submit").click();

  // The resident reads what they consent to, and consents with the card.
  const consent = page.locator('[data-tap-state="link-consent"]');
  await expect(consent.getByTestId("link-consent-reference")).toHaveText(REF);
  await expect(consent).toContainText(CLINIC.name);
  await expect(consent).toContainText("窓口や車内の端末で、カードをかざしたときに資格を確認する");
  expect(await seriousA11yViolations(page)).toEqual([]);
  await consent.getByTestId("link-consent").click();
  await cardButton().click({ timeout: 20_000 });
  await expect(result).toHaveAttribute("data-linked", "true", { timeout: 30_000 });
  await expect(result.getByRole("status")).toContainText("連携しました");
  await expect(page.getByTestId("tap-member-reference")).toHaveText(REF);

  const link = await prisma.partnerResidentLink.findUniqueOrThrow({
    where: { partnerId_residentId: { partnerId, residentId: stranger.residentId } },
  });
  expect(link).toMatchObject({ partnerRef: REF, purposes: ["eligibility"], revokedAt: null });
  const given = await prisma.auditEvent.findFirstOrThrow({
    where: { subjectResidentId: stranger.residentId, type: "consent.given", channel: "terminal" },
    orderBy: { seq: "desc" },
  });
  expect(given.data).toMatchObject({ partnerId, linkId: link.id, consentHash: expect.any(String) });

  // The next tap is received as the clinic's patient: reception goes on to ask the insurer (whose
  // answer for this resident is the hospital spec's business), no longer RECIPIENT_NOT_LINKED.
  await page.getByTestId("tap-again").click();
  await page.getByTestId("tap-start").click();
  await cardButton().click({ timeout: 20_000 });
  await expect(result).toHaveAttribute("data-insurance", /^(eligible|lapsed|unknown)$/, { timeout: 30_000 });
  await expect(result).not.toHaveAttribute("data-error-code", "RECIPIENT_NOT_LINKED");
  await expect(result).not.toHaveAttribute("data-linked", "true");
  await expect(page.getByTestId("tap-member-reference")).toHaveText(REF);
});

import type { Page } from "@playwright/test";
import type { PrismaClient } from "../../generated/prisma/client";
import { createPrismaClient } from "../../lib/db/client";
import { databaseReady } from "../../lib/db/connection";
import { parseEnv } from "../../lib/env";
import { linkPartner } from "../../lib/mailbox/link-partner";
import { defineBusProducts } from "../../lib/services/bus/products";
import { purchaseBusTicket } from "../../lib/services/bus/purchase-ticket";
import { DEMO_BUS_PRODUCTS } from "../../prisma/seed/demo-bus";
import { putInsuranceMember } from "../../lib/services/hospital/put-insurance-member";
import { seedPartner } from "../../prisma/seed/factories";
import { expect, test } from "../fixtures";
import { enrolKiosk as enrolKioskBrowser, tapCard as tap } from "../fixtures/services";
import { E2E_AGENT_PORT, E2E_DATABASE_ENV, readCardWorld } from "../fixtures/card";

// Partner kiosks (/terminal/hospital, /terminal/bus) in real Chromium: the kiosk is enrolled with
// a one-time code (device cookie), the soft-token card is tapped through the test agent (PIN typed
// by the agent), and the server asks lib/platform eligibility. The agent's CA is self-made.
test.use({ ignoreHTTPSErrors: true });

const HOSPITAL = { slug: "e2e-terminal-hospital", name: "一枚町立病院（E2E）", nameEn: "Ichimai Town Hospital (E2E)" };
const INSURER = { slug: "e2e-terminal-nhi", name: "一枚町国民健康保険（E2E）", nameEn: "Ichimai NHI (E2E)" };
const BUS = { slug: "e2e-terminal-bus", name: "一枚町コミュニティバス（E2E）", nameEn: "Ichimai Community Bus (E2E)" };
const HOSPITAL_REF = "06360012-E2E-7";
const BUS_REF = "BUS-E2E-0007";

let prisma: PrismaClient;
const partnerIds = { hospital: "", bus: "" };

test.beforeAll(async () => {
  const config = parseEnv({ ...E2E_DATABASE_ENV });
  prisma = createPrismaClient((await databaseReady(config)).url);
  const { residents } = readCardWorld();
  const hospital = await seedPartner(prisma, { ...HOSPITAL, kind: "HOSPITAL", approvedScopes: ["eligibility:verify"] });
  const bus = await seedPartner(prisma, { ...BUS, kind: "BUS_OPERATOR", approvedScopes: ["eligibility:verify"] });
  // The hospital kiosk's reception asks the member's insurer (lib/services/hospital).
  const insurer = await seedPartner(prisma, {
    ...INSURER,
    kind: "HEALTH_INSURER",
    approvedScopes: ["insurance:roster"],
  });
  partnerIds.hospital = hospital.id;
  partnerIds.bus = bus.id;
  const member = residents.terminalMember.residentId;
  for (const [partnerId, partnerRef] of [
    [hospital.id, HOSPITAL_REF],
    [bus.id, BUS_REF],
    [insurer.id, "NHI-KIOSK-7"],
  ] as const) {
    const linked = await prisma.partnerResidentLink.findUnique({
      where: { partnerId_residentId: { partnerId, residentId: member } },
    });
    if (!linked) await linkPartner(prisma, { residentId: member, partnerId, partnerRef });
  }
  // The bus member boards with a ticket book (a tap at /terminal/bus takes a ride: e2e/terminal/bus.spec.ts).
  await defineBusProducts(prisma, { partnerId: bus.id, products: DEMO_BUS_PRODUCTS });
  if (!(await prisma.busTicket.findFirst({ where: { residentId: member, partnerId: bus.id } }))) {
    await purchaseBusTicket(
      { prisma },
      { residentId: member, partnerId: bus.id, productCode: "BOOK-11", issuedBy: "operator" },
    );
  }
  await putInsuranceMember(prisma, {
    insurer: { partnerId: insurer.id, mode: "LIVE" },
    memberNumber: "NHI-KIOSK-7",
    request: {
      status: "valid",
      insurerNumber: "369012",
      symbol: "E2E",
      number: "7",
      validFrom: "2026-04-01",
      validUntil: null,
      copayRatio: 3,
    },
  });
});
test.afterAll(async () => {
  await prisma?.$disconnect();
});

/** Registers a device of the partner and enrols this browser with the printed enrolment URL. */
async function enrolKiosk(page: Page, mode: "hospital" | "bus", label: string): Promise<void> {
  await enrolKioskBrowser(page, prisma, {
    partner: mode === "hospital" ? HOSPITAL.slug : BUS.slug,
    label,
    mode: mode === "hospital" ? "HOSPITAL" : "BUS",
  });
  const cookies = await page.context().cookies();
  expect(cookies.find((c) => c.name === "ichimai-terminal")).toMatchObject({ httpOnly: true, sameSite: "Strict" });
  await page.goto(`/terminal/${mode}?agent=127.0.0.1:${E2E_AGENT_PORT}&reset=4`);
}

test("[TERMINAL][HOSPITAL]: a linked resident's card tap shows 受付できました with the insurance number, audited, then returns to the start", async ({
  page,
  seriousA11yViolations,
}) => {
  const { residents } = readCardWorld();
  await enrolKiosk(page, "hospital", "受付E2E-1");
  // Reachable from the idle screen.
  await page.goto("/terminal");
  await page.getByRole("link", { name: "病院の受付（保険資格の確認）" }).click();
  await expect(page).toHaveURL(/\/terminal\/hospital$/);
  await page.goto(`/terminal/hospital?agent=127.0.0.1:${E2E_AGENT_PORT}&reset=4`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("受付（保険資格の確認）");
  const start = page.getByTestId("tap-start");
  expect((await start.boundingBox())?.height).toBeGreaterThanOrEqual(64);

  await tap(page, "terminalMember");
  const result = page.locator('[data-tap-state="result"]');
  await expect(result).toHaveAttribute("data-eligible", "true", { timeout: 30_000 });
  await expect(result.getByRole("status")).toContainText("受付できました");
  await expect(page.getByTestId("tap-member-reference")).toHaveText(HOSPITAL_REF);
  await expect(result).toContainText(HOSPITAL.name);
  await expect(result).not.toContainText(residents.terminalMember.displayName.split(" ")[0]!);
  expect(await seriousA11yViolations(page)).toEqual([]);

  const audit = await prisma.auditEvent.findFirstOrThrow({
    where: {
      subjectResidentId: residents.terminalMember.residentId,
      type: "partner.api_access",
      actorId: partnerIds.hospital,
    },
    orderBy: { seq: "desc" },
  });
  expect(audit).toMatchObject({ actorType: "partner", channel: "terminal", purpose: "資格確認" });
  expect(audit.data).toMatchObject({ terminal: "受付E2E-1", eligible: true });

  // Auto return to the start screen (reset=4 s), so the next person never sees this result.
  await expect(page.locator('[data-tap-state="ready"]')).toBeVisible({ timeout: 10_000 });
  await expect(page.getByTestId("tap-member-reference")).toHaveCount(0);
});

test("[TERMINAL][BUS]: a resident who has not linked the bus operator gets the 'not registered' screen with a stable code", async ({
  page,
}) => {
  await enrolKiosk(page, "bus", "bus-e2e-1");
  await tap(page, "terminalStranger");
  const result = page.locator('[data-tap-state="result"]');
  await expect(result).toHaveAttribute("data-eligible", "false", { timeout: 30_000 });
  await expect(result).toHaveAttribute("data-error-code", "RECIPIENT_NOT_LINKED");
  await expect(result.getByRole("alert")).toContainText("乗車券が登録されていません");
  await expect(result).toContainText("エラーコード: RECIPIENT_NOT_LINKED");

  // The member boards.
  await page.getByTestId("tap-again").click();
  await tap(page, "terminalMember");
  await expect(result).toHaveAttribute("data-eligible", "true", { timeout: 30_000 });
  await expect(page.getByTestId("tap-member-reference")).toHaveText(BUS_REF);
});

test("[TERMINAL][REPLAY]: a used challenge is refused, over HTTP and on the kiosk screen (CHALLENGE_REPLAYED)", async ({
  page,
}) => {
  await enrolKiosk(page, "bus", "bus-e2e-2");
  let challenge: unknown;
  let check: string | null = null;
  page.on("response", async (r) => {
    if (r.url().endsWith("/api/terminal/taps") && r.status() === 201) challenge = await r.json();
  });
  page.on("request", (r) => {
    if (r.url().endsWith("/api/terminal/bus/rides")) check = r.postData();
  });
  await tap(page, "terminalMember");
  await expect(page.locator('[data-tap-state="result"]')).toHaveAttribute("data-eligible", "true", { timeout: 30_000 });
  expect(challenge && check).toBeTruthy();

  // The same signed answer posted again by the same kiosk under a new tap key: the challenge is spent.
  const origin = new URL(page.url()).origin;
  const sent = JSON.parse(check!) as { tapKey: string };
  const replay = await page.request.post("/api/terminal/bus/rides", {
    headers: { origin, "content-type": "application/json" },
    data: { ...sent, tapKey: `${sent.tapKey.slice(0, 20)}replayed` },
  });
  expect(replay.status()).toBe(401);
  expect((await replay.json()).error.code).toBe("CHALLENGE_REPLAYED");
  // Under its own tap key (a retried request) it is answered with the ride already taken, not a second one.
  const retried = await page.request.post("/api/terminal/bus/rides", {
    headers: { origin, "content-type": "application/json" },
    data: check!,
  });
  expect(retried.status()).toBe(200);
  expect((await retried.json()).bus.ride.replayed).toBe(true);

  // A kiosk handed the old challenge again (e.g. a replaying proxy): the card signs it, the
  // platform refuses, and the kiosk shows the error screen.
  await page.route("**/api/terminal/taps", (route) =>
    route.fulfill({ status: 201, contentType: "application/json", body: JSON.stringify(challenge) }),
  );
  await page.getByTestId("tap-again").click();
  await tap(page, "terminalMember");
  const error = page.locator('[data-tap-state="error"]');
  await expect(error).toHaveAttribute("data-error-code", "CHALLENGE_REPLAYED", { timeout: 30_000 });
  await expect(error.getByRole("alert")).toContainText("この確認はすでに使われています");
});

test("[TERMINAL][ENROL]: an unenrolled kiosk cannot check cards; a used or wrong code is refused", async ({ page }) => {
  await page.goto("/terminal/hospital");
  await expect(page.locator('[data-tap-state="not-enrolled"]')).toHaveAttribute(
    "data-error-code",
    "TERMINAL_NOT_ENROLLED",
  );
  await expect(page.getByTestId("tap-start")).toHaveCount(0);
  const origin = new URL(page.url()).origin;
  const start = await page.request.post("/api/terminal/taps", { headers: { origin }, data: {} });
  expect(start.status()).toBe(401);
  expect((await start.json()).error.code).toBe("TERMINAL_NOT_ENROLLED");

  await page.goto(`/terminal/enrol?code=${"x".repeat(43)}`);
  await page.getByTestId("enrol-submit").click();
  await expect(page).toHaveURL(/\/terminal\/enrol\?error=TERMINAL_ENROLMENT_INVALID$/);
  await expect(page.getByRole("main").getByRole("alert")).toContainText("登録できませんでした");
});

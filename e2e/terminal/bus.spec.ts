import { readFile } from "node:fs/promises";
import path from "node:path";
import type { PrismaClient } from "../../generated/prisma/client";
import { openPartnerCa } from "../../jlis-sim/partner-ca/partner-ca";
import { secretsEncryptionKeys } from "../../lib/crypto/secret-box";
import { linkPartner } from "../../lib/mailbox/link-partner";
import type { TBusContext } from "../../lib/services/bus/bus-context";
import { defineBusProducts } from "../../lib/services/bus/products";
import { purchaseBusTicket } from "../../lib/services/bus/purchase-ticket";
import { DEMO_BUS_PRODUCTS, seedBusOperatorSigner } from "../../prisma/seed/demo-bus";
import { seedPartner } from "../../prisma/seed/factories";
import { loginWithCard } from "../fixtures/card-login";
import { expect, test } from "../fixtures";
import { E2E_AGENT_PORT, E2E_ROOT, readCardWorld } from "../fixtures/card";
import { enrolKiosk, openE2eDatabase, tapCard } from "../fixtures/services";

// The community bus on the card in real Chromium: an enrolled on-board kiosk, the soft-token card
// tapped through the test agent → one ride taken → the operator-signed receipt in the resident's
// mailbox → the resident's /services/bus shows the new balance; then the same kiosk offline.
test.use({ ignoreHTTPSErrors: true });
test.describe.configure({ mode: "serial", timeout: 120_000 });

const OPERATOR = {
  slug: "e2e-bus-rides",
  name: "一枚町コミュニティバス（E2E乗車）",
  nameEn: "Ichimai Community Bus (E2E rides)",
};
const REF = "BUS-RIDES-E2E-1";

let prisma: PrismaClient;
let operatorId = "";
let bus: TBusContext;

test.beforeAll(async () => {
  prisma = (await openE2eDatabase()).prisma;
  const operator = await seedPartner(prisma, {
    ...OPERATOR,
    kind: "BUS_OPERATOR",
    approvedScopes: ["eligibility:verify", "documents:deliver"],
  });
  operatorId = operator.id;
  bus = {
    prisma,
    secretsKeys: () =>
      secretsEncryptionKeys({
        NODE_ENV: "production",
        SECRETS_ENCRYPTION_KEY: process.env.SECRETS_ENCRYPTION_KEY,
        SECRETS_ENCRYPTION_KEY_PREVIOUS: [],
      }),
  };
  await defineBusProducts(prisma, { partnerId: operator.id, products: DEMO_BUS_PRODUCTS });
  // The operator's receipt key from the partner CA the server trusts.
  const partnerCa = await openPartnerCa(path.join(E2E_ROOT, ".data/partner-ca"));
  await seedBusOperatorSigner(bus, { partnerCa, partner: operator });
  const member = readCardWorld().residents.terminalMember.residentId;
  const link = await prisma.partnerResidentLink.findUnique({
    where: { partnerId_residentId: { partnerId: operator.id, residentId: member } },
  });
  if (!link) await linkPartner(prisma, { residentId: member, partnerId: operator.id, partnerRef: REF });
  if (!(await prisma.busTicket.findFirst({ where: { residentId: member, partnerId: operator.id } }))) {
    await purchaseBusTicket(bus, {
      residentId: member,
      partnerId: operator.id,
      productCode: "BOOK-11",
      issuedBy: "operator",
    });
  }
});
test.afterAll(async () => {
  await prisma?.$disconnect();
});

async function ridesLeft(): Promise<number> {
  const member = readCardWorld().residents.terminalMember.residentId;
  const agg = await prisma.busTicket.aggregate({
    where: { residentId: member, partnerId: operatorId },
    _sum: { ridesRemaining: true },
  });
  return agg._sum.ridesRemaining ?? 0;
}

test("[TERMINAL][BUS][RIDE]: a tap at the enrolled bus kiosk takes one ride, the receipt reaches the mailbox, /services/bus shows the balance; offline rides are queued and synced once", async ({
  page,
  browser,
  seriousA11yViolations,
}) => {
  const member = readCardWorld().residents.terminalMember.residentId;
  const before = await ridesLeft();
  expect(before).toBeGreaterThan(1);
  const registered = page.waitForResponse((r) => r.url().endsWith("/api/terminal/bus/device-key"));
  await enrolKiosk(page, prisma, { partner: OPERATOR.slug, label: "E2E-1号車", mode: "BUS", query: "&reset=60" });
  expect((await registered).status()).toBe(201);

  await tapCard(page, "terminalMember");
  const result = page.locator('[data-tap-state="result"]');
  await expect(result).toHaveAttribute("data-eligible", "true", { timeout: 30_000 });
  await expect(result.getByRole("status")).toContainText("乗車できました");
  await expect(page.getByTestId("bus-rides-remaining")).toHaveText(`${before - 1}回`);
  await expect(page.getByTestId("tap-member-reference")).toHaveText(REF);
  expect(await seriousA11yViolations(page)).toEqual([]);
  expect(await ridesLeft()).toBe(before - 1);

  const ride = await prisma.busRide.findFirstOrThrow({
    where: { residentId: member, partnerId: operatorId, source: "ONLINE" },
    orderBy: { recordedAt: "desc" },
  });
  expect(ride.receiptDocumentId).not.toBeNull();
  const receipt = await prisma.mailboxDocument.findUniqueOrThrow({ where: { id: ride.receiptDocumentId! } });
  expect(receipt).toMatchObject({
    type: "bus-ride-receipt",
    issuerPartnerId: operatorId,
    signatureValid: true,
    residentId: member,
  });

  // The resident, in their own browser: balance and the ride with its receipt.
  const resident = await browser.newContext({ ignoreHTTPSErrors: true });
  const rp = await resident.newPage();
  await loginWithCard(rp, "terminalMember");
  await rp.goto("/services/bus");
  const section = rp.getByTestId("bus-operator").filter({ hasText: OPERATOR.name });
  await expect(section.getByTestId("bus-balance-rides")).toHaveText(`${before - 1}回`);
  expect(await seriousA11yViolations(rp)).toEqual([]);
  // The resident buys another book (paid at the counter): the balance grows by its rides.
  await section.getByTestId("bus-product-BOOK-11").getByRole("button", { name: "回数券（11回）を購入" }).click();
  await expect(rp.getByTestId("bus-done")).toContainText("購入しました");
  await expect(
    rp.getByTestId("bus-operator").filter({ hasText: OPERATOR.name }).getByTestId("bus-balance-rides"),
  ).toHaveText(`${before + 10}回`);
  // The senior pass needs the shared predicate: its button is disabled until then.
  await expect(section.getByTestId("bus-product-KEIRO").getByRole("button")).toBeDisabled();
  await section.getByRole("link", { name: "私書箱で見る" }).first().click();
  await expect(rp).toHaveURL(new RegExp(`/mailbox/${receipt.id}$`));
  await expect(rp.getByRole("main")).toContainText("バス乗車領収書");

  // Offline: the server cannot be reached; the kiosk knows this card from the tap above.
  await page.getByTestId("tap-again").click();
  await page.route("**/api/terminal/taps", (route) => route.abort("internetdisconnected"));
  await tapCard(page, "terminalMember");
  await expect(result).toHaveAttribute("data-offline", "true", { timeout: 30_000 });
  await expect(result).toHaveAttribute("data-eligible", "true");
  await expect(page.getByTestId("bus-rides-remaining")).toHaveText(`${before - 2}回`);
  await expect(page.getByTestId("bus-offline-pending").first()).toContainText("1件");
  expect(await ridesLeft()).toBe(before + 10);

  // Back online: the page syncs on load; the record is counted once, however often it is sent.
  await page.unroute("**/api/terminal/taps");
  const synced = page.waitForResponse((r) => r.url().endsWith("/api/terminal/bus/offline-rides"));
  const queued = await page.evaluate(
    () => Object.entries(localStorage).find(([k]) => k.endsWith(":queue"))?.[1] ?? "[]",
  );
  await page.goto(`/terminal/bus?agent=127.0.0.1:${E2E_AGENT_PORT}&reset=60`);
  const answer = (await (await synced).json()) as { results: { status: string }[] };
  expect(answer.results).toEqual([expect.objectContaining({ status: "accepted", charge: "CHARGED" })]);
  await expect(page.getByTestId("bus-offline-pending")).toHaveCount(0);
  expect(await ridesLeft()).toBe(before + 9);
  const origin = new URL(page.url()).origin;
  const replay = await page.request.post("/api/terminal/bus/offline-rides", {
    headers: { origin, "content-type": "application/json" },
    data: { records: JSON.parse(queued) },
  });
  expect(((await replay.json()) as { results: { code?: string }[] }).results).toEqual([
    expect.objectContaining({ status: "refused", code: "BUS_OFFLINE_RECORD_REPLAYED" }),
  ]);
  expect(await ridesLeft()).toBe(before + 9);
  expect(await prisma.busRide.count({ where: { residentId: member, partnerId: operatorId, source: "OFFLINE" } })).toBe(
    1,
  );
  await resident.close();
});

test("[ADMIN][TRANSPORT]: staff download the month's ride and billing report as CSV; nobody else may", async ({
  page,
  browser,
}) => {
  const month = new Date(Date.now() + 9 * 3600_000).toISOString().slice(0, 7);
  const anonymous = await browser.newContext();
  const refused = await anonymous.request.get(`/admin/transport/report?month=${month}`);
  expect(refused.status()).toBe(401);
  expect((await refused.json()).error.code).toBe("UNAUTHENTICATED");
  await anonymous.close();

  await loginWithCard(page, "staff");
  await page.goto("/admin");
  await page.getByRole("link", { name: "交通（コミュニティバス）" }).click();
  await expect(page).toHaveURL(/\/admin\/transport$/);
  await page.getByLabel("対象の月").fill(month);
  const downloading = page.waitForEvent("download");
  await page.getByTestId("bus-report-download").click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe(`bus-report-${month}.csv`);
  const csv = (await readFile((await download.path())!, "utf8")).replace(/^\ufeff/, "");
  const lines = csv.split("\r\n");
  expect(lines[0]).toBe(
    "month,operator,product_code,product_name,eligibility,tickets_sold,sales_yen,rides,fare_yen,paid_yen,discount_yen,town_subsidy_yen",
  );
  const book = lines.find((l) => l.includes(OPERATOR.name) && l.includes(",BOOK-11,"))?.split(",");
  expect(book?.[4]).toBe("NONE");
  expect(Number(book?.[7])).toBeGreaterThanOrEqual(2);
  expect(lines.some((l) => l.startsWith(`${month},TOTAL,`))).toBe(true);
  const bad = await page.request.get("/admin/transport/report?month=2026-13");
  expect(bad.status()).toBe(422);
});

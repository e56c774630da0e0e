import "reflect-metadata";
import path from "node:path";
import type { APIRequestContext, Browser, BrowserContext, Page } from "@playwright/test";
import { VirtualCard } from "../../card-agent/tokens/virtual-card";
import type { PrismaClient } from "../../generated/prisma/client";
import { parseCertificate } from "../../lib/jpki/certificate";
import { canonicalSerial } from "../../lib/jpki/serial";
import { defineBusProducts } from "../../lib/services/bus/products";
import type { THospitalVisitDto, THospitalVisitPaymentDto } from "../../lib/services/hospital/schemas";
import { deliverVisitDocuments } from "../../partner-sim/hospital/hospital-system";
import { DEMO_BUS_PRODUCTS, seedBusOperatorSigner } from "../../prisma/seed/demo-bus";
import { seedPartner, seedPartnerCredential } from "../../prisma/seed/factories";
import { secretsEncryptionKeys } from "../../lib/crypto/secret-box";
import type { TApiScope } from "../../lib/partners/scopes";
import { signApplication } from "../../test/platform/platform-world";
import { openPartnerCa } from "../../jlis-sim/partner-ca/partner-ca";
import { expect, test } from "../fixtures";
import {
  E2E_AGENT_PINS,
  E2E_AGENT_PORT,
  E2E_BASE_URL,
  E2E_CARDS_DIR,
  E2E_ROOT,
  readCardWorld,
  type TE2eCardRole,
} from "../fixtures/card";
import { loginWithCard } from "../fixtures/card-login";
import { startE2ePlatformWorker, type TE2ePlatformWorker } from "../fixtures/platform-worker";
import {
  addressInNewDistrict,
  chooseKioskCard,
  E2E_TOWN,
  enrolKiosk,
  issueOrgSigner,
  linkTestCardAtProcessor,
  openE2eDatabase,
  seedPaymentProcessor,
  setUpTown,
  tapCard,
} from "../fixtures/services";

// Every service of the portal for ONE resident, through the real card path (the test agent with
// her soft token, card logins, kiosk taps), against the real server. Her own card role and
// partners of this spec only, so other specs' state does not matter. One test.step per stage.
test.use({ ignoreHTTPSErrors: true });

const ROLE: TE2eCardRole = "servicesResident";
const AGENT = `agent=127.0.0.1:${E2E_AGENT_PORT}`;
const INSURER = { slug: "e2e-done-nhi", name: "一枚町国民健康保険（全サービスE2E）", nameEn: "Ichimai NHI (done E2E)" };
const BUS = { slug: "e2e-done-bus", name: "一枚町コミュニティバス（全サービスE2E）", nameEn: "Ichimai Bus (done E2E)" };
const HOSPITAL = {
  slug: "e2e-done-hospital",
  name: "一枚町立病院（全サービスE2E）",
  nameEn: "Ichimai Hospital (done E2E)",
};
const BANK = { slug: "e2e-done-bank", name: "一枚信用金庫（全サービスE2E）", nameEn: "Ichimai Shinkin (done E2E)" };
const FIRE = { slug: "e2e-done-fire", name: "一枚町消防本部（全サービスE2E）", nameEn: "Ichimai Fire (done E2E)" };
const MEDICINE = "アムロジピン錠5mg";

const basic = (c: { clientId: string }, secret: string) =>
  `Basic ${Buffer.from(`${c.clientId}:${secret}`).toString("base64")}`;

let prisma: PrismaClient;
let worker: TE2ePlatformWorker;
const auth = { insurer: "", bus: "", hospital: "", bank: "" };
const ids = { insurer: "", bus: "", hospital: "", bank: "" };

test.beforeAll(async () => {
  const db = await openE2eDatabase();
  prisma = db.prisma;
  const partner = async (
    p: { slug: string; name: string; nameEn: string },
    kind: "HEALTH_INSURER" | "BUS_OPERATOR" | "HOSPITAL" | "BANK",
    scopes: TApiScope[],
  ) => {
    const row = await seedPartner(prisma, { ...p, kind, approvedScopes: scopes });
    // Explicit ids: the factories' default ids come from a per-process seeded generator, so two spec
    // files in fresh worker processes would draw the same id (and get each other's credential).
    const { credential, clientSecret } = await seedPartnerCredential(prisma, {
      partnerId: row.id,
      scopes,
      clientId: `ich_live_e2e0done0${kind.toLowerCase().replace("_", "0")}`,
      clientSecret: `ich_secret_e2e-done-${p.slug}-0123456789abcdef`,
    });
    return { id: row.id, authorization: basic(credential, clientSecret) };
  };
  const insurer = await partner(INSURER, "HEALTH_INSURER", ["eligibility:verify", "insurance:roster", "links:write"]);
  const bus = await partner(BUS, "BUS_OPERATOR", ["eligibility:verify", "documents:deliver", "links:write"]);
  const hospital = await partner(HOSPITAL, "HOSPITAL", [
    "eligibility:verify",
    "documents:deliver",
    "hospital:visits",
    "links:write",
  ]);
  const bank = await partner(BANK, "BANK", ["identity:verify", "identity:facts", "change:watch", "webhooks:manage"]);
  for (const [k, v] of Object.entries({ insurer, bus, hospital, bank }) as [keyof typeof ids, typeof bank][]) {
    ids[k] = v.id;
    auth[k] = v.authorization;
  }
  await seedPartner(prisma, { ...FIRE, kind: "GOVERNMENT", approvedScopes: ["eligibility:verify", "emergency:read"] });
  // The bus operator's products and its receipt key from the partner CA the server trusts.
  await defineBusProducts(prisma, { partnerId: bus.id, products: DEMO_BUS_PRODUCTS });
  await seedBusOperatorSigner(
    {
      prisma,
      secretsKeys: () =>
        secretsEncryptionKeys({
          NODE_ENV: "production",
          SECRETS_ENCRYPTION_KEY: process.env.SECRETS_ENCRYPTION_KEY,
          SECRETS_ENCRYPTION_KEY_PREVIOUS: [],
        }),
    },
    { partnerCa: await openPartnerCa(path.join(E2E_ROOT, ".data/partner-ca")), partner: { id: bus.id, ...BUS } },
  );
  await seedPaymentProcessor(prisma);
  worker = await startE2ePlatformWorker(prisma, db.url);
});
test.afterAll(async () => {
  await worker?.stop();
  await prisma?.$disconnect();
});

/** A context of its own (staff, a kiosk): cookies never mix with the resident's. */
async function newContext(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({
    ignoreHTTPSErrors: true,
    locale: "ja-JP",
    timezoneId: "Asia/Tokyo",
    baseURL: E2E_BASE_URL,
  });
}

/** The partner proposes a link over POST /api/v1/link-requests and gets the claim code for its letter. */
async function requestLink(
  request: APIRequestContext,
  authorization: string,
  partnerRef: string,
  purposes: string[],
): Promise<{ id: string; claimCode: string }> {
  const created = await request.post("/api/v1/link-requests", {
    headers: { authorization },
    data: { partnerRef, purposes, purposeText: "全サービスE2Eの連携" },
  });
  expect(created.status(), await created.text()).toBe(201);
  return (await created.json()) as { id: string; claimCode: string };
}

/** Review → the signing card in the agent's chooser (it types the signing PIN) → the four facts → sign. */
async function signWithCard(page: Page, expectedAddress: string): Promise<void> {
  const { cardName } = readCardWorld().residents[ROLE];
  await expect(page.getByTestId("application-review")).toBeVisible();
  await page.getByTestId("card-sign-start").click();
  const chooser = page.locator('[data-sign-state="choose-card"]');
  await expect(chooser).toBeVisible({ timeout: 20_000 });
  await chooser.getByRole("button", { name: new RegExp(`^${cardName.replace(/[()]/g, "\\$&")} — 署名用`) }).click();
  const facts = page.getByTestId("sign-facts");
  await expect(facts).toBeVisible({ timeout: 20_000 });
  await expect(facts).toContainText(expectedAddress);
  await page.getByTestId("card-sign-confirm").click();
  await expect(page).toHaveURL(/\/services\/applications\?submitted=/, { timeout: 30_000 });
}

/** Staff log in with the staff card and approve her application of `kind` in /admin/applications. */
async function staffApprove(browser: Browser, kind: string, applicantName: string): Promise<void> {
  const context = await newContext(browser);
  try {
    const staff = await context.newPage();
    await loginWithCard(staff, "staff");
    await staff.goto("/admin/applications");
    await staff
      .getByTestId("application-queue")
      .getByRole("row")
      .filter({ hasText: kind })
      .filter({ hasText: applicantName })
      .getByRole("link")
      .click();
    await expect(staff.getByTestId("signature-valid")).toHaveText("有効");
    await staff.getByTestId("approve").click();
    await expect(staff.getByTestId("decided")).toBeVisible({ timeout: 30_000 });
  } finally {
    await context.close();
  }
}

test("[SERVICES][DONE]: one resident links the insurer and the bus, moves with a signed 転居届 (the bank's watch hears certificate.revoked), gets her 住民票 at the new address, rides the bus, is received, treated and charged at the hospital, and finds the ambulance's break-glass read in her access log", async ({
  page,
  browser,
  request,
}) => {
  // Six stages, four card logins, three kiosks, two signatures on two shared cores.
  test.setTimeout(420_000);
  const me = readCardWorld().residents[ROLE];
  const resident = await prisma.resident.findUniqueOrThrow({ where: { id: me.residentId } });
  const refs = { insurer: `NHI-DONE-${Date.now()}`, bus: `BUS-DONE-${Date.now()}`, hospital: `P-DONE-${Date.now()}` };

  await test.step("1. links the insurer, the bus operator and the hospital from /services with the card", async () => {
    const requests = [
      { name: INSURER.name, ...(await requestLink(request, auth.insurer, refs.insurer, ["eligibility"])) },
      { name: BUS.name, ...(await requestLink(request, auth.bus, refs.bus, ["eligibility", "deliver"])) },
      {
        name: HOSPITAL.name,
        ...(await requestLink(request, auth.hospital, refs.hospital, ["eligibility", "deliver"])),
      },
    ];
    await loginWithCard(page, ROLE);
    await page.goto("/services");
    await page.locator('[data-section="links"]').getByRole("link", { name: "事業者との連携を開く" }).click();
    await expect(page).toHaveURL(/\/services\/links$/);
    for (const r of requests) {
      await page.getByRole("textbox", { name: "連携コード" }).fill(r.claimCode);
      await page.getByRole("button", { name: "依頼を表示する" }).click();
      const card = page.locator(`[data-link-request-id="${r.id}"]`);
      await expect(card).toBeVisible();
      await card.getByRole("button", { name: `${r.name}からの依頼を承認する` }).click();
      await expect(page.getByTestId("link-request-result")).toContainText("連携しました");
      await expect(page.getByTestId("links-linked").getByRole("rowheader", { name: r.name })).toBeVisible();
    }
    for (const [partnerId, partnerRef] of [
      [ids.insurer, refs.insurer],
      [ids.bus, refs.bus],
      [ids.hospital, refs.hospital],
    ]) {
      const link = await prisma.partnerResidentLink.findUniqueOrThrow({
        where: { partnerId_residentId: { partnerId: partnerId!, residentId: me.residentId } },
      });
      expect(link).toMatchObject({ partnerRef, revokedAt: null });
    }
  });

  const newAddress = addressInNewDistrict(resident.address, "二丁目８番１号");
  await test.step("2. moves with a signed 転居届 approved by staff; the bank's change watch gets certificate.revoked", async () => {
    const { district } = await setUpTown(prisma);
    // Before the move the bank verified an account application she signed with her card's signing
    // key (the soft token the agent serves, PIN-unlocked as her bank's signing page would) and
    // watches that certificate, with a webhook endpoint at a receiver in this process.
    const card = await VirtualCard.open(path.join(E2E_ROOT, E2E_CARDS_DIR, `${ROLE}.json`));
    expect(await card.verifyPin("sign", E2E_AGENT_PINS.sign)).toEqual({ ok: true });
    const signCertificate = card.signCertificate();
    const application = await signApplication(
      { certificate: signCertificate, privateKey: card.unlockedKey("sign") },
      { kind: "account-opening", branch: "本店" },
    );
    card.logout("sign");
    const receiver = await worker.receiverFor(ids.bank);
    const verified = await request.post("/api/v1/identity-verifications", {
      headers: { authorization: auth.bank },
      data: { ...application, purpose: "口座開設の本人確認（E2E）" },
    });
    expect(verified.status()).toBe(201);
    const verification = (await verified.json()) as { id: string; status: string; facts: { address: string } };
    expect(verification).toMatchObject({ status: "verified", facts: { address: resident.address } });
    const watched = await request.post("/api/v1/watches", {
      headers: { authorization: auth.bank },
      data: { verificationId: verification.id },
    });
    expect(watched.status()).toBe(201);
    const watch = (await watched.json()) as { id: string };

    // 転居届 signed with the card (the facts shown are the current address), approved by staff.
    await page.goto(`/services/applications/new?kind=move&${AGENT}`);
    const form = page.getByTestId("application-form-move");
    await form.getByLabel("新しい住所").fill(newAddress);
    await form.getByLabel("郵便番号").fill("779-3905");
    await form.getByLabel("地区").selectOption(district.code);
    await form.getByLabel("転居した日").fill("2026-12-01");
    await page.getByTestId("application-prepare").click();
    await expect(page.getByTestId("application-review")).toContainText(newAddress);
    await signWithCard(page, resident.address);
    await staffApprove(browser, "転居届", me.displayName);
    expect(await prisma.resident.findUniqueOrThrow({ where: { id: me.residentId } })).toMatchObject({
      address: newAddress,
      districtId: district.id,
    });

    // One change-check cycle (the jobs worker): the bank's receiver gets the signed event.
    const cycle = await worker.jobs.runChangeCheckNow();
    expect(cycle.confirmed).toBeGreaterThanOrEqual(1);
    const [got] = await receiver.waitFor(1);
    expect(got!.verified).toMatchObject({
      type: "certificate.revoked",
      data: {
        watchId: watch.id,
        verificationId: verification.id,
        reason: "affiliationChanged",
        certificate: { serialNumber: canonicalSerial(parseCertificate(signCertificate).serialHex) },
      },
    });
  });

  await test.step("3. requests a 住民票の写し, signed with the re-issued certificate; it arrives signed with the new address", async () => {
    await page.goto(`/services/applications/new?kind=residence-certificate&${AGENT}`);
    const form = page.getByTestId("application-form-residence-certificate");
    await form.getByLabel("通数").fill("1");
    await form.getByLabel("使いみち").fill("銀行への住所変更届");
    await page.getByTestId("application-prepare").click();
    // J-LIS re-issued her signing certificate at the move: the facts she signs show the new address.
    await signWithCard(page, newAddress);
    await staffApprove(browser, "住民票", me.displayName);
    await page.goto("/services/applications");
    const mine = page.getByTestId("my-applications");
    await expect(mine.locator('tr[data-status="approved"]')).toHaveCount(2);
    await mine.getByRole("link", { name: "届いた書類を開く" }).click();
    await expect(page).toHaveURL(/\/mailbox\/[0-9a-f-]{36}$/);
    await expect(page.locator("main")).toContainText(newAddress);
    await expect(page.locator("main")).toContainText(E2E_TOWN.name);
    const doc = await prisma.mailboxDocument.findFirstOrThrow({
      where: { residentId: me.residentId, type: "residence-certificate" },
      orderBy: { createdAt: "desc" },
    });
    expect(doc).toMatchObject({ signatureValid: true });
    expect((doc.payload as { address: string }).address).toBe(newAddress);
  });

  await test.step("4. buys a ticket book and rides the bus with the card: one ride gone, the receipt in her mailbox", async () => {
    await page.goto("/services/bus");
    const section = page.getByTestId("bus-operator").filter({ hasText: BUS.name });
    await section.getByTestId("bus-product-BOOK-11").getByRole("button", { name: "回数券（11回）を購入" }).click();
    await expect(page.getByTestId("bus-done")).toContainText("購入しました");
    await expect(
      page.getByTestId("bus-operator").filter({ hasText: BUS.name }).getByTestId("bus-balance-rides"),
    ).toHaveText("11回");

    const kioskContext = await newContext(browser);
    try {
      const kiosk = await kioskContext.newPage();
      const registered = kiosk.waitForResponse((r) => r.url().endsWith("/api/terminal/bus/device-key"));
      await enrolKiosk(kiosk, prisma, {
        partner: BUS.slug,
        label: "全サービスE2E-1号車",
        mode: "BUS",
        query: "&reset=60",
      });
      expect((await registered).status()).toBe(201);
      await tapCard(kiosk, ROLE);
      const result = kiosk.locator('[data-tap-state="result"]');
      await expect(result).toHaveAttribute("data-eligible", "true", { timeout: 30_000 });
      await expect(result.getByRole("status")).toContainText("乗車できました");
      await expect(kiosk.getByTestId("bus-rides-remaining")).toHaveText("10回");
      await expect(kiosk.getByTestId("tap-member-reference")).toHaveText(refs.bus);
    } finally {
      await kioskContext.close();
    }
    await page.goto("/services/bus");
    await expect(
      page.getByTestId("bus-operator").filter({ hasText: BUS.name }).getByTestId("bus-balance-rides"),
    ).toHaveText("10回");
    await page.goto("/mailbox");
    const receipts = page.getByTestId("mailbox-list").getByRole("listitem").filter({ hasText: "乗車領収書" });
    await expect(receipts).toContainText(BUS.name);
    const ride = await prisma.busRide.findFirstOrThrow({
      where: { residentId: me.residentId, partnerId: ids.bus },
      select: { receiptDocumentId: true },
    });
    expect(await prisma.mailboxDocument.findUniqueOrThrow({ where: { id: ride.receiptDocumentId! } })).toMatchObject({
      type: "bus-ride-receipt",
      issuerPartnerId: ids.bus,
      signatureValid: true,
    });
  });

  await test.step("5. is received at the hospital by card tap (insurance shown), treated and charged; the receipt reaches her mailbox", async () => {
    // The insurer keeps its roster over the API; she pays with a card linked at the processor's page.
    const roster = await request.put(`/api/v1/insurance/members/${refs.insurer}`, {
      headers: { authorization: auth.insurer },
      data: {
        status: "valid",
        insurerNumber: "369013",
        symbol: "一枚",
        number: "2001",
        validFrom: "2026-04-01",
        validUntil: "2027-03-31",
        copayRatio: 3,
      },
    });
    expect(roster.status()).toBe(201);
    await linkTestCardAtProcessor(page);

    const kioskContext = await newContext(browser);
    try {
      const kiosk = await kioskContext.newPage();
      await enrolKiosk(kiosk, prisma, {
        partner: HOSPITAL.slug,
        label: "全サービスE2E受付",
        mode: "HOSPITAL",
        query: "&reset=60",
      });
      await tapCard(kiosk, ROLE);
      const result = kiosk.locator('[data-tap-state="result"]');
      await expect(result).toHaveAttribute("data-insurance", "eligible", { timeout: 30_000 });
      await expect(kiosk.getByTestId("tap-member-reference")).toHaveText(refs.hospital);
      await expect(kiosk.getByTestId("insurer-name")).toHaveText(INSURER.name);
      await expect(kiosk.getByTestId("insurance-copay")).toHaveText("3割");
    } finally {
      await kioskContext.close();
    }
    const visit = await prisma.hospitalVisit.findFirstOrThrow({
      where: { hospitalId: ids.hospital, residentId: me.residentId },
      orderBy: { receivedAt: "desc" },
    });

    const api = (p: string, data?: unknown) =>
      request.post(p, { headers: { authorization: auth.hospital }, ...(data === undefined ? {} : { data }) });
    const recorded = await api(`/api/v1/hospital/visits/${visit.id}/record`, {
      department: "内科",
      points: 412,
      uninsuredYen: 0,
      medications: [
        { name: MEDICINE, dose: "1回1錠 1日1回 朝食後", days: 28, prescribedAt: "2026-12-07", prescriber: "吉野 一郎" },
      ],
    });
    expect(recorded.status()).toBe(201);
    const charged = await api(`/api/v1/hospital/visits/${visit.id}/charge`);
    expect(charged.status()).toBe(201);
    const payment = (await charged.json()) as THospitalVisitPaymentDto;
    expect(payment).toMatchObject({ status: "paid", amountYen: 1240, paymentMethod: { last4: "4242" } });
    // The hospital's own system signs the receipt and the medication list and delivers them.
    await deliverVisitDocuments(
      {
        origin: E2E_BASE_URL,
        authorization: auth.hospital,
        hospitalName: HOSPITAL.name,
        signer: await issueOrgSigner(HOSPITAL),
      },
      { visit: (await recorded.json()) as THospitalVisitDto, payment, patientName: me.displayName },
    );
    await page.goto("/mailbox");
    const list = page.getByTestId("mailbox-list");
    await expect(list).toContainText("診療費領収書");
    await expect(list).toContainText("お薬の記録");
    await expect(list).toContainText(HOSPITAL.name);
  });

  await test.step("6. an ambulance crew's break-glass read of her medication list is in her access log, marked as break-glass", async () => {
    const kioskContext = await newContext(browser);
    try {
      const kiosk = await kioskContext.newPage();
      await enrolKiosk(kiosk, prisma, { partner: FIRE.slug, label: "全サービスE2E救急", mode: "AMBULANCE" });
      await kiosk.getByTestId("emergency-break-glass").click();
      await kiosk.getByRole("radio", { name: "意識がない" }).check();
      await kiosk.getByLabel("状況（必須）").fill("路上で倒れており意識なし。");
      await kiosk.getByTestId("emergency-break-glass-submit").click();
      await chooseKioskCard(kiosk, ROLE, "data-emergency-state");
      const result = kiosk.getByTestId("emergency-result");
      await expect(result).toHaveAttribute("data-access-mode", "break_glass", { timeout: 30_000 });
      await expect(kiosk.getByTestId("emergency-medications")).toContainText(MEDICINE);
      await kiosk.getByTestId("emergency-finish").click();
    } finally {
      await kioskContext.close();
    }
    await page.goto("/settings/access-log");
    const line = page
      .getByRole("table", { name: "アクセス記録（新しい順）" })
      .locator('[data-event-type="emergency.break_glass"]')
      .first();
    await expect(line).toContainText("緊急閲覧（暗証番号なし）");
    await expect(line).toContainText(FIRE.name);
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedPartner, seedResident } from "../../../prisma/seed/factories";
import { chargesOf } from "../../../partner-sim/payment/processor";
import { handlePaymentSim } from "../../../partner-sim/payment/http";
import { serveForTest } from "../../../test/api/serve-for-test";
import { useTestDatabase } from "../../../test/db";
import type { PrismaClient } from "../../db/client";
import { httpPaymentProcessor } from "../payment/http-payment-processor";
import type { TPaymentProcessor } from "../payment/payment-processor";
import {
  completePaymentLink,
  startPaymentLink,
  unlinkPaymentMethod,
  viewPaymentMethod,
} from "../payment/payment-methods";
import { chargeVisit } from "./charge-visit";
import { rejectionCode as code } from "../../../test/rejection-code";

const KEY = "sk_test_charge_visit_test_key";

describe("会計: a recorded visit charged to the patient's payment method at the (simulated) processor over HTTP", () => {
  const db = useTestDatabase();
  let origin: string;
  let close: () => Promise<void>;
  let processor: TPaymentProcessor;

  beforeAll(async () => {
    ({ origin, close } = await serveForTest(
      ["GET", "POST"].map((method) => ({
        method,
        pattern: /^\/partner-sim\/payment\//,
        handler: (request: Request) => handlePaymentSim(request, { prisma: db().prisma, apiKey: KEY }),
      })),
    ));
    processor = httpPaymentProcessor({ baseUrl: `${origin}/partner-sim/payment`, apiKey: KEY });
  });
  afterAll(async () => {
    await close?.();
  });

  /** The resident's browser at the processor's page: the form posted, the redirect's ref and state. */
  async function registerAtProcessor(redirectTo: string, number: string): Promise<{ ref: string; state: string }> {
    const page = new URL(redirectTo);
    expect((await fetch(page)).status).toBe(200);
    const res = await fetch(`${origin}/partner-sim/payment/register`, {
      method: "POST",
      body: new URLSearchParams({
        return_to: page.searchParams.get("return_to") ?? "",
        state: page.searchParams.get("state") ?? "",
        number,
        expiry: "12/30",
        cvc: "123",
      }),
      redirect: "manual",
    });
    expect(res.status).toBe(303);
    const back = new URL(res.headers.get("location") ?? "", "http://portal.test");
    expect(back.pathname).toBe("/services/payment/return");
    return { ref: back.searchParams.get("ref") ?? "", state: back.searchParams.get("state") ?? "" };
  }

  async function world(prisma: PrismaClient, card?: string) {
    const hospital = await seedPartner(prisma, { kind: "HOSPITAL" });
    const processorPartner = await seedPartner(prisma, { kind: "PAYMENT_PROCESSOR" });
    const resident = await seedResident(prisma, { sandbox: true });
    if (card) {
      const { redirectTo } = await startPaymentLink(prisma, {
        residentId: resident.id,
        processorSlug: processorPartner.slug,
        processor,
      });
      const back = await registerAtProcessor(redirectTo, card);
      await completePaymentLink(prisma, { residentId: resident.id, ...back, processor });
    }
    const visit = await prisma.hospitalVisit.create({
      data: {
        hospitalId: hospital.id,
        residentId: resident.id,
        patientRef: "P-1",
        terminalLabel: "受付1",
        receivedAt: new Date(),
        insuranceStatus: "eligible",
        copayTenths: 3,
        status: "RECORDED",
        department: "内科",
        points: 412,
        uninsuredYen: 0,
        copayYen: 1240,
        totalYen: 1240,
        medications: [],
        recordedAt: new Date(),
      },
    });
    const as = { partnerId: hospital.id, mode: "TEST" as const };
    return { hospital, resident, visit, as, processorPartner };
  }

  it("[PAY][LINK]: the resident registers a test card at the processor and ichimai keeps only the token, brand, last 4 and expiry; the state and the ref work once", async () => {
    const { prisma } = db();
    const { resident, processorPartner } = await world(prisma);
    const { redirectTo } = await startPaymentLink(prisma, {
      residentId: resident.id,
      processorSlug: processorPartner.slug,
      processor,
    });
    const back = await registerAtProcessor(redirectTo, "4242 4242 4242 4242");
    const other = await seedResident(prisma, { sandbox: true });
    // Another resident cannot complete this resident's link.
    expect(await code(completePaymentLink(prisma, { residentId: other.id, ...back, processor }))).toBe(
      "PAYMENT_LINK_INVALID",
    );
    const method = await completePaymentLink(prisma, { residentId: resident.id, ...back, processor });
    expect(method).toMatchObject({ brand: "visa", last4: "4242", expMonth: 12, expYear: 2030 });
    const stored = await prisma.paymentMethod.findFirstOrThrow({ where: { residentId: resident.id } });
    expect(JSON.stringify(stored)).not.toContain("4242424242424242");
    expect(stored.token).toMatch(/^tok_/);
    expect(await code(completePaymentLink(prisma, { residentId: resident.id, ...back, processor }))).toBe(
      "PAYMENT_LINK_INVALID",
    );
    // The registration reference is redeemable once, also with a fresh state.
    const again = await startPaymentLink(prisma, {
      residentId: resident.id,
      processorSlug: processorPartner.slug,
      processor,
    });
    const state = new URL(again.redirectTo).searchParams.get("state") ?? "";
    expect(await code(completePaymentLink(prisma, { residentId: resident.id, ref: back.ref, state, processor }))).toBe(
      "PAYMENT_LINK_INVALID",
    );
    const consents = await prisma.auditEvent.findMany({
      where: { subjectResidentId: resident.id, type: "consent.given" },
    });
    expect(consents.map((e) => (e.data as { consent?: string }).consent)).toEqual(["payment.method"]);
    await unlinkPaymentMethod(prisma, { residentId: resident.id });
    expect(await viewPaymentMethod(prisma, resident.id)).toBeNull();
    expect(await code(unlinkPaymentMethod(prisma, { residentId: resident.id }))).toBe("NOT_FOUND");
  });

  it("[PAY][REGISTER]: the processor's page refuses a bad Luhn digit, a real-looking number, an expired card and a missing CVC", async () => {
    const post = (fields: Record<string, string>) =>
      fetch(`${origin}/partner-sim/payment/register`, {
        method: "POST",
        body: new URLSearchParams({
          return_to: "/services/payment/return",
          state: "s1",
          expiry: "12/30",
          cvc: "123",
          ...fields,
        }),
        redirect: "manual",
      });
    const refused: Record<string, string>[] = [
      { number: "4242424242424241" },
      { number: "4111111111111111" },
      { number: "4242424242424242", expiry: "01/20" },
      { number: "4242424242424242", cvc: "" },
    ];
    for (const fields of refused) {
      const res = await post(fields);
      expect(res.status).toBe(422);
      expect(await res.text()).toContain('role="alert"');
    }
    const offsite = await post({ number: "4242424242424242", return_to: "//evil.example/x" });
    expect(offsite.status).toBe(400);
  });

  it("[PAY][CHARGE]: the total is charged once — a retry and concurrent calls record one payment and one processor charge", async () => {
    const { prisma } = db();
    const { visit, as, resident } = await world(prisma, "5555555555554444");
    const results = await Promise.all(
      [1, 2, 3].map(() => chargeVisit(prisma, { hospital: as, visitId: visit.id, processor })),
    );
    expect(results.filter((r) => r.charged)).toHaveLength(1);
    expect(new Set(results.map((r) => r.payment.chargeId)).size).toBe(1);
    expect(results[0]?.payment).toMatchObject({
      status: "paid",
      amountYen: 1240,
      paymentMethod: { brand: "mastercard", last4: "4444" },
    });
    const retry = await chargeVisit(prisma, { hospital: as, visitId: visit.id, processor });
    expect(retry.charged).toBe(false);
    const method = await prisma.paymentMethod.findFirstOrThrow({ where: { residentId: resident.id } });
    expect(await chargesOf(prisma, method.token)).toHaveLength(1);
    expect(await prisma.hospitalVisitPayment.count({ where: { visitId: visit.id } })).toBe(1);
    expect(
      await prisma.auditEvent.count({ where: { subjectResidentId: resident.id, type: "partner.api_access" } }),
    ).toBe(1);
  });

  it("[PAY][CHARGE-RACE]: even when ichimai's calls both reach the processor, the idempotency key gives one charge", async () => {
    const { prisma } = db();
    const { visit, resident } = await world(prisma, "4242424242424242");
    const method = await prisma.paymentMethod.findFirstOrThrow({ where: { residentId: resident.id } });
    const calls = await Promise.all(
      [1, 2, 3, 4].map(() => processor.charge({ token: method.token, amountYen: 1240, idempotencyKey: visit.id })),
    );
    expect(new Set(calls.map((c) => (c.status === "approved" ? c.chargeId : c.status))).size).toBe(1);
    expect(await chargesOf(prisma, method.token)).toHaveLength(1);
  });

  it("[PAY][DECLINED]: the designated test card declines; the visit stays unpaid, and is paid once the patient links another card", async () => {
    const { prisma } = db();
    const { visit, as, resident, processorPartner } = await world(prisma, "4000000000000002");
    expect(await code(chargeVisit(prisma, { hospital: as, visitId: visit.id, processor }))).toBe("PAYMENT_DECLINED");
    expect(await prisma.hospitalVisitPayment.count({ where: { visitId: visit.id } })).toBe(0);
    const { redirectTo } = await startPaymentLink(prisma, {
      residentId: resident.id,
      processorSlug: processorPartner.slug,
      processor,
    });
    await completePaymentLink(prisma, {
      residentId: resident.id,
      ...(await registerAtProcessor(redirectTo, "3566002020360505")),
      processor,
    });
    const paid = await chargeVisit(prisma, { hospital: as, visitId: visit.id, processor });
    expect(paid).toMatchObject({ charged: true, payment: { paymentMethod: { brand: "jcb", last4: "0505" } } });
  });

  it("[PAY][REFUSED]: no linked method, the processor down, not yet recorded, another hospital, the other mode — nothing paid", async () => {
    const { prisma } = db();
    const bare = await world(prisma);
    expect(await code(chargeVisit(prisma, { hospital: bare.as, visitId: bare.visit.id, processor }))).toBe(
      "PAYMENT_METHOD_MISSING",
    );
    const { visit, as, hospital } = await world(prisma, "4242424242424242");
    const down = httpPaymentProcessor({ baseUrl: "http://127.0.0.1:1/partner-sim/payment", apiKey: KEY });
    expect(await code(chargeVisit(prisma, { hospital: as, visitId: visit.id, processor: down }))).toBe(
      "PAYMENT_UNAVAILABLE",
    );
    const wrongKey = httpPaymentProcessor({
      baseUrl: `${origin}/partner-sim/payment`,
      apiKey: "sk_wrong_key_of_sixteen",
    });
    expect(await code(chargeVisit(prisma, { hospital: as, visitId: visit.id, processor: wrongKey }))).toBe(
      "PAYMENT_UNAVAILABLE",
    );
    expect(await prisma.hospitalVisitPayment.count({ where: { visitId: visit.id } })).toBe(0);
    const other = await seedPartner(prisma, { kind: "HOSPITAL" });
    expect(
      await code(
        chargeVisit(prisma, { hospital: { partnerId: other.id, mode: "TEST" }, visitId: visit.id, processor }),
      ),
    ).toBe("NOT_FOUND");
    expect(await code(chargeVisit(prisma, { hospital: { ...as, mode: "LIVE" }, visitId: visit.id, processor }))).toBe(
      "CREDENTIAL_MODE_MISMATCH",
    );
    const received = await prisma.hospitalVisit.create({
      data: {
        hospitalId: hospital.id,
        residentId: visit.residentId,
        patientRef: "P-1",
        terminalLabel: "受付1",
        receivedAt: new Date(),
        insuranceStatus: "eligible",
      },
    });
    expect(await code(chargeVisit(prisma, { hospital: as, visitId: received.id, processor }))).toBe(
      "VISIT_NOT_RECORDED",
    );
    // Back up: the same visit is charged now.
    expect((await chargeVisit(prisma, { hospital: as, visitId: visit.id, processor })).charged).toBe(true);
  });
});

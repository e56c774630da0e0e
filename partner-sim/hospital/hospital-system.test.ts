import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { linkPartner } from "@/lib/mailbox/link-partner";
import { listDocuments } from "@/lib/mailbox/list-documents";
import type { THospitalVisitDto, THospitalVisitPaymentDto } from "@/lib/services/hospital/schemas";
import { httpPaymentProcessor } from "@/lib/services/payment/http-payment-processor";
import { completePaymentLink, startPaymentLink } from "@/lib/services/payment/payment-methods";
import { seedPartner, seedResident } from "@/prisma/seed/factories";
import { serveForTest } from "@/test/api/serve-for-test";
import { serveV1ForTest } from "@/test/api/serve-v1-for-test";
import { useTestDatabase } from "@/test/db";
import { basicAuth, createTestPartnerCa, issueOrgSigner, seedCred } from "@/test/mailbox/mailbox-world";
import { handlePaymentSim } from "../payment/http";
import { deliverVisitDocuments } from "./hospital-system";

const KEY = "sk_test_hospital_system_test_key";

describe("the simulated hospital's system: after 会計 it delivers the receipt and the medication list, signed with its own key", () => {
  const db = useTestDatabase();
  const closers: (() => Promise<void>)[] = [];
  let origin: string;
  let simOrigin: string;
  let processor: ReturnType<typeof httpPaymentProcessor>;
  let ca: Awaited<ReturnType<typeof createTestPartnerCa>>;

  beforeAll(async () => {
    const prisma = db().prisma;
    ca = await createTestPartnerCa();
    const sim = await serveForTest(
      ["GET", "POST"].map((method) => ({
        method,
        pattern: /^\/partner-sim\/payment\//,
        handler: (request: Request) => handlePaymentSim(request, { prisma, apiKey: KEY }),
      })),
    );
    simOrigin = sim.origin;
    processor = httpPaymentProcessor({ baseUrl: `${sim.origin}/partner-sim/payment`, apiKey: KEY });
    const v1 = await serveV1ForTest({ prisma, trustAnchors: [ca.certificate], paymentProcessor: processor });
    origin = v1.origin;
    closers.push(sim.close, v1.close);
  });
  afterAll(async () => {
    await Promise.all(closers.map((c) => c()));
  });

  it("[HOSPITAL][RECEIPT]: record → charge → 診療費領収書 and お薬の記録 in the patient's mailbox, issued by the hospital; a re-run delivers nothing twice", async () => {
    const { prisma } = db();
    const hospital = await seedPartner(prisma, { kind: "HOSPITAL", name: "一枚町立病院" });
    const payPartner = await seedPartner(prisma, { kind: "PAYMENT_PROCESSOR" });
    const auth = basicAuth(await seedCred(prisma, hospital.id, { scopes: ["hospital:visits", "documents:deliver"] }));
    const resident = await seedResident(prisma, {});
    await linkPartner(prisma, { residentId: resident.id, partnerId: hospital.id, partnerRef: "P-0042" });
    const { redirectTo } = await startPaymentLink(prisma, {
      residentId: resident.id,
      processorSlug: payPartner.slug,
      processor,
    });
    const page = new URL(redirectTo);
    const registered = await fetch(`${simOrigin}/partner-sim/payment/register`, {
      method: "POST",
      body: new URLSearchParams({
        return_to: page.searchParams.get("return_to") ?? "",
        state: page.searchParams.get("state") ?? "",
        number: "4242424242424242",
        expiry: "12/30",
        cvc: "123",
      }),
      redirect: "manual",
    });
    const back = new URL(registered.headers.get("location") ?? "", "http://portal.test").searchParams;
    await completePaymentLink(prisma, {
      residentId: resident.id,
      ref: back.get("ref") ?? "",
      state: back.get("state") ?? "",
      processor,
    });
    const opened = await prisma.hospitalVisit.create({
      data: {
        hospitalId: hospital.id,
        residentId: resident.id,
        patientRef: "P-0042",
        terminalLabel: "受付1",
        receivedAt: new Date(),
        insuranceStatus: "eligible",
        copayTenths: 3,
      },
    });
    const post = async (path: string, body?: unknown) => {
      const res = await fetch(`${origin}${path}`, {
        method: "POST",
        headers: { authorization: auth, ...(body ? { "content-type": "application/json" } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      expect(res.status).toBe(201);
      return res.json();
    };
    const medications = [
      {
        name: "アムロジピン錠5mg",
        dose: "1回1錠 1日1回 朝食後",
        days: 28,
        prescribedAt: "2026-12-07",
        prescriber: "吉野 一郎",
      },
    ];
    const visit = (await post(`/api/v1/hospital/visits/${opened.id}/record`, {
      department: "内科",
      points: 412,
      uninsuredYen: 0,
      medications,
    })) as THospitalVisitDto;
    const payment = (await post(`/api/v1/hospital/visits/${opened.id}/charge`)) as THospitalVisitPaymentDto;
    expect(payment.amountYen).toBe(1240);

    const sys = {
      origin,
      authorization: auth,
      hospitalName: "一枚町立病院",
      signer: await issueOrgSigner(ca, hospital),
    };
    const first = await deliverVisitDocuments(sys, { visit, payment, patientName: "阿波 花子" });
    const again = await deliverVisitDocuments(sys, { visit, payment, patientName: "阿波 花子" });
    expect(again).toEqual(first);

    const { items } = await listDocuments(prisma, { residentId: resident.id, channel: "pc" });
    expect(items.map((d) => d.type).sort()).toEqual(["hospital-receipt", "medication-list"]);
    const stored = await prisma.mailboxDocument.findMany({
      where: { residentId: resident.id },
      select: { type: true, issuerPartnerId: true, signatureValid: true, payload: true },
    });
    expect(stored.every((d) => d.issuerPartnerId === hospital.id && d.signatureValid)).toBe(true);
    expect(stored.find((d) => d.type === "hospital-receipt")?.payload).toMatchObject({
      hospital: "一枚町立病院",
      insurancePoints: 412,
      selfPayRatio: 0.3,
      insuredAmount: 1240,
      total: 1240,
      paidAt: payment.paidAt,
    });
    expect(stored.find((d) => d.type === "medication-list")?.payload).toMatchObject({ medications });
  });
});

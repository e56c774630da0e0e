/**
 * 会計 by hand, against a running `npm run dev`, as the hospital's own system (一枚町立病院):
 *
 *   npm run dev                                    # terminal 1 (the dev banner prints the reception kiosk 受付1)
 *   # tap the adult demo card at /terminal/hospital (受付), then:
 *   npx tsx scripts/demo/hospital-checkout.ts      # terminal 2
 *
 * It takes the hospital's newest received visit (GET /api/v1/hospital/visits?status=received),
 * records a sample care (POST …/record), charges it to the card the patient registered at
 * ichimai-pay (POST …/charge; the demo seed registered a test Visa for the adult card holder),
 * then signs the 診療費領収書 and お薬の記録 with an organisation key certified by the simulated
 * partner CA (PARTNER_CA_DIR) for the hospital — the hospital signs, not ichimai — and delivers
 * them through POST /api/v1/documents (partner-sim/hospital). Log in as the patient to read them.
 */
import "reflect-metadata";
import { generateRsaKeyPair } from "../../jlis-sim/ca/ca";
import { issueOrganizationCertificate, openPartnerCa } from "../../jlis-sim/partner-ca/partner-ca";
import { createPrismaClient } from "../../lib/db/client";
import { env, resolveDataPath } from "../../lib/env";
import { getRuntime } from "../../lib/runtime/runtime";
import type { THospitalVisitDto, THospitalVisitPaymentDto } from "../../lib/services/hospital/schemas";
import { deliverVisitDocuments } from "../../partner-sim/hospital/hospital-system";
import { DEMO_HOSPITAL_SLUG } from "../../prisma/seed/demo-hospital";
import { seedPartnerCredential } from "../../prisma/seed/factories";

const CREDENTIAL = {
  clientId: "ich_live_demo0hospital0system",
  clientSecret: "ich_secret_demo-hospital-system-not-for-production",
};

async function main(): Promise<void> {
  const config = env();
  const origin = new URL(config.PORTAL_ORIGIN).origin;
  const health = await fetch(`${origin}/api/health`).catch(() => undefined);
  if (!health?.ok) throw new Error(`No portal at ${origin}: start it with \`npm run dev\` first.`);
  const prisma = createPrismaClient((await getRuntime().database()).url);
  try {
    const hospital = await prisma.partner.findUniqueOrThrow({ where: { slug: DEMO_HOSPITAL_SLUG } });
    await seedPartnerCredential(prisma, {
      partnerId: hospital.id,
      ...CREDENTIAL,
      scopes: ["hospital:visits", "documents:deliver"],
    });
    const authorization = `Basic ${Buffer.from(`${CREDENTIAL.clientId}:${CREDENTIAL.clientSecret}`).toString("base64")}`;
    const api = async (method: string, p: string, body?: unknown) => {
      const res = await fetch(`${origin}${p}`, {
        method,
        headers: { authorization, ...(body === undefined ? {} : { "content-type": "application/json" }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const json = (await res.json()) as Record<string, unknown>;
      console.log(`${method} ${p} → ${res.status}`);
      if (!res.ok) throw new Error(JSON.stringify(json));
      return json;
    };
    const { data } = (await api("GET", "/api/v1/hospital/visits?status=received")) as { data: THospitalVisitDto[] };
    const received = data[0];
    if (!received) throw new Error("No received visit: tap a demo card at the hospital reception kiosk (受付1) first.");
    const today = new Date(Date.now() + 9 * 3600_000).toISOString().slice(0, 10);
    const visit = (await api("POST", `/api/v1/hospital/visits/${received.id}/record`, {
      department: "内科",
      points: 412,
      uninsuredYen: 0,
      medications: [
        {
          name: "アムロジピン錠5mg",
          dose: "1回1錠 1日1回 朝食後",
          days: 28,
          prescribedAt: today,
          prescriber: "吉野 一郎",
        },
      ],
    })) as THospitalVisitDto;
    const payment = (await api("POST", `/api/v1/hospital/visits/${received.id}/charge`)) as THospitalVisitPaymentDto;
    console.log(`会計: ${payment.amountYen}円, ${payment.paymentMethod?.brand} •••• ${payment.paymentMethod?.last4}`);

    // The hospital's patient file names the patient; in the demo that is the registry record.
    const patient = await prisma.hospitalVisit.findUniqueOrThrow({
      where: { id: received.id },
      select: { resident: { select: { familyName: true, givenName: true } } },
    });
    const ca = await openPartnerCa(resolveDataPath(config.PARTNER_CA_DIR));
    const keys = await generateRsaKeyPair();
    const now = Date.now();
    const certificate = await issueOrganizationCertificate({
      ca,
      subjectPublicKey: keys.publicKey,
      serialNumber: BigInt(now) * 1000n + 17n,
      organizationName: hospital.name,
      partnerSlug: hospital.slug,
      notBefore: new Date(now - 3_600_000),
      notAfter: new Date(now + 365 * 86_400_000),
    });
    const delivered = await deliverVisitDocuments(
      { origin, authorization, hospitalName: hospital.name, signer: { certificate, privateKey: keys.privateKey } },
      { visit, payment, patientName: `${patient.resident.familyName} ${patient.resident.givenName}` },
    );
    console.log(`delivered: receipt ${delivered.receipt.id}, medication list ${delivered.medicationList?.id}`);
  } finally {
    await prisma.$disconnect();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

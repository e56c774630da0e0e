/**
 * The hospital flow's demo data (受付 at 一枚町立病院 with the insurer 一枚町国民健康保険):
 * the reception kiosk, the insurer's `insurance:roster` and the hospital's `hospital:visits` scopes, the card holders' links to the
 * insurer and the hospital (made only when missing, e.g. when no links seeder made them), and
 * the insurer's roster entries for them — one lapsed (資格喪失), so the refusal can be shown.
 * Idempotent: every run re-confirms the roster (confirmedAt = now), so a dev server restarted
 * within a day answers "eligible"; one left running longer answers 確認できません (ROSTER_STALE).
 */
import type { PrismaClient } from "../../lib/db/client";
import { putInsuranceMember } from "../../lib/services/hospital/put-insurance-member";
import { completePaymentLink, startPaymentLink, viewPaymentMethod } from "../../lib/services/payment/payment-methods";
import { inProcessPaymentProcessor } from "../../partner-sim/payment/in-process";
import { registerCard } from "../../partner-sim/payment/processor";
import { checkCard } from "../../partner-sim/payment/test-cards";
import type { TDemoCardPick } from "./demo-cards";
import { ensureDemoLink } from "./demo-links";
import type { TDemoServiceContext, TDemoServiceSeed } from "./demo-services";
import { seedDemoTerminal } from "./demo-terminals";

export const DEMO_INSURER_SLUG = "ichimai-nhi";
export const DEMO_HOSPITAL_SLUG = "ichimai-hospital";
export const DEMO_RECEPTION_LABEL = "受付1";
/** 一枚町国民健康保険's 保険者番号 (fictitious; 6 digits as for 国保). */
export const DEMO_INSURER_NUMBER = "369012";
/** The card holder whose insurance the demo shows as lapsed. */
export const DEMO_LAPSED_ROLE = "foreign";
/** The payment processor of 会計 and the card holder who has a card registered there (a test Visa). */
export const DEMO_PROCESSOR_SLUG = "ichimai-pay";
export const DEMO_PAYING_ROLE = "adult";
export const DEMO_PAYMENT_CARD = "4242424242424242";

/**
 * A card registered at the simulated processor for the resident, through the same link flow as
 * /services/payment (state, one-time reference, token only at ichimai); none when one is active.
 */
async function ensurePaymentMethod(prisma: PrismaClient, residentId: string, now: Date): Promise<string> {
  const active = await viewPaymentMethod(prisma, residentId);
  if (active) return `${active.brand} •••• ${active.last4}`;
  const processor = inProcessPaymentProcessor(prisma);
  const { redirectTo } = await startPaymentLink(prisma, { residentId, processorSlug: DEMO_PROCESSOR_SLUG, processor });
  const state = new URL(redirectTo, "http://seed.invalid").searchParams.get("state") ?? "";
  const card = checkCard(
    { number: DEMO_PAYMENT_CARD, expiry: `12/${(now.getUTCFullYear() + 3) % 100}`, cvc: "123" },
    now,
  );
  if (!card.ok) throw new Error(`demo payment card refused: ${card.reason}`);
  const { registrationId } = await registerCard(prisma, card, now);
  const method = await completePaymentLink(prisma, { residentId, state, ref: registrationId, processor });
  return `${method.brand} •••• ${method.last4}`;
}

/** 自己負担割合 by age on a day: 未就学 2割, 6–69 3割, 70–74 2割, 75+ 1割 (the demo's simplification). */
export function demoCopayTenths(dateOfBirth: Date, on: Date): number {
  let age = on.getUTCFullYear() - dateOfBirth.getUTCFullYear();
  const beforeBirthday =
    on.getUTCMonth() < dateOfBirth.getUTCMonth() ||
    (on.getUTCMonth() === dateOfBirth.getUTCMonth() && on.getUTCDate() < dateOfBirth.getUTCDate());
  if (beforeBirthday) age--;
  if (age < 6) return 2;
  if (age < 70) return 3;
  if (age < 75) return 2;
  return 1;
}

export async function seedDemoHospital(ctx: TDemoServiceContext): Promise<TDemoServiceSeed> {
  const { prisma } = ctx;
  const [insurer, hospital] = await Promise.all([
    prisma.partner.findUniqueOrThrow({ where: { slug: DEMO_INSURER_SLUG } }),
    prisma.partner.findUniqueOrThrow({ where: { slug: DEMO_HOSPITAL_SLUG } }),
  ]);
  for (const [partner, scope] of [
    [insurer, "insurance:roster"],
    [hospital, "hospital:visits"],
    // The hospital's own system delivers the receipt and the medication list (partner-sim/hospital).
    [hospital, "documents:deliver"],
  ] as const) {
    if (!partner.approvedScopes.includes(scope)) {
      await prisma.partner.update({
        where: { id: partner.id },
        data: { approvedScopes: [...partner.approvedScopes, scope] },
      });
    }
  }
  const kiosk = await seedDemoTerminal(prisma, {
    partnerSlug: DEMO_HOSPITAL_SLUG,
    label: DEMO_RECEPTION_LABEL,
    mode: "HOSPITAL",
  });
  const now = new Date();
  const holders = ctx.cardHolders.filter((p: TDemoCardPick) => p.bind);
  const lines: string[] = [];
  for (const [i, holder] of holders.entries()) {
    const resident = await prisma.resident.findUniqueOrThrow({
      where: { id: holder.id },
      select: { dateOfBirth: true, sandbox: true },
    });
    const { partnerRef: memberNumber } = await ensureDemoLink(prisma, {
      partnerId: insurer.id,
      residentId: holder.id,
      fresh: `NHI-${holder.registryNumber}`,
    });
    await ensureDemoLink(prisma, {
      partnerId: hospital.id,
      residentId: holder.id,
      fresh: `P-${holder.registryNumber}`,
    });
    const lapsed = holder.role === DEMO_LAPSED_ROLE;
    const copay = demoCopayTenths(resident.dateOfBirth, now);
    await putInsuranceMember(prisma, {
      insurer: { partnerId: insurer.id, mode: resident.sandbox ? "TEST" : "LIVE" },
      memberNumber,
      request: {
        status: lapsed ? "lapsed" : "valid",
        insurerNumber: DEMO_INSURER_NUMBER,
        symbol: "一枚",
        number: String(1001 + i),
        validFrom: "2026-04-01",
        validUntil: lapsed ? "2026-09-30" : "2027-03-31",
        copayRatio: copay,
      },
      now,
    });
    const paying =
      holder.role === DEMO_PAYING_ROLE
        ? `, pays with ${await ensurePaymentMethod(prisma, holder.id, now)} at ${DEMO_PROCESSOR_SLUG}`
        : "";
    lines.push(`    ${holder.role.padEnd(12)} ${lapsed ? "資格喪失 (lapsed)" : `有効 ${copay}割`}${paying}`);
  }
  return {
    terminals: [kiosk],
    lines: [
      `  Hospital reception (${DEMO_HOSPITAL_SLUG} ${DEMO_RECEPTION_LABEL}), insurance at ${DEMO_INSURER_SLUG}:`,
      ...lines,
    ],
  };
}

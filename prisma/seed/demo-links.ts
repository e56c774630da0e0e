/**
 * Demo member links (紐付け) for `npm run dev`: the demo card holders linked to the town's health
 * insurer, hospital and bus operator as their situation suggests, each link with its purposes;
 * and one pending link request (from the adult's employer, which wants to deliver the 源泉徴収票)
 * for the "adult" card holder, so a newcomer finds it under /services. Idempotent: an existing
 * link (or an ended one) is left as it is, and the request is made only if the employer never
 * asked that resident before. `ensureDemoLink` is how the other service seeders reach a card
 * holder through a partner: the existing link's reference, or a new link.
 */
import type { PrismaClient } from "../../lib/db/client";
import { claimLinkRequest } from "../../lib/links/resident-link-requests";
import { createLinkRequest } from "../../lib/links/partner-link-requests";
import { linkPartner } from "../../lib/mailbox/link-partner";
import type { TLinkPurpose } from "../../lib/mailbox/link-purposes";
import type { TDemoServiceSeed, TDemoServiceSeeder } from "./demo-services";

const NHI = "ichimai-nhi";
const HOSPITAL = "ichimai-hospital";
const BUS = "ichimai-bus";
const EMPLOYER = "ichimai-suisan";
const LINK_PARTNERS = [NHI, HOSPITAL, BUS, EMPLOYER] as const;
type TLinkPartnerSlug = (typeof LINK_PARTNERS)[number];

/** Which card holder (by role) is linked to whom, for what, under which reference. */
const PLAN: readonly { role: string; partner: TLinkPartnerSlug; purposes: TLinkPurpose[]; purposeText: string }[] = [
  // Everyone on the town's National Health Insurance, except the staff (employer insurance).
  ...["adult", "elderly", "foreign", "child"].map((role) => ({
    role,
    partner: NHI as TLinkPartnerSlug,
    purposes: ["deliver", "eligibility", "notify"] as TLinkPurpose[],
    purposeText: "保険資格の確認、保険証・給付に関するお知らせの送付、住所変更の確認",
  })),
  ...["adult", "elderly"].map((role) => ({
    role,
    partner: HOSPITAL as TLinkPartnerSlug,
    purposes: ["eligibility", "deliver"] as TLinkPurpose[],
    purposeText: "受付での保険資格の確認と、診療明細書の送付",
  })),
  // The adult's ticket book, the senior pass and the child fare; ride receipts are delivered.
  ...["adult", "elderly", "child"].map((role) => ({
    role,
    partner: BUS as TLinkPartnerSlug,
    purposes: ["eligibility", "deliver"] as TLinkPurpose[],
    purposeText: "乗車時の資格（回数券・高齢者・こども）の確認と、乗車の領収書の送付",
  })),
];

/** The demo reference of a resident at a partner (stable across restarts). */
export function demoPartnerRef(partner: TLinkPartnerSlug, registryNumber: string): string {
  const prefix = partner === NHI ? "NHI" : partner === HOSPITAL ? "HOSP" : partner === BUS ? "BUS" : "EMP";
  return `${prefix}-${registryNumber}`;
}

async function partnerIds(prisma: PrismaClient): Promise<Map<string, string>> {
  // Fresh databases get links:write from DEMO_PARTNERS; older demo databases get it here.
  const rows = await prisma.partner.findMany({
    where: { slug: { in: [...LINK_PARTNERS] } },
    select: { id: true, slug: true, approvedScopes: true },
  });
  for (const r of rows) {
    if (!r.approvedScopes.includes("links:write")) {
      await prisma.partner.update({
        where: { id: r.id },
        data: { approvedScopes: [...r.approvedScopes, "links:write"] },
      });
    }
  }
  return new Map(rows.map((r) => [r.slug, r.id]));
}

export const seedDemoLinks: TDemoServiceSeeder = async ({ prisma, cardHolders }) => {
  const out: TDemoServiceSeed = { terminals: [], lines: [] };
  const ids = await partnerIds(prisma);
  const holder = (role: string) => cardHolders.find((c) => c.role === role && c.bind);
  let made = 0;
  for (const step of PLAN) {
    const resident = holder(step.role);
    const partnerId = ids.get(step.partner);
    if (!resident || !partnerId) continue;
    const existing = await prisma.partnerResidentLink.findUnique({
      where: { partnerId_residentId: { partnerId, residentId: resident.id } },
      select: { id: true },
    });
    if (existing) continue;
    await linkPartner(prisma, {
      residentId: resident.id,
      partnerId,
      partnerRef: demoPartnerRef(step.partner, resident.registryNumber),
      purposes: step.purposes,
    });
    made++;
  }

  // One pending request for the adult, as an employer would send it: with a link code (on a
  // letter), which the resident "entered" here.
  const adult = holder("adult");
  const employer = ids.get(EMPLOYER);
  if (adult && employer) {
    const asked = await prisma.linkRequest.count({ where: { partnerId: employer, residentId: adult.id } });
    const linked = await prisma.partnerResidentLink.count({ where: { partnerId: employer, residentId: adult.id } });
    if (asked === 0 && linked === 0) {
      const request = await createLinkRequest(prisma, {
        partner: { partnerId: employer, mode: "LIVE" },
        request: {
          partnerRef: demoPartnerRef(EMPLOYER, adult.registryNumber),
          purposes: ["deliver"],
          purposeText: "給与所得の源泉徴収票の送付",
        },
      });
      await claimLinkRequest(prisma, { residentId: adult.id, code: request.claimCode ?? "", channel: "system" });
      out.lines.push(`Member links: a pending link request from ${EMPLOYER} for ${adult.name} — see /services/links.`);
    }
  }
  if (made > 0) out.lines.push(`Member links: ${made} demo links made (${LINK_PARTNERS.join(", ")}).`);
  return out;
};

/**
 * The partner's reference for a card holder, for the other service seeders: the existing link's
 * (`active: false` when the resident ended it — the demo respects the consent ledger, so callers
 * deliver nothing then), or a new link under `fresh` with `purposes` (default deliver + eligibility).
 */
export async function ensureDemoLink(
  prisma: PrismaClient,
  o: { partnerId: string; residentId: string; fresh: string; purposes?: TLinkPurpose[] },
): Promise<{ partnerRef: string; active: boolean }> {
  const link = await prisma.partnerResidentLink.findUnique({
    where: { partnerId_residentId: { partnerId: o.partnerId, residentId: o.residentId } },
    select: { partnerRef: true, revokedAt: true },
  });
  if (link) return { partnerRef: link.partnerRef, active: link.revokedAt === null };
  await linkPartner(prisma, {
    residentId: o.residentId,
    partnerId: o.partnerId,
    partnerRef: o.fresh,
    ...(o.purposes ? { purposes: o.purposes } : {}),
  });
  return { partnerRef: o.fresh, active: true };
}

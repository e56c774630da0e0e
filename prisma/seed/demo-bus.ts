/**
 * The community bus of the demo town (lib/services/bus): ichimai-bus's products, its
 * receipt-signing key (an organisation certificate from the simulated partner CA, sealed in the
 * database), an enrolled on-board kiosk, a topped-up ticket book for the adult card holder and a
 * 敬老パス for the elderly card holder (both linked to the operator, the elderly one sharing
 * "aged 70 or over"), and a 障害者手帳 from the town in the adult's mailbox (so the disability
 * discount can be tried: share it in /services/bus, then buy the discounted book). Idempotent: a
 * restart buys and delivers nothing twice and keeps the kiosk enrolled.
 */
import { ensureDemoLink } from "./demo-links";
import { generateRsaKeyPair } from "../../jlis-sim/ca/ca";
import { signCms } from "../../lib/jpki";
import { canonicalJsonBytes } from "../../lib/mailbox/canonical-json";
import { deliverDocument } from "../../lib/mailbox/deliver-document";
import { issueOrganizationCertificate, type TPartnerCa } from "../../jlis-sim/partner-ca/partner-ca";
import { secretsEncryptionKeys } from "../../lib/crypto/secret-box";
import type { PrismaClient } from "../../lib/db/client";
import { env } from "../../lib/env";
import type { TBusContext } from "../../lib/services/bus/bus-context";
import { defineBusProducts, type TBusProductDefinition } from "../../lib/services/bus/products";
import { purchaseBusTicket } from "../../lib/services/bus/purchase-ticket";
import { registerBusOperatorSigner } from "../../lib/services/bus/ride-receipts";
import { setBusEligibilityShare } from "../../lib/services/bus/share-eligibility";
import type { TDemoServiceContext, TDemoServiceSeed } from "./demo-services";
import { seedDemoTerminal } from "./demo-terminals";

export const DEMO_BUS_SLUG = "ichimai-bus";
export const DEMO_BUS_KIOSK = "1号車";

/** The demo operator's products: a flat fare of 200 yen. */
export const DEMO_BUS_PRODUCTS: TBusProductDefinition[] = [
  {
    code: "BOOK-11",
    kind: "TICKET_BOOK",
    nameJa: "回数券（11回）",
    nameEn: "Ticket book (11 rides)",
    rides: 11,
    priceYen: 2000,
    fareYen: 200,
  },
  {
    code: "MONTH",
    kind: "PASS",
    nameJa: "月間パス（30日）",
    nameEn: "Monthly pass (30 days)",
    validDays: 30,
    priceYen: 4000,
    fareYen: 200,
  },
  {
    code: "KEIRO",
    kind: "PASS",
    nameJa: "敬老パス（1年・無料）",
    nameEn: "Senior pass (1 year, free)",
    validDays: 365,
    priceYen: 0,
    fareYen: 200,
    eligibility: "AGE_70_PLUS",
  },
  {
    code: "SHOGAI-11",
    kind: "TICKET_BOOK",
    nameJa: "障害者割引回数券（11回）",
    nameEn: "Disability discount book (11 rides)",
    rides: 11,
    priceYen: 1000,
    fareYen: 200,
    eligibility: "DISABILITY",
  },
];

/** The operator's receipt-signing key, issued by the partner CA once (kept across restarts). */
export async function seedBusOperatorSigner(
  ctx: TBusContext,
  o: { partnerCa: TPartnerCa; partner: { id: string; slug: string; name: string } },
): Promise<void> {
  const existing = await ctx.prisma.busOperatorSigner.findUnique({
    where: { partnerId: o.partner.id },
    select: { partnerId: true },
  });
  if (existing) return;
  const keys = await generateRsaKeyPair();
  const now = Date.now();
  const certificate = await issueOrganizationCertificate({
    ca: o.partnerCa,
    subjectPublicKey: keys.publicKey,
    serialNumber: BigInt(now) * 1000n + BigInt(Math.floor(Math.random() * 1000)),
    organizationName: o.partner.name,
    partnerSlug: o.partner.slug,
    notBefore: new Date(now - 3_600_000),
    notAfter: new Date(now + 365 * 86_400_000),
  });
  const pkcs8 = new Uint8Array(await crypto.subtle.exportKey("pkcs8", keys.privateKey));
  await registerBusOperatorSigner(ctx, { partnerId: o.partner.id, certificate, privateKeyPkcs8: pkcs8 });
}

export async function seedDemoBus(ctx: TDemoServiceContext): Promise<TDemoServiceSeed> {
  const { prisma } = ctx;
  const partner = await prisma.partner.findUniqueOrThrow({
    where: { slug: DEMO_BUS_SLUG },
    select: { id: true, slug: true, name: true },
  });
  const bus: TBusContext = { prisma, secretsKeys: () => secretsEncryptionKeys(env()) };
  await defineBusProducts(prisma, { partnerId: partner.id, products: DEMO_BUS_PRODUCTS });
  await seedBusOperatorSigner(bus, { partnerCa: ctx.partnerCa, partner });
  const terminal = await seedDemoTerminal(prisma, { partnerSlug: DEMO_BUS_SLUG, label: DEMO_BUS_KIOSK, mode: "BUS" });
  const lines: string[] = [];
  const holder = async (role: string, productCode: string, share?: "AGE_70_PLUS") => {
    const pick = ctx.cardHolders.find((c) => c.role === role);
    if (!pick) return;
    const link = await ensureDemoLink(prisma, {
      residentId: pick.id,
      partnerId: partner.id,
      fresh: `BUS-DEMO-${pick.registryNumber}`,
    });
    // A link the resident ended stays ended: no ticket for them.
    if (!link.active) return;
    if (share) {
      await setBusEligibilityShare(prisma, {
        residentId: pick.id,
        partnerId: partner.id,
        predicate: share,
        share: true,
      });
    }
    const has = await prisma.busTicket.findFirst({
      where: { residentId: pick.id, partnerId: partner.id },
      select: { id: true },
    });
    if (!has)
      await purchaseBusTicket(bus, { residentId: pick.id, partnerId: partner.id, productCode, issuedBy: "operator" });
    lines.push(`    bus       ${pick.name.replace("\u3000", " ")} (${role}): ${productCode}`);
  };
  await holder("adult", "BOOK-11");
  await holder("elderly", "KEIRO", "AGE_70_PLUS");
  const adult = ctx.cardHolders.find((c) => c.role === "adult");
  if (adult)
    await seedDemoDisabilityCertificate(prisma, { partnerCa: ctx.partnerCa, registryNumber: adult.registryNumber });
  return { terminals: [terminal], lines };
}

/**
 * A 障害者手帳 (physical, 4級) from the town for the resident, built from their own registry
 * record, signed with a town organisation key from the partner CA and delivered like any document.
 */
async function seedDemoDisabilityCertificate(
  prisma: PrismaClient,
  o: { partnerCa: TPartnerCa; registryNumber: string },
): Promise<void> {
  const town = await prisma.partner.findUniqueOrThrow({
    where: { slug: "ichimai-town" },
    select: { id: true, slug: true, name: true },
  });
  const key = `demo-disability-${o.registryNumber}`;
  const done = await prisma.deliveryRequest.findUnique({
    where: { partnerId_idempotencyKey: { partnerId: town.id, idempotencyKey: key } },
    select: { id: true },
  });
  if (done) return;
  const r = await prisma.resident.findUniqueOrThrow({
    where: { registryNumber: o.registryNumber },
    select: { familyName: true, givenName: true },
  });
  const keys = await generateRsaKeyPair();
  const now = Date.now();
  const certificate = await issueOrganizationCertificate({
    ca: o.partnerCa,
    subjectPublicKey: keys.publicKey,
    serialNumber: BigInt(now) * 1000n + BigInt(Math.floor(Math.random() * 1000)),
    organizationName: town.name,
    partnerSlug: town.slug,
    notBefore: new Date(now - 3_600_000),
    notAfter: new Date(now + 365 * 86_400_000),
  });
  const issued = new Date(now);
  const payload = {
    municipality: "徳島県一枚町",
    certificateNumber: `D-${o.registryNumber}`,
    holder: `${r.familyName} ${r.givenName}`,
    kind: "physical",
    grade: "4級",
    issuedOn: issued.toISOString().slice(0, 10),
    validUntil: `${issued.getUTCFullYear() + 5}-03-31`,
  };
  const signature = await signCms({
    content: canonicalJsonBytes(payload),
    signerCertificate: certificate,
    privateKey: keys.privateKey,
    detached: true,
    signingTime: issued,
  });
  await deliverDocument(prisma, {
    partnerId: town.id,
    idempotencyKey: key,
    trustAnchors: [o.partnerCa.certificate],
    request: {
      type: "disability-certificate",
      recipient: { registryNumber: o.registryNumber },
      payload,
      signature: Buffer.from(signature).toString("base64"),
    },
  });
}

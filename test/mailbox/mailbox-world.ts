/**
 * Test world of the mailbox: a simulated partner CA, organisation signers minted by it, and a
 * helper that signs payloads the way a partner integration does (RFC 8785 bytes, detached
 * CAdES-BES). Real keys and real CMS; nothing is mocked.
 */
import { signCms } from "@/lib/jpki";
import { generateRsaKeyPair } from "@/jlis-sim/ca/ca";
import { createPartnerRootCa, issueOrganizationCertificate, type TPartnerCa } from "@/jlis-sim/partner-ca/partner-ca";
import type { PrismaClient } from "@/lib/db/client";
import { seedPartner, seedPartnerCredential, seedResident } from "@/prisma/seed/factories";
import { linkPartner } from "../../lib/mailbox/link-partner";
import { canonicalJsonBytes } from "../../lib/mailbox/canonical-json";

/** A partner API credential as a client holds it. */
export type TCred = { clientId: string; clientSecret: string };

/** The HTTP Basic header partners authenticate with. */
export const basicAuth = (c: TCred) => `Basic ${Buffer.from(`${c.clientId}:${c.clientSecret}`).toString("base64")}`;

/** A new credential of the partner (scopes, rate limit…), as the client sees it. */
export async function seedCred(
  prisma: PrismaClient,
  partnerId: string,
  o: Omit<NonNullable<Parameters<typeof seedPartnerCredential>[1]>, "partnerId"> = {},
): Promise<TCred> {
  const { credential, clientSecret } = await seedPartnerCredential(prisma, { partnerId, ...o });
  return { clientId: credential.clientId, clientSecret };
}

export type TOrgSigner = { certificate: Uint8Array; privateKey: CryptoKey };

let serial = 100n;

export async function createTestPartnerCa(now = new Date()): Promise<TPartnerCa> {
  return createPartnerRootCa({
    notBefore: new Date(now.getTime() - 86_400_000),
    notAfter: new Date(now.getTime() + 3650 * 86_400_000),
  });
}

/** An organisation key and certificate for a partner. */
export async function issueOrgSigner(
  ca: TPartnerCa,
  partner: { slug: string; name: string },
  now = new Date(),
): Promise<TOrgSigner> {
  const keys = await generateRsaKeyPair();
  serial += 1n;
  const certificate = await issueOrganizationCertificate({
    ca,
    subjectPublicKey: keys.publicKey,
    serialNumber: serial,
    organizationName: partner.name,
    partnerSlug: partner.slug,
    notBefore: new Date(now.getTime() - 86_400_000),
    notAfter: new Date(now.getTime() + 365 * 86_400_000),
  });
  return { certificate, privateKey: keys.privateKey };
}

/** What the partner API delivery tests share (serveV1ForTest takes it as its world). */
export type TDeliveryWorld = {
  prisma: PrismaClient;
  /** The test partner CA's root, which the API trusts for issuers' organisation certificates. */
  trustAnchors: Uint8Array[];
  ca: TPartnerCa;
  /** さくら生命保険株式会社 (slug sakura-life, LIFE_INSURER), the issuer of the life-insurance documents. */
  insurer: Awaited<ReturnType<typeof seedPartner>>;
  /** The insurer's organisation signer, certified by `ca`. */
  signer: TOrgSigner;
};

/** A test partner CA and the life insurer さくら生命 with its organisation signer. */
export async function createDeliveryWorld(prisma: PrismaClient): Promise<TDeliveryWorld> {
  const ca = await createTestPartnerCa();
  const insurer = await seedPartner(prisma, {
    slug: "sakura-life",
    name: "さくら生命保険株式会社",
    kind: "LIFE_INSURER",
  });
  return { prisma, trustAnchors: [ca.certificate], ca, insurer, signer: await issueOrgSigner(ca, insurer) };
}

/** base64 DER of a detached CMS signature over the canonical payload. */
export async function signPayload(signer: TOrgSigner, payload: unknown, signingTime = new Date()): Promise<string> {
  const der = await signCms({
    content: canonicalJsonBytes(payload),
    signerCertificate: signer.certificate,
    privateKey: signer.privateKey,
    detached: true,
    signingTime,
  });
  return Buffer.from(der).toString("base64");
}

/** A valid 生命保険料控除証明書 payload. */
export function lifeInsurancePayload(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    insurer: "さくら生命保険株式会社",
    policyNumber: "SL-2026-000123",
    policyholder: "阿波 花子",
    insured: "阿波 花子",
    insuranceKind: "general",
    system: "new",
    year: 2026,
    premiumPaidToDate: 96000,
    premiumExpectedForYear: 120000,
    issuedOn: "2026-10-15",
    ...overrides,
  };
}

/** A valid お知らせ payload. */
export function noticePayload(title: string, body = "詳しくは窓口までお問い合わせください。"): Record<string, unknown> {
  return { title, body };
}

/**
 * The life insurer さくら生命 (slug sakura-life) with a test partner CA and its organisation
 * signer, and one resident linked under each of `partnerRefs`: what the bulk delivery tests share.
 */
export async function createLinkedInsurer(
  prisma: PrismaClient,
  partnerRefs: string[],
): Promise<{ trust: Uint8Array[]; signer: TOrgSigner; partnerId: string }> {
  const ca = await createTestPartnerCa();
  const partner = await seedPartner(prisma, {
    slug: "sakura-life",
    name: "さくら生命保険株式会社",
    kind: "LIFE_INSURER",
  });
  const signer = await issueOrgSigner(ca, partner);
  for (const partnerRef of partnerRefs) {
    const resident = await seedResident(prisma);
    await linkPartner(prisma, { residentId: resident.id, partnerId: partner.id, partnerRef });
  }
  return { trust: [ca.certificate], signer, partnerId: partner.id };
}

/**
 * Sample mailbox documents for demo residents, so a newcomer who logs in with a demo card finds
 * real signed data: a notice and a residence certificate from the town (addressed by registry
 * number; built from the recipient's own registry record and household), and a 生命保険料控除証明書 from the life insurer the resident linked. Each is signed
 * with an organisation key certified by the simulated partner CA and goes through the same
 * deliverDocument as the partner API. Idempotent (fixed idempotency keys).
 */
import type { PrismaClient } from "../../lib/db/client";
import { signCms } from "../../lib/jpki";
import { generateRsaKeyPair } from "../../jlis-sim/ca/ca";
import { issueOrganizationCertificate, type TPartnerCa } from "../../jlis-sim/partner-ca/partner-ca";
import { canonicalJsonBytes } from "../../lib/mailbox/canonical-json";
import { deliverDocument } from "../../lib/mailbox/deliver-document";
import { EXAMPLE_PAYLOADS } from "../../lib/mailbox/document-types/examples";
import { linkPartner } from "../../lib/mailbox/link-partner";
import { buildResidenceCertificate } from "../../lib/services/applications/residence-certificate";
import { DEMO_PREFECTURE, DEMO_TOWN } from "./factories";

export type TSigner = { certificate: Uint8Array; privateKey: CryptoKey };

/** An organisation key and certificate from the simulated partner CA (also used by demo-emergency.ts). */
export async function organisationSigner(
  ca: TPartnerCa,
  partner: { slug: string; name: string },
  validDays = 365,
): Promise<TSigner> {
  const keys = await generateRsaKeyPair();
  const now = Date.now();
  const certificate = await issueOrganizationCertificate({
    ca,
    subjectPublicKey: keys.publicKey,
    // Unique per call, also for two signers issued in the same millisecond.
    serialNumber: BigInt(now) * 1000n + BigInt(Math.floor(Math.random() * 1000)),
    organizationName: partner.name,
    partnerSlug: partner.slug,
    notBefore: new Date(now - 3_600_000),
    notAfter: new Date(now + validDays * 86_400_000),
  });
  return { certificate, privateKey: keys.privateKey };
}

export type TDemoDocumentRecipient = { id: string; registryNumber: string; name: string };

/** Deliver the sample documents to each recipient; returns how many were new. */
export async function seedDemoDocuments(
  prisma: PrismaClient,
  o: { partnerCa: TPartnerCa; recipients: TDemoDocumentRecipient[] },
): Promise<number> {
  const [town, insurer] = await Promise.all([
    prisma.partner.findUniqueOrThrow({ where: { slug: "ichimai-town" } }),
    prisma.partner.findUniqueOrThrow({ where: { slug: "sakura-life" } }),
  ]);
  // Minted on the first document that is still to deliver: a restart of `npm run dev`, which
  // finds everything delivered, generates no keys.
  const signers = new Map<string, Promise<TSigner>>();
  const signerOf = (partner: { id: string; slug: string; name: string }) => {
    let signer = signers.get(partner.id);
    if (!signer) {
      signer = organisationSigner(o.partnerCa, partner);
      signers.set(partner.id, signer);
    }
    return signer;
  };
  let created = 0;
  const deliver = async (
    partner: { id: string; slug: string; name: string },
    key: string,
    type: string,
    recipient: object,
    buildPayload: () => Record<string, unknown> | Promise<Record<string, unknown>>,
  ) => {
    const partnerId = partner.id;
    // A re-run signs anew (new signing time), which the API would refuse as a reused key with
    // another body: skip what was delivered before (before building or signing anything).
    const done = await prisma.deliveryRequest.findUnique({
      where: { partnerId_idempotencyKey: { partnerId, idempotencyKey: key } },
      select: { id: true },
    });
    if (done) return;
    const [payload, signer] = await Promise.all([buildPayload(), signerOf(partner)]);
    const signature = await signCms({
      content: canonicalJsonBytes(payload),
      signerCertificate: signer.certificate,
      privateKey: signer.privateKey,
      detached: true,
      signingTime: new Date(),
    });
    await deliverDocument(prisma, {
      partnerId,
      idempotencyKey: key,
      trustAnchors: [o.partnerCa.certificate],
      request: { type, recipient, payload, signature: Buffer.from(signature).toString("base64") },
    });
    created++;
  };
  for (const r of o.recipients) {
    const name = r.name.replace("\u3000", " ");
    await deliver(town, `demo-notice-${r.registryNumber}`, "notice", { registryNumber: r.registryNumber }, () => ({
      ...EXAMPLE_PAYLOADS.notice,
    }));
    // Built from the recipient's own registry record and household, never the sample payload.
    await deliver(
      town,
      `demo-residence-${r.registryNumber}`,
      "residence-certificate",
      { registryNumber: r.registryNumber },
      () =>
        buildResidenceCertificate(prisma, {
          residentId: r.id,
          scope: "household",
          municipality: `${DEMO_PREFECTURE}${DEMO_TOWN}`,
          certificateNumber: `R-DEMO-${r.registryNumber}`,
          issuedOn: new Date(),
        }),
    );
    const partnerRef = `SL-DEMO-${r.registryNumber}`;
    await linkPartner(prisma, { residentId: r.id, partnerId: insurer.id, partnerRef });
    await deliver(
      insurer,
      `demo-life-${r.registryNumber}`,
      "life-insurance-deduction-certificate",
      { partnerRef },
      () => ({ ...EXAMPLE_PAYLOADS["life-insurance-deduction-certificate"], policyholder: name, insured: name }),
    );
  }
  return created;
}

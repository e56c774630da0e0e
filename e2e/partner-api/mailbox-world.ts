/**
 * Mailbox set-up for the e2e specs: a life-insurer partner with an API credential, its
 * organisation key from the same simulated partner CA the server trusts (PARTNER_CA_DIR, default
 * .data/partner-ca), and a link from a resident to it. Idempotent: every row is keyed naturally.
 */
import "reflect-metadata";
import path from "node:path";
import { type APIRequestContext, expect } from "@playwright/test";
import { createPrismaClient } from "../../lib/db/client";
import { databaseReady } from "../../lib/db/connection";
import { parseEnv } from "../../lib/env";
import { openPartnerCa } from "../../jlis-sim/partner-ca/partner-ca";
import { EXAMPLE_PAYLOADS } from "../../lib/mailbox/document-types/examples";
import { linkPartner } from "../../lib/mailbox/link-partner";
import { signPayload, type TOrgSigner } from "../../test/mailbox/mailbox-world";
import { organisationSigner } from "../../prisma/seed/demo-documents";
import { seedPartner, seedPartnerCredential, seedResident } from "../../prisma/seed/factories";
import { E2E_DATABASE_ENV, E2E_ROOT } from "../fixtures/card";

export const E2E_INSURER = {
  slug: "e2e-sakura-life",
  name: "さくら生命保険株式会社（E2E）",
  nameEn: "Sakura Life (E2E)",
};
export const E2E_INSURER_CREDENTIAL = {
  clientId: "ich_test_e2e0sakura0life01",
  clientSecret: "ich_secret_e2e-sakura-life-secret-0123456789",
};

export const E2E_EMPLOYER = {
  slug: "e2e-ichimai-works",
  name: "株式会社一枚製作所（E2E）",
  nameEn: "Ichimai Works (E2E)",
};
export const E2E_EMPLOYER_CREDENTIAL = {
  clientId: "ich_test_e2e0ichimai0works1",
  clientSecret: "ich_secret_e2e-ichimai-works-secret-0123456789",
};

const basic = (c: { clientId: string; clientSecret: string }) =>
  `Basic ${Buffer.from(`${c.clientId}:${c.clientSecret}`).toString("base64")}`;

export type TMailboxWorld = {
  partnerId: string;
  /** The partner CA root the server trusts (for verifying as a receiver would). */
  trustAnchor: Uint8Array;
  /** The employer partner (receives shares; scope documents:receive). */
  employer: {
    partnerId: string;
    authorization: string;
    link: (residentId: string, partnerRef: string) => Promise<void>;
  };
  signer: TOrgSigner;
  authorization: string;
  /** Links `residentId` to the insurer under `partnerRef` (consent to deliver). */
  link: (residentId: string, partnerRef: string) => Promise<void>;
  /** A resident of its own (for API-only specs). */
  seedRecipient: (registryNumber: string) => Promise<string>;
  sign: (payload: unknown) => Promise<string>;
  /** Sets the origins the insurer's documents may link to (Partner.actionOrigins, set by staff). */
  setActionOrigins: (origins: string[]) => Promise<void>;
  /**
   * Delivers a signed 生命保険料控除証明書 with `policyNumber` to the resident linked under
   * `partnerRef`, through the real POST /api/v1/documents; expects 201 and returns the id.
   */
  deliverLifeInsurance: (request: APIRequestContext, partnerRef: string, policyNumber: string) => Promise<string>;
  close: () => Promise<void>;
};

export async function openMailboxWorld(): Promise<TMailboxWorld> {
  const config = parseEnv({ ...E2E_DATABASE_ENV });
  const { url } = await databaseReady(config);
  const prisma = createPrismaClient(url);
  const partner = await seedPartner(prisma, { ...E2E_INSURER, kind: "LIFE_INSURER" });
  await seedPartnerCredential(prisma, {
    partnerId: partner.id,
    ...E2E_INSURER_CREDENTIAL,
    scopes: ["documents:deliver", "documents:status"],
  });
  const employer = await seedPartner(prisma, { ...E2E_EMPLOYER, kind: "EMPLOYER" });
  await seedPartnerCredential(prisma, {
    partnerId: employer.id,
    ...E2E_EMPLOYER_CREDENTIAL,
    scopes: ["documents:receive"],
  });
  const ca = await openPartnerCa(path.join(E2E_ROOT, ".data/partner-ca"));
  const signer = await organisationSigner(ca, E2E_INSURER, 30);
  return {
    partnerId: partner.id,
    trustAnchor: ca.certificate,
    employer: {
      partnerId: employer.id,
      authorization: basic(E2E_EMPLOYER_CREDENTIAL),
      link: async (residentId, partnerRef) => {
        await linkPartner(prisma, { residentId, partnerId: employer.id, partnerRef });
      },
    },
    signer,
    authorization: basic(E2E_INSURER_CREDENTIAL),
    link: async (residentId, partnerRef) => {
      await linkPartner(prisma, { residentId, partnerId: partner.id, partnerRef });
    },
    seedRecipient: async (registryNumber) => (await seedResident(prisma, { registryNumber })).id,
    sign: (payload) => signPayload(signer, payload),
    setActionOrigins: async (origins) => {
      await prisma.partner.update({ where: { id: partner.id }, data: { actionOrigins: origins } });
    },
    deliverLifeInsurance: async (request, partnerRef, policyNumber) => {
      const payload = { ...EXAMPLE_PAYLOADS["life-insurance-deduction-certificate"], policyNumber };
      const delivered = await request.post("/api/v1/documents", {
        headers: { authorization: basic(E2E_INSURER_CREDENTIAL) },
        data: {
          type: "life-insurance-deduction-certificate",
          recipient: { partnerRef },
          payload,
          signature: await signPayload(signer, payload),
        },
      });
      expect(delivered.status()).toBe(201);
      return ((await delivered.json()) as { id: string }).id;
    },
    close: () => prisma.$disconnect(),
  };
}

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseCertificate } from "../lib/jpki/certificate";
import { validateChain } from "../lib/jpki/chain";
import { certificateViolations, crlViolations } from "../lib/jpki/conformance";
import { parseCrl } from "../lib/jpki/crl";
import {
  buildCrl,
  createRootCa,
  generateRsaKeyPair,
  type Hierarchy,
  issueAuthCertificate,
  issueOcspResponderCertificate,
  issueSignCertificate,
  type TokenType,
} from "./ca/ca";
import { signCrlDistributionPointName } from "./ca/profiles";
import { createPartnerRootCa, issueOrganizationCertificate, publishPartnerCrl } from "./partner-ca/partner-ca";

/**
 * Every certificate and CRL profile the simulated J-LIS and the simulated partner CA issue meets
 * the conforming-CA rules of RFC 5280 (lib/jpki/conformance.ts) — roots included, although as
 * trust anchors they are exempt — and the end-entity certificates validate against their roots.
 */

const NOW = new Date("2026-04-01T03:00:00Z");
const DAY = 86_400_000;
const ISSUED = new Date("2025-06-01T03:00:00Z");
const FACTS = {
  name: "山田\u3000太郎",
  address: "東京都清瀬市中里一丁目1番地",
  dateOfBirth: "1990-01-02",
  gender: "male" as const,
};

type TMinted = { name: string; der: Uint8Array; anchor?: Uint8Array; kind: "cert" | "crl" };
const minted: TMinted[] = [];
let dir: string;

beforeAll(async () => {
  const keys = await Promise.all(Array.from({ length: 5 }, () => generateRsaKeyPair()));
  const [rootKeys, leafKeys, responderKeys, partnerKeys, orgKeys] = keys as [
    CryptoKeyPair,
    CryptoKeyPair,
    CryptoKeyPair,
    CryptoKeyPair,
    CryptoKeyPair,
  ];
  for (const hierarchy of ["production", "test"] as Hierarchy[]) {
    for (const purpose of ["auth", "sign"] as const) {
      const ca = await createRootCa({
        purpose,
        generation: 3,
        hierarchy,
        keys: rootKeys,
        notBefore: new Date("2023-07-16T00:00:00Z"),
        notAfter: new Date("2033-07-15T00:00:00Z"),
        serialNumber: 114393094n,
      });
      const tag = `${hierarchy} ${purpose}`;
      minted.push({ name: `${tag} root`, der: ca.certificate, anchor: ca.certificate, kind: "cert" });
      minted.push({
        name: `${tag} OCSP responder`,
        der: await issueOcspResponderCertificate({
          ca,
          subjectPublicKey: responderKeys.publicKey,
          serialNumber: 2n,
          notBefore: new Date(NOW.getTime() - DAY),
          notAfter: new Date(NOW.getTime() + 365 * DAY),
        }),
        anchor: ca.certificate,
        kind: "cert",
      });
      for (const tokenType of ["card", "android", "iphone"] as TokenType[]) {
        const der =
          purpose === "auth"
            ? await issueAuthCertificate({
                ca,
                subjectPublicKey: leafKeys.publicKey,
                serialNumber: 0x7fff_ffff_ffffn,
                municipalityCode: "132217",
                issuedAt: ISSUED,
                dateOfBirth: FACTS.dateOfBirth,
                tokenType,
              })
            : await issueSignCertificate({
                ca,
                subjectPublicKey: leafKeys.publicKey,
                serialNumber: 1n,
                facts: FACTS,
                prefectureRomaji: "Tokyo-to",
                municipalityRomaji: "Kiyose-shi",
                municipalityCode: "13221",
                issuedAt: ISSUED,
                tokenType,
              });
        minted.push({ name: `${tag} ${tokenType} certificate`, der, anchor: ca.certificate, kind: "cert" });
      }
      const crl = (o: Partial<Parameters<typeof buildCrl>[0]>) =>
        buildCrl({
          ca,
          entries: [{ serialNumber: 5n, revokedAt: new Date(NOW.getTime() - DAY), reason: "keyCompromise" }],
          thisUpdate: NOW,
          nextUpdate: new Date(NOW.getTime() + DAY),
          crlNumber: 9n,
          ...o,
        });
      minted.push({ name: `${tag} CRL`, der: await crl({}), kind: "crl" });
      minted.push({ name: `${tag} ARL`, der: await crl({ onlyContainsCACerts: true }), kind: "crl" });
      if (purpose === "sign") {
        const partition = signCrlDistributionPointName({
          hierarchy,
          prefectureRomaji: "Tokyo-to",
          municipalityRomaji: "Kiyose-shi",
        });
        minted.push({
          name: `${tag} municipality partition CRL`,
          der: await crl({ issuingDistributionPoint: partition, onlyContainsUserCerts: true }),
          kind: "crl",
        });
      }
    }
  }
  const partner = await createPartnerRootCa({
    keys: partnerKeys,
    notBefore: new Date(NOW.getTime() - DAY),
    notAfter: new Date(NOW.getTime() + 20 * 365 * DAY),
  });
  minted.push({ name: "partner root", der: partner.certificate, anchor: partner.certificate, kind: "cert" });
  minted.push({
    name: "partner organisation certificate",
    der: await issueOrganizationCertificate({
      ca: partner,
      subjectPublicKey: orgKeys.publicKey,
      serialNumber: 0x1234n,
      organizationName: "さくら生命保険株式会社",
      partnerSlug: "sakura-life",
      notBefore: new Date(NOW.getTime() - DAY),
      notAfter: new Date(NOW.getTime() + 365 * DAY),
    }),
    anchor: partner.certificate,
    kind: "cert",
  });
  dir = await mkdtemp(path.join(tmpdir(), "ichimai-conformance-"));
  minted.push({ name: "partner CA CRL", der: await publishPartnerCrl(dir, NOW), kind: "crl" });
}, 120_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("the simulators issue only what a conforming CA issues (RFC 5280)", () => {
  it("mints every profile", () => {
    expect(minted.filter((m) => m.kind === "cert")).toHaveLength(4 * 5 + 2);
    expect(minted.filter((m) => m.kind === "crl")).toHaveLength(4 * 2 + 2 + 1);
  });

  it("every certificate profile breaks no rule and validates against its root", async () => {
    for (const m of minted.filter((x) => x.kind === "cert")) {
      expect({ name: m.name, violations: certificateViolations(parseCertificate(m.der)) }).toEqual({
        name: m.name,
        violations: [],
      });
      const r = await validateChain({ leaf: m.der, trustAnchors: [m.anchor!], time: NOW });
      expect({ name: m.name, valid: r.valid, code: r.code }).toEqual({ name: m.name, valid: true, code: undefined });
    }
  });

  it("every CRL profile breaks no rule", () => {
    for (const m of minted.filter((x) => x.kind === "crl")) {
      expect({ name: m.name, violations: crlViolations(parseCrl(m.der)) }).toEqual({ name: m.name, violations: [] });
    }
  });
});

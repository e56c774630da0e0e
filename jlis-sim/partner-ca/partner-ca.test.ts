import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import * as x509 from "@peculiar/x509";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CheckCode, signCms, verifyCms } from "../../lib/jpki/index";
import { generateRsaKeyPair } from "../ca/ca";
import { parseCrl } from "../../lib/jpki/crl";
import {
  createPartnerRootCa,
  currentPartnerCrl,
  issueOrganizationCertificate,
  openPartnerCa,
  PARTNER_CRL_VALIDITY_MS,
  publishPartnerCrl,
  revokeOrganizationCertificate,
  PARTNER_CA_NAME,
  type TPartnerCa,
} from "./partner-ca";
import { readOrganizationIdentity } from "../../lib/jpki/organization-certificate";

const NOW = new Date("2026-11-20T03:00:00Z");
const DAY = 24 * 3600_000;

describe("simulated partner CA (organisation signing certificates)", () => {
  let ca: TPartnerCa;
  let otherCa: TPartnerCa;
  let orgKeys: CryptoKeyPair;
  let orgCert: Uint8Array;
  let dir: string;

  beforeAll(async () => {
    [ca, otherCa, orgKeys] = await Promise.all([
      createPartnerRootCa({ notBefore: new Date(NOW.getTime() - DAY), notAfter: new Date(NOW.getTime() + 3650 * DAY) }),
      createPartnerRootCa({ notBefore: new Date(NOW.getTime() - DAY), notAfter: new Date(NOW.getTime() + 3650 * DAY) }),
      generateRsaKeyPair(),
    ]);
    orgCert = await issueOrganizationCertificate({
      ca,
      subjectPublicKey: orgKeys.publicKey,
      serialNumber: 0x1001n,
      organizationName: "さくら生命保険株式会社",
      partnerSlug: "sakura-life",
      notBefore: new Date(NOW.getTime() - DAY),
      notAfter: new Date(NOW.getTime() + 365 * DAY),
    });
    dir = await mkdtemp(path.join(tmpdir(), "partner-ca-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("the root is a self-signed CA named ichimai Partner CA (simulated)", async () => {
    const root = new x509.X509Certificate(new Uint8Array(ca.certificate));
    expect(root.subject).toContain(PARTNER_CA_NAME);
    expect(root.subject).toBe(root.issuer);
    expect(await root.verify({ signatureOnly: true })).toBe(true);
    const bc = root.getExtension(x509.BasicConstraintsExtension);
    expect(bc?.ca).toBe(true);
    expect(bc?.pathLength).toBe(0);
  });

  it("an organisation certificate carries O, the partner slug and digitalSignature+nonRepudiation", async () => {
    const cert = new x509.X509Certificate(new Uint8Array(orgCert));
    const ku = cert.getExtension(x509.KeyUsagesExtension);
    expect(ku?.critical).toBe(true);
    expect(ku?.usages).toBe(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation);
    expect(cert.getExtension(x509.BasicConstraintsExtension)?.ca).toBe(false);
    expect(await cert.verify({ publicKey: ca.keys.publicKey, signatureOnly: true })).toBe(true);
    expect(readOrganizationIdentity(orgCert)).toMatchObject({
      organizationName: "さくら生命保険株式会社",
      partnerSlug: "sakura-life",
      serialNumber: "1001",
      issuer: expect.stringContaining(PARTNER_CA_NAME),
    });
  });

  it("a detached CAdES-BES signature with the organisation key verifies against the partner root only", async () => {
    const content = new TextEncoder().encode('{"a":1}');
    const signedData = await signCms({
      content,
      signerCertificate: orgCert,
      privateKey: orgKeys.privateKey,
      detached: true,
      signingTime: NOW,
    });
    const good = await verifyCms({ signedData, detachedContent: content, trustAnchors: [ca.certificate], time: NOW });
    expect(good.checks.filter((c) => !c.ok)).toEqual([]);
    expect(good.valid).toBe(true);
    const foreign = await verifyCms({
      signedData,
      detachedContent: content,
      trustAnchors: [otherCa.certificate],
      time: NOW,
    });
    expect(foreign.valid).toBe(false);
    expect(foreign.checks.find((c) => c.code === CheckCode.CERT_PATH)?.ok).toBe(false);
  });

  it.each([
    ["an upper-case slug", { partnerSlug: "Sakura" }],
    ["an empty organisation name", { organizationName: " " }],
    ["serial zero", { serialNumber: 0n }],
  ])("refuses %s with VALIDATION_FAILED", async (_label, override) => {
    await expect(
      issueOrganizationCertificate({
        ca,
        subjectPublicKey: orgKeys.publicKey,
        serialNumber: 2n,
        organizationName: "試験",
        partnerSlug: "test",
        notBefore: NOW,
        notAfter: new Date(NOW.getTime() + DAY),
        ...override,
      }),
    ).rejects.toMatchObject({ code: "VALIDATION_FAILED" });
  });

  it("a certificate of another CA (no organizationIdentifier) has no partner slug", () => {
    expect(readOrganizationIdentity(ca.certificate).partnerSlug).toBeUndefined();
  });

  it("openPartnerCa creates the root once and reopens the same root and key", async () => {
    const [a, b] = await Promise.all([openPartnerCa(dir, NOW), openPartnerCa(dir, NOW)]);
    expect(Buffer.from(b.certificate).equals(Buffer.from(a.certificate))).toBe(true);
    const c = await openPartnerCa(dir, NOW);
    expect(Buffer.from(c.certificate).equals(Buffer.from(a.certificate))).toBe(true);
    // The reopened key still issues certificates that chain to the stored root.
    const cert = await issueOrganizationCertificate({
      ca: c,
      subjectPublicKey: orgKeys.publicKey,
      serialNumber: 7n,
      organizationName: "一枚町役場",
      partnerSlug: "ichimai-town",
      notBefore: NOW,
      notAfter: new Date(NOW.getTime() + DAY),
    });
    expect(
      await new x509.X509Certificate(new Uint8Array(cert)).verify({ publicKey: a.keys.publicKey, signatureOnly: true }),
    ).toBe(true);
  });

  it("[PARTNER-CA][CRL]: a revoked organisation certificate is listed in a new, signed CRL; the status check sees it", async () => {
    const crlDir = await mkdtemp(path.join(tmpdir(), "partner-crl-"));
    try {
      const root = await openPartnerCa(crlDir, NOW);
      const cert = await issueOrganizationCertificate({
        ca: root,
        subjectPublicKey: orgKeys.publicKey,
        serialNumber: 0x1234n,
        organizationName: "さくら生命保険株式会社",
        partnerSlug: "sakura-life",
        notBefore: new Date(NOW.getTime() - DAY),
        notAfter: new Date(NOW.getTime() + 365 * DAY),
      });
      const content = new TextEncoder().encode('{"a":1}');
      const signedData = await signCms({
        content,
        signerCertificate: cert,
        privateKey: orgKeys.privateKey,
        detached: true,
        signingTime: NOW,
      });
      const verify = async (crl: Uint8Array, time = NOW) =>
        verifyCms({
          signedData,
          detachedContent: content,
          trustAnchors: [root.certificate],
          time,
          revocation: { crls: { bytes: crl } },
        });

      const first = await currentPartnerCrl(crlDir, NOW);
      const parsed = parseCrl(first);
      expect(parsed.nextUpdate?.getTime()).toBe(NOW.getTime() + PARTNER_CRL_VALIDITY_MS);
      // The stored CRL is served again while it is fresh.
      expect(
        Buffer.from(await currentPartnerCrl(crlDir, new Date(NOW.getTime() + 60_000))).equals(Buffer.from(first)),
      ).toBe(true);
      const good = await verify(first);
      expect(good.valid).toBe(true);
      expect(good.revocation).toMatchObject({ status: "good", source: "crl" });

      const later = new Date(NOW.getTime() + 3600_000);
      const revokedCrl = await revokeOrganizationCertificate(crlDir, {
        serialNumber: 0x1234n,
        reason: "keyCompromise",
        now: later,
      });
      expect(parseCrl(revokedCrl).crlNumber).toBeGreaterThan(parseCrl(first).crlNumber ?? 0n);
      const revoked = await verify(revokedCrl, later);
      expect(revoked.valid).toBe(false);
      expect(revoked.revocation).toMatchObject({ status: "revoked", reason: "keyCompromise" });
      expect(revoked.checks.find((c) => c.code === CheckCode.CERT_REVOCATION)?.ok).toBe(false);
      // Revoking twice keeps one entry; a CRL near its nextUpdate is re-signed, still listing it.
      await revokeOrganizationCertificate(crlDir, { serialNumber: 0x1234n, reason: "superseded", now: later });
      const renewed = await currentPartnerCrl(crlDir, new Date(later.getTime() + PARTNER_CRL_VALIDITY_MS));
      expect(parseCrl(renewed).thisUpdate.getTime()).toBe(later.getTime() + PARTNER_CRL_VALIDITY_MS);
      expect(new x509.X509Crl(new Uint8Array(renewed)).entries.map((e) => e.serialNumber)).toEqual(["1234"]);
      await expect(
        revokeOrganizationCertificate(crlDir, { serialNumber: 1n, reason: "cACompromise" as never }),
      ).rejects.toMatchObject({ code: "VALIDATION_FAILED" });
      expect((await publishPartnerCrl(crlDir, later)).length).toBeGreaterThan(0);
    } finally {
      await rm(crlDir, { recursive: true, force: true });
    }
  });
});

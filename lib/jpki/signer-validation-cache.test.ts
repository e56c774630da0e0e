import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateRsaKeyPair } from "../../jlis-sim/ca/ca";
import {
  createPartnerRootCa,
  issueOrganizationCertificate,
  openPartnerCa,
  PARTNER_CRL_VALIDITY_MS,
  publishPartnerCrl,
  revokeOrganizationCertificate,
  type TPartnerCa,
} from "../../jlis-sim/partner-ca/partner-ca";
import { signCms } from "./cms-sign";
import { verifyCms } from "./cms-verify";
import { SignerValidationCache } from "./signer-validation-cache";

/** One bulk run's reuse of the signer's path and revocation answer: every document still checked. */
describe("SignerValidationCache", () => {
  const T0 = new Date("2026-04-01T09:00:00Z");
  let dir: string;
  let ca: TPartnerCa;
  let keys: CryptoKeyPair;
  let certificate: Uint8Array;
  const SERIAL = 0x4242n;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "ichimai-signer-cache-"));
    ca = await openPartnerCa(dir, new Date(T0.getTime() - 86_400_000));
    keys = await generateRsaKeyPair();
    certificate = await issueOrganizationCertificate({
      ca,
      subjectPublicKey: keys.publicKey,
      serialNumber: SERIAL,
      organizationName: "一枚町役場",
      partnerSlug: "town",
      notBefore: new Date(T0.getTime() - 86_400_000),
      notAfter: new Date(T0.getTime() + 365 * 86_400_000),
    });
  }, 60_000);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const contents = Array.from({ length: 5 }, (_, i) => new TextEncoder().encode(`{"notice":${i}}`));
  const sign = (content: Uint8Array) =>
    signCms({ content, signerCertificate: certificate, privateKey: keys.privateKey, detached: true, signingTime: T0 });
  const failed = (r: Awaited<ReturnType<typeof verifyCms>>) => r.checks.filter((c) => !c.ok).map((c) => c.code);

  it("[JPKI][BULK]: a tampered document and a forged signature in the middle of a batch are still refused", async () => {
    const crl = await publishPartnerCrl(dir, T0);
    const cache = new SignerValidationCache();
    const signatures = await Promise.all(contents.map(sign));
    // Line 2: the content changed after signing. Line 3: the signature value itself altered.
    const tampered = new TextEncoder().encode('{"notice":99}');
    const forged = new Uint8Array(signatures[3]!);
    forged[forged.length - 5]! ^= 0x01;
    const reports = [];
    for (const [i, sig] of signatures.entries()) {
      reports.push(
        await verifyCms({
          signedData: i === 3 ? forged : sig,
          detachedContent: i === 2 ? tampered : contents[i]!,
          trustAnchors: [ca.certificate],
          time: T0,
          revocation: { crls: [{ bytes: crl }] },
          validationCache: cache,
        }),
      );
    }
    expect(reports.map((r) => r.valid)).toEqual([true, true, false, false, true]);
    expect(failed(reports[2]!)).toEqual(["CMS_MESSAGE_DIGEST"]);
    expect(failed(reports[3]!)).toEqual(["CMS_SIGNATURE"]);
    // The path and the revocation answer were found once and reused for the others.
    expect(reports.map((r) => r.revocation?.source)).toEqual(["crl", "cache", "cache", "cache", "cache"]);
    expect(reports[4]!.path).toEqual(reports[0]!.path);
  });

  it("[JPKI][BULK]: a cached path is not reused for another trust-anchor set", async () => {
    const cache = new SignerValidationCache();
    const other = await createPartnerRootCa({
      notBefore: new Date(T0.getTime() - 86_400_000),
      notAfter: new Date(T0.getTime() + 3650 * 86_400_000),
    });
    const sig = await sign(contents[0]!);
    const base = { signedData: sig, detachedContent: contents[0]!, time: T0, validationCache: cache };
    expect((await verifyCms({ ...base, trustAnchors: [ca.certificate] })).valid).toBe(true);
    const r = await verifyCms({ ...base, trustAnchors: [other.certificate] });
    expect(failed(r)).toEqual(["CERT_PATH"]);
  });

  it("[JPKI][BULK]: a revoked signer is refused on every document of the run", async () => {
    const cache = new SignerValidationCache();
    const at = new Date(T0.getTime() + 2 * PARTNER_CRL_VALIDITY_MS);
    const crl = await revokeOrganizationCertificate(dir, { serialNumber: SERIAL, reason: "keyCompromise", now: at });
    const later = new Date(at.getTime() + 60_000);
    for (const content of contents.slice(0, 3)) {
      const r = await verifyCms({
        signedData: await sign(content),
        detachedContent: content,
        trustAnchors: [ca.certificate],
        time: later,
        revocation: { crls: [{ bytes: crl }] },
        validationCache: cache,
      });
      expect(r.valid).toBe(false);
      expect(r.revocation).toMatchObject({ status: "revoked", reason: "keyCompromise" });
      expect(failed(r)).toEqual(["CERT_REVOCATION"]);
    }
  });

  it("[JPKI][BULK]: a 'good' answer is not reused past the CRL's nextUpdate", async () => {
    const dir2 = await mkdtemp(path.join(os.tmpdir(), "ichimai-signer-cache-"));
    try {
      const ca2 = await openPartnerCa(dir2, new Date(T0.getTime() - 86_400_000));
      const k = await generateRsaKeyPair();
      const cert = await issueOrganizationCertificate({
        ca: ca2,
        subjectPublicKey: k.publicKey,
        serialNumber: 9n,
        organizationName: "一枚町役場",
        partnerSlug: "town",
        notBefore: new Date(T0.getTime() - 86_400_000),
        notAfter: new Date(T0.getTime() + 365 * 86_400_000),
      });
      const cache = new SignerValidationCache();
      const verifyAt = async (time: Date, crl: Uint8Array) =>
        verifyCms({
          signedData: await signCms({
            content: contents[0]!,
            signerCertificate: cert,
            privateKey: k.privateKey,
            detached: true,
            signingTime: T0,
          }),
          detachedContent: contents[0]!,
          trustAnchors: [ca2.certificate],
          time,
          revocation: { crls: [{ bytes: crl }] },
          validationCache: cache,
        });
      const good = await verifyAt(T0, await publishPartnerCrl(dir2, T0));
      expect(good.revocation).toMatchObject({ status: "good", source: "crl" });
      // The CRL said good until T0 + a day; after that the cache must not answer any more.
      const after = new Date(T0.getTime() + PARTNER_CRL_VALIDITY_MS + 60_000);
      const revokedCrl = await revokeOrganizationCertificate(dir2, {
        serialNumber: 9n,
        reason: "superseded",
        now: after,
      });
      const r = await verifyAt(new Date(after.getTime() + 1_000), revokedCrl);
      expect(r.revocation).toMatchObject({ status: "revoked", source: "crl" });
      expect(r.valid).toBe(false);
    } finally {
      await rm(dir2, { recursive: true, force: true });
    }
  });
});

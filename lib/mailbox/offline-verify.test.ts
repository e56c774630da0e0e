import { createHash } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { sha256Hex } from "@/lib/crypto/sha256";
import { derToPem } from "@/lib/jpki";
import type { TPartnerCa } from "@/jlis-sim/partner-ca/partner-ca";
import { canonicalJsonBytes } from "./canonical-json";
import { pemCertificates, type TOfflineVerification, verifyBundleOffline } from "./offline-verify";
import { decodeVerifyQr, encodeVerifyQr, type TVerifyQr } from "./verify-qr";
import {
  createTestPartnerCa,
  issueOrgSigner,
  lifeInsurancePayload,
  signPayload,
  type TOrgSigner,
} from "../../test/mailbox/mailbox-world";

const DOC_ID = "7f0c2a4e-3b1d-4c5e-9f60-1a2b3c4d5e6f";

let ca: TPartnerCa;
let otherCa: TPartnerCa;
let signer: TOrgSigner;

beforeAll(async () => {
  ca = await createTestPartnerCa();
  otherCa = await createTestPartnerCa();
  signer = await issueOrgSigner(ca, { slug: "sakura-life", name: "さくら生命保険株式会社" });
});

async function bundleOf(payload: Record<string, unknown>, signed: Record<string, unknown> = payload) {
  return {
    format: "ichimai-signed-document/1",
    id: DOC_ID,
    type: "life-insurance-deduction-certificate",
    issuer: { name: "さくら生命保険株式会社", nameEn: "Sakura Life" },
    deliveredAt: new Date().toISOString(),
    payload,
    canonicalization: "RFC 8785 (JCS)",
    payloadHash: { algorithm: "SHA-256", value: sha256Hex(canonicalJsonBytes(payload)) },
    signature: { format: "CMS SignedData, CAdES-BES, detached, DER, base64", value: await signPayload(signer, signed) },
    verification: {},
  };
}

const qrOf = (payload: Record<string, unknown>, overrides: Partial<TVerifyQr> = {}): TVerifyQr => ({
  v: "ichimai-verify/1",
  id: DOC_ID,
  t: "life-insurance-deduction-certificate",
  d: sha256Hex(canonicalJsonBytes(payload)),
  f: createHash("sha256").update(signer.certificate).digest("hex"),
  ...overrides,
});

const failed = (r: TOfflineVerification) => r.checks.filter((c) => !c.ok).map((c) => c.id);

describe("verify QR payload", () => {
  it("round-trips through the verify URL, its fragment and the bare value", () => {
    const qr = qrOf(lifeInsurancePayload(), { l: "https://portal.example/api/v1/share-links/abc" });
    const url = encodeVerifyQr("https://portal.example/", qr);
    expect(url).toMatch(/^https:\/\/portal\.example\/verify#q=[A-Za-z0-9_-]+$/);
    expect(decodeVerifyQr(url)).toEqual(qr);
    expect(decodeVerifyQr(url.slice(url.indexOf("#")))).toEqual(qr);
    expect(decodeVerifyQr(url.slice(url.indexOf("q=") + 2))).toEqual(qr);
  });

  it("returns null for other QR codes, damaged scans and wrong shapes", () => {
    expect(decodeVerifyQr("https://example.com/")).toBeNull();
    expect(decodeVerifyQr("q=%%%")).toBeNull();
    const url = encodeVerifyQr("https://p.example", qrOf(lifeInsurancePayload()));
    expect(decodeVerifyQr(url.slice(0, -6))).toBeNull();
    const bad = Buffer.from(JSON.stringify({ ...qrOf(lifeInsurancePayload()), d: "xyz" })).toString("base64url");
    expect(decodeVerifyQr(`q=${bad}`)).toBeNull();
    const javascriptLink = { ...qrOf(lifeInsurancePayload()), l: "javascript:alert(1)" };
    expect(decodeVerifyQr(`q=${Buffer.from(JSON.stringify(javascriptLink)).toString("base64url")}`)).toBeNull();
  });

  it("refuses to encode facts that do not match the schema", () => {
    expect(() => encodeVerifyQr("https://p.example", { ...qrOf(lifeInsurancePayload()), d: "short" })).toThrow();
  });
});

describe("verifyBundleOffline", () => {
  it("accepts a genuine bundle against the pinned root and the QR facts, and says revocation was not checked", async () => {
    const payload = lifeInsurancePayload();
    const r = await verifyBundleOffline(await bundleOf(payload), { trustAnchors: [ca.certificate], qr: qrOf(payload) });
    expect(failed(r)).toEqual([]);
    expect(r.valid).toBe(true);
    expect(r.checks.map((c) => c.id).sort()).toEqual(
      ["bundle_format", "chain", "payload_digest", "qr_digest", "qr_document", "qr_signer", "signature"].sort(),
    );
    expect(r.notChecked).toEqual(["revocation"]);
    expect(r.signer?.organization).toBe("さくら生命保険株式会社");
  });

  it("finds the root in a PEM text as the page embeds it", async () => {
    const payload = lifeInsurancePayload();
    const pem = derToPem(ca.certificate, "CERTIFICATE");
    const r = await verifyBundleOffline(await bundleOf(payload), { trustAnchors: pemCertificates(pem) });
    expect(r.valid).toBe(true);
  });

  it("detects an edited payload (digest and signature both fail)", async () => {
    const bundle = await bundleOf(lifeInsurancePayload());
    const edited = { ...bundle, payload: lifeInsurancePayload({ premiumPaidToDate: 1 }) };
    const r = await verifyBundleOffline(edited, { trustAnchors: [ca.certificate] });
    expect(r.valid).toBe(false);
    expect(failed(r)).toEqual(["payload_digest", "signature"]);
  });

  it("detects a signature over other content even when the stated hash was recomputed", async () => {
    const payload = lifeInsurancePayload();
    const r = await verifyBundleOffline(await bundleOf(payload, lifeInsurancePayload({ year: 2020 })), {
      trustAnchors: [ca.certificate],
    });
    expect(failed(r)).toEqual(["signature"]);
  });

  it("refuses a signer that does not chain to the pinned root", async () => {
    const payload = lifeInsurancePayload();
    const r = await verifyBundleOffline(await bundleOf(payload), { trustAnchors: [otherCa.certificate] });
    expect(failed(r)).toEqual(["chain"]);
  });

  it("refuses a genuine bundle that is not the document the QR code names", async () => {
    const payload = lifeInsurancePayload();
    const other = lifeInsurancePayload({ policyNumber: "SL-OTHER" });
    const r = await verifyBundleOffline(await bundleOf(payload), {
      trustAnchors: [ca.certificate],
      qr: qrOf(other, { f: "0".repeat(64) }),
    });
    expect(failed(r)).toEqual(["qr_digest", "qr_signer"]);
  });

  it("reports a file that is not a bundle, and garbage signature bytes, without throwing", async () => {
    expect(failed(await verifyBundleOffline({ hello: 1 }, { trustAnchors: [ca.certificate] }))).toEqual([
      "bundle_format",
    ]);
    const bundle = { ...(await bundleOf(lifeInsurancePayload())), signature: { value: "AAAA" } };
    const r = await verifyBundleOffline(bundle, { trustAnchors: [ca.certificate] });
    expect(r.valid).toBe(false);
    expect(failed(r)).toEqual(["signature"]);
  });
});

import canonicalize from "canonicalize";
import * as pkijs from "pkijs";
import { z } from "zod";
import { fromBase64, type TVerifyQr } from "./verify-qr";

/*
 * Offline verification of a shared document, for the public /verify page (it runs in the
 * browser) and for tests (Node). Only Web APIs, pkijs and canonicalize: no node: imports, no
 * network. The QR code a resident shows carries what a verifier must compare against
 * (the payload digest and the signer certificate's fingerprint, plus the one-time link to
 * fetch the signed data); the signed bundle itself comes from that link or as a file.
 */

/** The checks the offline verifier makes, each with a stable id for the UI's wording. */
export type TOfflineCheckId =
  | "bundle_format"
  | "payload_digest"
  | "qr_digest"
  | "signature"
  | "chain"
  | "qr_signer"
  | "qr_document";

export type TOfflineCheck = { id: TOfflineCheckId; ok: boolean; detail?: string };

export type TOfflineVerification = {
  /** Every check made passed (revocation is never among them: it needs the network). */
  valid: boolean;
  checks: TOfflineCheck[];
  document: { id: string; type: string; issuer: { name: string; nameEn: string }; payload: unknown } | null;
  signer: { subject: string; organization: string | null; fingerprint: string; notAfter: string } | null;
  /** What an offline check cannot know. */
  notChecked: ["revocation"];
};

const ZBundleShape = z.object({
  format: z.literal("ichimai-signed-document/1"),
  id: z.uuid(),
  type: z.string(),
  issuer: z.object({ name: z.string(), nameEn: z.string() }),
  payload: z.unknown(),
  payloadHash: z.object({ algorithm: z.literal("SHA-256"), value: z.string() }),
  signature: z.object({ value: z.string().max(200_000) }),
});

const hex = (buf: ArrayBuffer) => [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, "0")).join("");
const sha256Hex = async (bytes: Uint8Array) => hex(await crypto.subtle.digest("SHA-256", bytes as BufferSource));

function parseCertificate(der: Uint8Array): pkijs.Certificate {
  return pkijs.Certificate.fromBER(der as BufferSource);
}

function nameText(name: pkijs.RelativeDistinguishedNames, type?: string): string {
  return name.typesAndValues
    .filter((tv) => !type || tv.type === type)
    .map((tv) => String(tv.value.valueBlock.value))
    .join(", ");
}

const OID_ORGANIZATION = "2.5.4.10";

/**
 * Verifies a signed document bundle (lib/mailbox/signed-bundle.ts) with no network: the payload's
 * RFC 8785 digest, the detached CMS signature over it (message-digest attribute and signer
 * signature), the signer's path to one of `trustAnchors` (the pinned partner-CA root) at `now`,
 * and, when a scanned QR code is given, that digest, signer fingerprint and document id are the
 * ones the QR names. Revocation is not checked (it needs the CA's CRL or OCSP): reported as such.
 */
export async function verifyBundleOffline(
  input: unknown,
  options: { trustAnchors: Uint8Array[]; qr?: TVerifyQr | null; now?: Date },
): Promise<TOfflineVerification> {
  const checks: TOfflineCheck[] = [];
  const done = (
    document: TOfflineVerification["document"],
    signer: TOfflineVerification["signer"],
  ): TOfflineVerification => ({
    valid: checks.length > 0 && checks.every((c) => c.ok),
    checks,
    document,
    signer,
    notChecked: ["revocation"],
  });
  const parsed = ZBundleShape.safeParse(input);
  if (!parsed.success) {
    checks.push({ id: "bundle_format", ok: false, detail: parsed.error.issues[0]?.message });
    return done(null, null);
  }
  const bundle = parsed.data;
  checks.push({ id: "bundle_format", ok: true });
  const document = { id: bundle.id, type: bundle.type, issuer: bundle.issuer, payload: bundle.payload };
  if (options.qr) checks.push({ id: "qr_document", ok: options.qr.id === bundle.id && options.qr.t === bundle.type });

  const canonical = canonicalize(bundle.payload);
  if (canonical === undefined) {
    checks.push({ id: "payload_digest", ok: false, detail: "payload cannot be canonicalised" });
    return done(document, null);
  }
  const content = new TextEncoder().encode(canonical);
  const digest = await sha256Hex(content);
  checks.push({ id: "payload_digest", ok: digest === bundle.payloadHash.value.toLowerCase() });
  if (options.qr) checks.push({ id: "qr_digest", ok: digest === options.qr.d });

  let signed: pkijs.SignedData;
  try {
    const info = pkijs.ContentInfo.fromBER(fromBase64(bundle.signature.value) as BufferSource);
    if (info.contentType !== pkijs.ContentInfo.SIGNED_DATA) throw new Error("not CMS SignedData");
    signed = new pkijs.SignedData({ schema: info.content });
  } catch (err) {
    checks.push({ id: "signature", ok: false, detail: err instanceof Error ? err.message : "malformed" });
    return done(document, null);
  }
  const certs = (signed.certificates ?? []).filter((c): c is pkijs.Certificate => c instanceof pkijs.Certificate);
  const roots = options.trustAnchors.map(parseCertificate);
  // Signature first without the path, so the two facts are reported separately.
  const signature = await signed
    .verify({
      signer: 0,
      data: content.buffer.slice(content.byteOffset, content.byteOffset + content.byteLength) as ArrayBuffer,
      checkChain: false,
      extendedMode: true,
    })
    .catch((e: unknown) => ({ signatureVerified: false, signerCertificate: undefined, message: String(e) }));
  const r = signature as {
    signatureVerified?: boolean | null;
    signerCertificate?: pkijs.Certificate;
    message?: string;
  };
  checks.push({
    id: "signature",
    ok: r.signatureVerified === true,
    ...(r.signatureVerified ? {} : { detail: r.message }),
  });
  const signerCert = r.signerCertificate ?? certs[0];
  const chain = await new pkijs.CertificateChainValidationEngine({
    trustedCerts: roots,
    certs: signerCert ? [signerCert, ...certs.filter((c) => c !== signerCert)] : certs,
    checkDate: options.now ?? new Date(),
  })
    .verify()
    .catch((e: unknown) => ({ result: false, resultMessage: String(e) }));
  const chainOk = signerCert !== undefined && chain.result === true;
  checks.push({ id: "chain", ok: chainOk, ...(chainOk ? {} : { detail: chain.resultMessage }) });

  let signer: TOfflineVerification["signer"] = null;
  if (signerCert) {
    const der = new Uint8Array(signerCert.toSchema().toBER(false));
    const fingerprint = await sha256Hex(der);
    signer = {
      subject: nameText(signerCert.subject),
      organization: nameText(signerCert.subject, OID_ORGANIZATION) || null,
      fingerprint,
      notAfter: signerCert.notAfter.value.toISOString(),
    };
    if (options.qr) checks.push({ id: "qr_signer", ok: fingerprint === options.qr.f });
  } else if (options.qr) {
    checks.push({ id: "qr_signer", ok: false, detail: "no signer certificate" });
  }
  return done(document, signer);
}

/** DER certificates of a PEM text (the pinned root as the page embeds it). */
export function pemCertificates(pem: string): Uint8Array[] {
  return [...pem.matchAll(/-----BEGIN CERTIFICATE-----([^-]+)-----END CERTIFICATE-----/g)].map((m) =>
    fromBase64(m[1]!.replace(/\s+/g, "")),
  );
}

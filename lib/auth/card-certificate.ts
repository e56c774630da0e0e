/**
 * Checks on a card certificate shared by login and first-login binding: purpose (docs/jpki.md#user-authentication-certificate,
 * §1.3, "Simulation decisions"), path to the JPKI roots of that purpose (RFC 5280 §6, every root
 * generation is a trust anchor), and revocation (never accepted unless "good").
 */
import { AppError } from "../errors/app-error";
import { validateChain } from "../jpki/chain";
import { parseJpkiCertificate, type TJpkiCertificate } from "../jpki/jpki-certificate";
import { OID } from "../jpki/oids";

export type TCardCertificateKind = "auth" | "sign";

/** Outcome of a revocation query for one certificate (OCSP, CRL fallback). */
export type TRevocationStatus = {
  status: "good" | "revoked" | "unknown" | "unavailable";
  reason?: string;
  source?: string;
};

/**
 * Parse a card certificate and require `kind` (lib/jpki parseJpkiCertificate: by policy, four
 * facts). Anything else is CERT_WRONG_PURPOSE, in particular a signing certificate offered for
 * login. An auth certificate must also allow digitalSignature and carry no EKU, or one with
 * clientAuth (Web eID's purpose rule, docs/jpki.md#card-login-web-eid).
 */
export function parseCardCertificate(der: Uint8Array, kind: TCardCertificateKind): TJpkiCertificate {
  const jpki = parseJpkiCertificate(der);
  const eku = jpki.extendedKeyUsage;
  const purposeOk =
    jpki.kind === kind &&
    (kind === "sign"
      ? jpki.keyUsage.includes("digitalSignature") || jpki.keyUsage.includes("nonRepudiation")
      : jpki.keyUsage.includes("digitalSignature") && (eku.length === 0 || eku.includes(OID.kpClientAuth)));
  if (!purposeOk) {
    throw new AppError("CERT_WRONG_PURPOSE", {
      message:
        kind === "auth"
          ? `A ${jpki.kind} certificate was offered for login; the user-authentication certificate is required.`
          : `A ${jpki.kind} certificate was offered for a signature; the signing certificate is required.`,
    });
  }
  return jpki;
}

/**
 * Require a valid path to one of `trustAnchors` at `now`; returns the issuing root (DER).
 * JPKI has no intermediates (docs/jpki.md#roots-and-hierarchies), so the path is leaf → root.
 */
export async function requireTrustedPath(
  leaf: Uint8Array,
  trustAnchors: Uint8Array[],
  now: Date,
): Promise<{ issuer: Uint8Array }> {
  if (trustAnchors.length === 0) {
    throw new AppError("CERT_UNTRUSTED", { message: "No JPKI trust anchors are configured." });
  }
  const r = await validateChain({ leaf, trustAnchors, time: now });
  if (!r.valid || !r.path || r.path.length < 2) {
    const code = r.code === "CERT_EXPIRED" || r.code === "CERT_NOT_YET_VALID" ? r.code : "CERT_UNTRUSTED";
    throw new AppError(code, { message: r.reason ?? "The certificate path is not valid.", details: { chain: r.code } });
  }
  return { issuer: r.path[1]! };
}

/** Map a revocation answer to success or an AppError. `unknown` counts as revoked (Web eID). */
export function requireGoodStatus(s: TRevocationStatus): void {
  switch (s.status) {
    case "good":
      return;
    case "revoked":
      throw new AppError("CERT_REVOKED", { details: { reason: s.reason, source: s.source } });
    case "unknown":
      throw new AppError("CERT_STATUS_UNKNOWN", { details: { source: s.source } });
    default:
      throw new AppError("CERT_STATUS_UNAVAILABLE", { details: { source: s.source } });
  }
}

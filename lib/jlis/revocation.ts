/**
 * Revocation through J-LIS (docs/jpki.md#revocation): OCSP (RFC 6960) first, the issuing CA's full CRL
 * (RFC 5280) as fallback — the one call card login, identity verification and eligibility make.
 */
import { sha256Hex } from "../crypto/sha256";
import { checkRevocation, type RevocationCache, type TRevocationResult } from "../jpki/revocation";
import type { TJlisClient } from "./client";

/** Options of {@link checkRevocationAtJlis}. */
export type TJlisRevocationQuery = {
  /** The certificate asked about and its issuing root (both DER). */
  certificate: Uint8Array;
  issuer: Uint8Array;
  now: Date;
  /**
   * Reuse of earlier answers until the source's nextUpdate. Card login, identity and eligibility
   * pass none: a card revoked a minute ago must not pass (OCSP is same-day, docs/jpki.md#revocation).
   */
  cache?: RevocationCache;
};

/**
 * The status of `certificate` at J-LIS: OCSP at `${baseUrl}/ocsp` (nonce, delegated responder,
 * freshness; 5 s), then the issuer's CRL when the client knows its path. `unavailable` (with the
 * failures) when neither answered; the caller decides what that means (all refuse).
 */
export function checkRevocationAtJlis(jlis: TJlisClient, q: TJlisRevocationQuery): Promise<TRevocationResult> {
  const crl = jlis.crlUrlOf(sha256Hex(q.issuer));
  return checkRevocation({
    certificate: q.certificate,
    issuer: q.issuer,
    now: q.now,
    ocsp: {
      url: jlis.ocspUrl,
      responderCertificates: jlis.responderCertificates,
      fetch: jlis.fetch,
      timeoutMs: 5000,
    },
    crls: crl ? { url: crl, fetch: jlis.fetch } : undefined,
    cache: q.cache,
  });
}

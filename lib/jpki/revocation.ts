import { AppError } from "@/lib/errors/app-error";
import { createLog } from "@/lib/log/logger";
import type { TCertificate } from "./certificate";
import { parseCertificateCached } from "./chain";
import { assertCrlUsable, crlCoversCertificate, fetchCrlBytes, findRevoked, parseCrl, type TCrl } from "./crl";
import { queryOcsp } from "./ocsp";
import type { TRevocationReason } from "./revocation-reason";
import { RevocationCode, type TRevocationCode } from "./verification-report";

const log = createLog("jpki/revocation");

/** The source and code of each failed revocation source, for a log line (not the messages). */
const failureCodes = (failures: { source: string; code: string }[]) => failures.map((f) => `${f.source}:${f.code}`);

/**
 * Revocation status (RFC 6960 first, RFC 5280 CRL as fallback), with a cache that honours
 * nextUpdate. The contract: `good` only when a source we verified said so; anything else is
 * `revoked`, `unknown` (the responder does not know the certificate) or `unavailable`.
 */

/** Result of {@link checkRevocation}. */
export type TRevocationResult = {
  status: "good" | "revoked" | "unknown" | "unavailable";
  reason?: TRevocationReason;
  revokedAt?: Date;
  source: "ocsp" | "crl" | "cache";
  checkedAt: Date;
  /** Until when this answer may be reused (the source's nextUpdate). */
  nextUpdate?: Date;
  /** Why sources failed, in the order tried (present when a fallback happened or all failed). */
  failures?: { source: "ocsp" | "crl"; code: TRevocationCode; message: string }[];
};

/** A CRL source for {@link checkRevocation}: a URL (fetched) or bytes. */
export type TRevocationCrlSource =
  | { url: string; fetch?: typeof fetch; headers?: Record<string, string> }
  | { bytes: Uint8Array };

/** Options of {@link checkRevocation}. */
export type TCheckRevocationOptions = {
  certificate: Uint8Array;
  issuer: Uint8Array;
  ocsp?: {
    url: string;
    responderCertificates?: Uint8Array[];
    fetch?: typeof fetch;
    /** Extra HTTP headers (J-LIS verifier credentials). */
    headers?: Record<string, string>;
    /** Send and require a nonce (default true). */
    nonce?: boolean;
    maxAgeMs?: number;
    timeoutMs?: number;
  };
  crls?: TRevocationCrlSource | TRevocationCrlSource[];
  now: Date;
  cache?: RevocationCache;
};

type TCacheEntry = { result: TRevocationResult; until: number };

/**
 * Remembers definite answers (good, revoked) until the source's nextUpdate, capped by
 * `maxTtlMs`, and downloaded CRLs until their nextUpdate. `unknown` and `unavailable` are
 * never cached, so a transient failure never turns into a stored answer.
 */
export class RevocationCache {
  private readonly answers = new Map<string, TCacheEntry>();
  private readonly crls = new Map<string, { crl: TCrl; until: number }>();
  constructor(readonly options: { maxTtlMs?: number; maxEntries?: number } = {}) {}

  /** A cached answer still valid at `now`. */
  get(key: string, now: Date): TRevocationResult | undefined {
    const e = this.answers.get(key);
    if (!e) return undefined;
    if (now.getTime() > e.until) {
      this.answers.delete(key);
      return undefined;
    }
    return e.result;
  }

  /** Stores a definite answer until min(nextUpdate, checkedAt + maxTtlMs). */
  set(key: string, result: TRevocationResult): void {
    if (result.status !== "good" && result.status !== "revoked") return;
    if (!result.nextUpdate) return;
    const until = Math.min(
      result.nextUpdate.getTime(),
      result.checkedAt.getTime() + (this.options.maxTtlMs ?? 3_600_000),
    );
    if (until <= result.checkedAt.getTime()) return;
    const max = this.options.maxEntries ?? 100_000;
    if (this.answers.size >= max) this.answers.delete(this.answers.keys().next().value as string);
    this.answers.set(key, { result, until });
  }

  /** A downloaded CRL by URL, while current. */
  getCrl(url: string, now: Date): TCrl | undefined {
    const e = this.crls.get(url);
    if (!e || now.getTime() > e.until) return undefined;
    return e.crl;
  }

  /** Keeps a CRL until its nextUpdate. */
  setCrl(url: string, crl: TCrl): void {
    if (crl.nextUpdate) this.crls.set(url, { crl, until: crl.nextUpdate.getTime() });
  }

  /** Forgets everything (tests, key rollover). */
  clear(): void {
    this.answers.clear();
    this.crls.clear();
  }
}

function failureCode(err: unknown, fallback: TRevocationCode): TRevocationCode {
  if (err instanceof AppError) {
    const d = err.details as { code?: TRevocationCode } | undefined;
    if (d?.code) return d.code;
    if (err.code === "CRL_STALE") return RevocationCode.CRL_STALE;
    if (err.code === "CRL_SIGNATURE_INVALID") return RevocationCode.CRL_SIGNATURE_INVALID;
    if (err.code === "CRL_NUMBER_MISSING") return RevocationCode.CRL_NUMBER_MISSING;
    if (err.code === "CRL_NUMBER_CRITICAL") return RevocationCode.CRL_NUMBER_CRITICAL;
    if (err.code === "CRL_MALFORMED" || err.code === "DER_MALFORMED" || err.code === "INPUT_TOO_LARGE") {
      return RevocationCode.CRL_MALFORMED;
    }
  }
  return fallback;
}

async function checkCrlSource(
  src: TRevocationCrlSource,
  cert: TCertificate,
  issuer: TCertificate,
  now: Date,
  cache: RevocationCache | undefined,
): Promise<TRevocationResult> {
  let crl: TCrl | undefined;
  if ("url" in src) crl = cache?.getCrl(src.url, now);
  if (!crl) {
    const bytes = "bytes" in src ? src.bytes : await fetchCrlBytes(src.url, { fetch: src.fetch, headers: src.headers });
    crl = parseCrl(bytes);
    assertCrlUsable(crl, issuer, now);
    if ("url" in src) cache?.setCrl(src.url, crl);
  } else {
    assertCrlUsable(crl, issuer, now);
  }
  if (!crlCoversCertificate(crl, cert)) {
    throw new AppError("CERT_STATUS_UNAVAILABLE", {
      message: "the CRL's scope does not cover this certificate",
      details: { code: RevocationCode.CRL_NOT_COVERING },
    });
  }
  const hit = findRevoked(crl, new Set([cert.serialHex])).hits.get(cert.serialHex);
  const base = { source: "crl" as const, checkedAt: now, nextUpdate: crl.nextUpdate };
  if (hit) return { ...base, status: "revoked", reason: hit.reason, revokedAt: hit.revokedAt };
  return { ...base, status: "good" };
}

/**
 * Learns whether `certificate` (issued by `issuer`) is revoked: OCSP first (nonce, CertID,
 * authorised responder, freshness — see ocsp.ts), then each CRL in turn (signature by the
 * issuer, nextUpdate, scope). Returns `unavailable` with the failures when no source answered.
 * Throws only for unparseable certificates (CERT_MALFORMED, DER_MALFORMED, INPUT_TOO_LARGE)
 * or when no source is configured (VALIDATION_FAILED).
 */
export async function checkRevocation(o: TCheckRevocationOptions): Promise<TRevocationResult> {
  if (!o.ocsp && !o.crls) {
    throw new AppError("VALIDATION_FAILED", { message: "checkRevocation needs an OCSP responder or a CRL" });
  }
  if (!(o.now instanceof Date) || Number.isNaN(o.now.getTime())) {
    throw new AppError("VALIDATION_FAILED", { message: "now must be a valid Date" });
  }
  return checkRevocationParsed(parseCertificateCached(o.certificate), parseCertificateCached(o.issuer), o);
}

/** {@link checkRevocation} for already parsed certificates (CMS verification, login). */
export async function checkRevocationParsed(
  cert: TCertificate,
  issuer: TCertificate,
  o: Omit<TCheckRevocationOptions, "certificate" | "issuer">,
): Promise<TRevocationResult> {
  const key = `${issuer.fingerprint}:${cert.serialHex}`;
  const cached = o.cache?.get(key, o.now);
  if (cached) return { ...cached, source: "cache" };
  const failures: NonNullable<TRevocationResult["failures"]> = [];
  if (o.ocsp) {
    try {
      const s = await queryOcsp({
        url: o.ocsp.url,
        certificate: cert,
        issuer,
        now: o.now,
        responderCertificates: (o.ocsp.responderCertificates ?? []).map(parseCertificateCached),
        fetch: o.ocsp.fetch,
        headers: o.ocsp.headers,
        nonce: o.ocsp.nonce,
        maxAgeMs: o.ocsp.maxAgeMs,
        timeoutMs: o.ocsp.timeoutMs,
      });
      const result: TRevocationResult = {
        status: s.status,
        reason: s.reason,
        revokedAt: s.revokedAt,
        source: "ocsp",
        checkedAt: o.now,
        nextUpdate: s.nextUpdate,
      };
      o.cache?.set(key, result);
      return result;
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      failures.push({ source: "ocsp", code: failureCode(err, RevocationCode.OCSP_MALFORMED), message: err.message });
    }
  }
  const crls = o.crls === undefined ? [] : Array.isArray(o.crls) ? o.crls : [o.crls];
  for (const src of crls) {
    try {
      const result = await checkCrlSource(src, cert, issuer, o.now, o.cache);
      if (failures.length > 0) {
        result.failures = failures;
        log.warn({ failures: failureCodes(failures) }, "OCSP unavailable; revocation answered from the CRL");
      }
      o.cache?.set(key, result);
      return result;
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      failures.push({ source: "crl", code: failureCode(err, RevocationCode.CRL_UNAVAILABLE), message: err.message });
    }
  }
  log.warn({ failures: failureCodes(failures) }, "revocation status unavailable");
  return {
    status: "unavailable",
    source: crls.length > 0 ? "crl" : "ocsp",
    checkedAt: o.now,
    failures,
  };
}

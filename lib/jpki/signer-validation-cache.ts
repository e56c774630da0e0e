import { sha256Hex } from "@/lib/crypto/sha256";
import type { TCertificate } from "./certificate";
import { RevocationCache } from "./revocation";

/**
 * What one bulk verification run (many documents signed with the same certificate) may reuse
 * between documents: the signer's validated certification path and its revocation answer.
 * Each document still gets its own CMS checks (signed attributes, message digest, signature
 * with the signer's key, signing-certificate-v2, key usage); only the path search and the
 * revocation lookup are done once per signer.
 *
 * - A path is remembered only when it validated, keyed by the signer certificate's SHA-256, the
 *   trust-anchor set, the candidate intermediates and the required policies; it is reused only
 *   at a time inside every path certificate's validity period (the one time-dependent part of
 *   RFC 5280 §6.1 here). A path that failed is never stored: the next document is validated in
 *   full and refused with its own code.
 * - Revocation answers (good or revoked) are kept by {@link RevocationCache}: only until the
 *   OCSP/CRL answer's nextUpdate (and at most `maxTtlMs`), never `unknown`/`unavailable`.
 *
 * Make one per run and drop it afterwards: it is not a long-lived cache.
 */
export class SignerValidationCache {
  readonly revocation: RevocationCache;
  private readonly paths = new Map<string, TCertificate[]>();
  private readonly maxEntries: number;

  constructor(options: { maxTtlMs?: number; maxEntries?: number } = {}) {
    this.maxEntries = options.maxEntries ?? 1_000;
    this.revocation = new RevocationCache({ maxTtlMs: options.maxTtlMs, maxEntries: this.maxEntries });
  }

  /** The key of a path validation: signer, trust anchors, intermediates and policies (order-free sets). */
  static pathKey(o: {
    leaf: TCertificate;
    intermediates: TCertificate[];
    trustAnchors: TCertificate[];
    requiredPolicies?: string[];
  }): string {
    const set = (xs: string[]) => [...new Set(xs)].sort().join(",");
    return sha256Hex(
      [
        o.leaf.fingerprint,
        set(o.trustAnchors.map((c) => c.fingerprint)),
        set(o.intermediates.map((c) => c.fingerprint)),
        set(o.requiredPolicies ?? []),
      ].join("|"),
    );
  }

  /** The validated path for `key` if every certificate on it is within its validity at `time`. */
  getPath(key: string, time: Date): TCertificate[] | undefined {
    const path = this.paths.get(key);
    if (!path) return undefined;
    const t = time.getTime();
    return path.every((c) => c.notBefore.getTime() <= t && t <= c.notAfter.getTime()) ? path : undefined;
  }

  /** Remembers a path that validated. */
  setPath(key: string, path: TCertificate[]): void {
    if (this.paths.size >= this.maxEntries) this.paths.delete(this.paths.keys().next().value as string);
    this.paths.set(key, path);
  }
}

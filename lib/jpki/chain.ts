import { z } from "zod";
import { AppError } from "@/lib/errors/app-error";
import { isSelfIssued, KeyUsage, parseCertificateCached, type TCertificate, type TGeneralName } from "./certificate";
import { CRL_RULES, certificateViolations } from "./conformance";
import { assertCrlUsable, crlCoversCertificate, findRevoked, parseCrl, type TCrl } from "./crl";
import type { TName } from "./name";
import { OID } from "./oids";
import { verifyWithAlgorithm } from "./signature";
import { ChainCode, type TChainCode } from "./verification-report";

/**
 * Certification path building and validation (RFC 5280 §6.1, path building per RFC 4158).
 *
 * Issuers are found by name, then narrowed by key identifier and signature: the three JPKI
 * root generations share one DN (docs/jpki.md#roots-and-hierarchies), so a name alone never picks the issuer.
 * The search is a depth-first walk with a visited set, a depth bound and a budget on signature
 * checks, so cycles and wide adversarial graphs end quickly with PATH_SEARCH_LIMIT.
 */

export { parseCertificateCached };

/** Result of {@link validateChain}. `path` runs from the leaf to the trust anchor. */
export type TChainResult = { valid: boolean; code?: TChainCode; reason?: string; path?: Uint8Array[] };

/** Options of {@link validateChain}. */
export type TValidateChainOptions = {
  leaf: Uint8Array;
  intermediates?: Uint8Array[];
  trustAnchors: Uint8Array[];
  time: Date;
  /** CRLs to check every non-anchor certificate against; each must be covered when given. */
  crls?: Uint8Array[];
  /** Accept the path only if one of these policies is valid for it (RFC 5280 §6.1.5 (g)). */
  requiredPolicies?: string[];
  /** Most certificates in a path, anchor included (default 8). */
  maxDepth?: number;
  /** Most signature checks in one search (default 48). */
  maxSignatureChecks?: number;
};

const ZOptions = z.object({
  leaf: z.instanceof(Uint8Array),
  intermediates: z.array(z.instanceof(Uint8Array)).max(256).optional(),
  trustAnchors: z.array(z.instanceof(Uint8Array)).min(1).max(1024),
  time: z.date().refine((d) => !Number.isNaN(d.getTime()), "invalid date"),
  crls: z.array(z.instanceof(Uint8Array)).max(256).optional(),
  requiredPolicies: z.array(z.string().regex(/^\d+(\.\d+)+$/)).optional(),
  maxDepth: z.number().int().min(2).max(16).optional(),
  maxSignatureChecks: z.number().int().min(1).max(1000).optional(),
});

const SIG_CACHE_MAX = 16_384;
const signatureCache = new Map<string, boolean>();

/**
 * True when `issuer`'s key verifies `cert`'s signature. Results are cached by the pair of
 * SHA-256 fingerprints: the same card logs in many times and the check is pure.
 */
export function isSignedBy(cert: TCertificate, issuer: TCertificate): boolean {
  const key = `${cert.fingerprint}:${issuer.fingerprint}`;
  const hit = signatureCache.get(key);
  if (hit !== undefined) return hit;
  const ok = verifyWithAlgorithm(cert.signatureAlgorithm, issuer.spki, cert.tbs, cert.signature);
  if (signatureCache.size >= SIG_CACHE_MAX) signatureCache.delete(signatureCache.keys().next().value as string);
  signatureCache.set(key, ok);
  return ok;
}

type TFailure = { code: TChainCode; reason: string; rank: number };

/** Internal form used by OCSP and CMS: parsed inputs, parsed path out. */
export type TParsedChainResult = {
  valid: boolean;
  code?: TChainCode;
  reason?: string;
  path?: TCertificate[];
};

/**
 * Validates a certification path for `leaf` (RFC 5280 §6.1) at `time`: builds candidate paths
 * to one of `trustAnchors` through `intermediates` and accepts the first that passes every
 * check: signatures (RSA PKCS#1 v1.5, RSA-PSS, ECDSA), validity periods (anchor included),
 * name chaining, AKI/SKI, basicConstraints cA and pathLenConstraint, keyUsage keyCertSign,
 * unknown critical extensions, name constraints, `requiredPolicies`, and `crls` if given; then
 * the conforming-CA rules of RFC 5280 (conformance.ts) on every certificate but the anchor.
 *
 * Returns `{ valid: false, code }` with a {@link ChainCode} for a certificate that fails;
 * throws AppError (CERT_MALFORMED, DER_MALFORMED, INPUT_TOO_LARGE, VALIDATION_FAILED) for
 * a leaf that cannot be parsed at all.
 */
export async function validateChain(options: TValidateChainOptions): Promise<TChainResult> {
  const o = ZOptions.safeParse(options);
  if (!o.success) throw new AppError("VALIDATION_FAILED", { message: o.error.issues.map((i) => i.message).join("; ") });
  const r = validateParsedChain({
    leaf: parseCertificateCached(options.leaf),
    intermediates: parsePool(options.intermediates ?? []),
    trustAnchors: parsePool(options.trustAnchors),
    time: options.time,
    crls: options.crls?.map((c) => parseCrl(c)),
    requiredPolicies: options.requiredPolicies,
    maxDepth: options.maxDepth,
    maxSignatureChecks: options.maxSignatureChecks,
  });
  return { valid: r.valid, code: r.code, reason: r.reason, path: r.path?.map((c) => c.der) };
}

/**
 * The pool of candidate intermediates or trust anchors, parsed: a certificate that cannot be
 * parsed is left out rather than failing the validation, since it can only matter if a path
 * would go through it — and then no path is found (CERT_UNTRUSTED). Only the leaf is parsed
 * strictly. Extensions the parser does not process are never decoded (certificate.ts), so an
 * unrelated root or intermediate with an exotic extension parses, and its unknown critical
 * extension refuses it only if a path goes through it (UNKNOWN_CRITICAL_EXTENSION).
 */
export function parsePool(pool: Uint8Array[]): TCertificate[] {
  const out: TCertificate[] = [];
  for (const der of pool) {
    try {
      out.push(parseCertificateCached(der));
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
    }
  }
  return out;
}

/** {@link validateChain} on parsed inputs (synchronous; used by OCSP and CMS verification). */
export function validateParsedChain(o: {
  leaf: TCertificate;
  intermediates: TCertificate[];
  trustAnchors: TCertificate[];
  time: Date;
  crls?: TCrl[];
  requiredPolicies?: string[];
  maxDepth?: number;
  maxSignatureChecks?: number;
}): TParsedChainResult {
  const anchors = new Set<string>();
  for (const a of o.trustAnchors) anchors.add(a.fingerprint);
  if (anchors.has(o.leaf.fingerprint)) {
    const f = checkValidity(o.leaf, o.time, "trust anchor");
    return f ? { valid: false, code: f.code, reason: f.reason } : { valid: true, path: [o.leaf] };
  }
  const bySubject = new Map<string, TCertificate[]>();
  const index = (c: TCertificate) => {
    const list = bySubject.get(c.subject.key);
    if (list) list.push(c);
    else bySubject.set(c.subject.key, [c]);
  };
  for (const c of o.trustAnchors) index(c);
  for (const c of o.intermediates) if (!anchors.has(c.fingerprint)) index(c);
  const s: TSearch = {
    o,
    maxDepth: o.maxDepth ?? 8,
    budget: o.maxSignatureChecks ?? 48,
    anchors,
    bySubject,
    onPath: new Set(),
    chain: [],
    best: undefined,
  };
  const path = search(s, o.leaf);
  if (path) return { valid: true, path };
  const f = s.best ?? {
    code: ChainCode.CERT_UNTRUSTED,
    reason: `no trusted issuer found for ${o.leaf.issuer.text}`,
    rank: 0,
  };
  return { valid: false, code: f.code, reason: f.reason };
}

/** State of one path search (module-level functions, not closures: this runs on every login). */
type TSearch = {
  o: { time: Date; crls?: TCrl[]; requiredPolicies?: string[] };
  maxDepth: number;
  budget: number;
  anchors: Set<string>;
  bySubject: Map<string, TCertificate[]>;
  onPath: Set<string>;
  chain: TCertificate[];
  best: TFailure | undefined;
};

function fail(s: TSearch, f: TFailure): void {
  if (!s.best || f.rank > s.best.rank) s.best = f;
}

/** Depth-first search from `cert` towards an anchor; returns the first path that validates. */
function search(s: TSearch, cert: TCertificate): TCertificate[] | undefined {
  if (s.chain.length + 1 >= s.maxDepth) {
    fail(s, { code: ChainCode.PATH_SEARCH_LIMIT, reason: `path longer than ${s.maxDepth} certificates`, rank: 1 });
    return undefined;
  }
  s.chain.push(cert);
  s.onPath.add(cert.fingerprint);
  try {
    const candidates = orderCandidates(cert, s.bySubject.get(cert.issuer.key) ?? []);
    for (const issuer of candidates) {
      if (s.onPath.has(issuer.fingerprint)) continue;
      if (s.budget <= 0) {
        fail(s, { code: ChainCode.PATH_SEARCH_LIMIT, reason: "signature-check budget exhausted", rank: 1 });
        return undefined;
      }
      s.budget--;
      let ok: boolean;
      try {
        ok = isSignedBy(cert, issuer);
      } catch (err) {
        if (err instanceof AppError && (err.code === "ALGORITHM_UNSUPPORTED" || err.code === "KEY_MALFORMED")) {
          fail(s, { code: ChainCode.ALGORITHM_UNSUPPORTED, reason: err.message, rank: 3 });
          continue;
        }
        throw err;
      }
      if (!ok) {
        fail(s, {
          code: ChainCode.SIGNATURE_INVALID,
          reason: `signature of ${cert.subject.text} (serial ${cert.serialHex}) does not verify with ${issuer.subject.text}`,
          rank: 3,
        });
        continue;
      }
      if (s.anchors.has(issuer.fingerprint)) {
        const path = [...s.chain, issuer];
        const f = validatePath(path, s.o);
        if (!f) return path;
        fail(s, f);
        continue;
      }
      const found = search(s, issuer);
      if (found) return found;
    }
    return undefined;
  } finally {
    s.chain.pop();
    s.onPath.delete(cert.fingerprint);
  }
}

/** Key-id matches first, then issuers without key ids; a mismatching key id is skipped. */
function orderCandidates(cert: TCertificate, candidates: TCertificate[]): TCertificate[] {
  const aki = cert.authorityKeyId;
  if (!aki) return candidates.slice(0, 32);
  const match: TCertificate[] = [];
  const unknown: TCertificate[] = [];
  for (const c of candidates) {
    if (c.subjectKeyId === aki) match.push(c);
    else if (!c.subjectKeyId) unknown.push(c);
  }
  return [...match, ...unknown].slice(0, 32);
}

function checkValidity(cert: TCertificate, time: Date, role: string): TFailure | undefined {
  const t = time.getTime();
  if (t < cert.notBefore.getTime()) {
    return {
      code: ChainCode.CERT_NOT_YET_VALID,
      reason: `${role} ${cert.subject.text} is not valid before ${cert.notBefore.toISOString()}`,
      rank: 5,
    };
  }
  if (t > cert.notAfter.getTime()) {
    return {
      code: ChainCode.CERT_EXPIRED,
      reason: `${role} ${cert.subject.text} expired at ${cert.notAfter.toISOString()}`,
      rank: 5,
    };
  }
  return undefined;
}

type TNameConstraints = { permitted: TGeneralName[]; excluded: TGeneralName[] };

/**
 * The checks of RFC 5280 §6.1.3–6.1.5 on a built path (leaf first, anchor last). Signatures
 * were already checked while building. Returns the first failure, or undefined when valid.
 */
function validatePath(
  path: TCertificate[],
  o: { time: Date; crls?: TCrl[]; requiredPolicies?: string[] },
): TFailure | undefined {
  const n = path.length;
  const anchor = path[n - 1]!;
  const va = checkValidity(anchor, o.time, "trust anchor");
  if (va) return va;
  // The anchor's own constraints are honoured too (RFC 5937 style), as OpenSSL does.
  let maxPathLength = anchor.basicConstraints?.pathLen ?? n;
  const constraints: TNameConstraints[] = anchor.nameConstraints ? [anchor.nameConstraints] : [];
  // Policy state of RFC 5280 §6.1.2 (d)(e): counts of certificates, anchor excluded, plus one.
  let policies: Set<string> = new Set([OID.anyPolicy]);
  let explicitPolicy = n;
  let inhibitAnyPolicy = n;
  for (let i = n - 2; i >= 0; i--) {
    const cert = path[i]!;
    const issuer = path[i + 1]!;
    const isLeaf = i === 0;
    const role = isLeaf ? "certificate" : "intermediate";
    const v = checkValidity(cert, o.time, role);
    if (v) return v;
    if (cert.unknownCriticalExtensions.length > 0) {
      return {
        code: ChainCode.UNKNOWN_CRITICAL_EXTENSION,
        reason: `${cert.subject.text} has unknown critical extension ${cert.unknownCriticalExtensions.join(", ")}`,
        rank: 5,
      };
    }
    // The issuer (anchor or intermediate) must be allowed to issue certificates.
    const ic = issuerCheck(issuer);
    if (ic) return ic;
    if (!(isSelfIssued(cert) && !isLeaf)) {
      for (const nc of constraints) {
        const bad = nameConstraintViolation(cert, nc);
        if (bad) return { code: ChainCode.NAME_CONSTRAINTS_VIOLATED, reason: bad, rank: 5 };
      }
    }
    // §6.1.3 (d)(e): anyPolicy in this certificate counts only while not inhibited.
    const anyAllowed = inhibitAnyPolicy > 0 || (!isLeaf && isSelfIssued(cert));
    const asserted = cert.policies?.map((p) => p.oid).filter((p) => anyAllowed || p !== OID.anyPolicy);
    policies = intersectPolicies(policies, asserted);
    if (explicitPolicy <= 0 && policies.size === 0) {
      return {
        code: ChainCode.POLICY_NOT_ACCEPTED,
        reason: `an explicit policy is required and none is valid at ${cert.subject.text}`,
        rank: 5,
      };
    }
    if (o.crls) {
      const f = checkCrls(cert, issuer, o.crls, o.time);
      if (f) return f;
    }
    if (!isLeaf) {
      if (!isSelfIssued(cert)) {
        if (maxPathLength <= 0) {
          return {
            code: ChainCode.PATH_LENGTH_EXCEEDED,
            reason: `pathLenConstraint exceeded at ${cert.subject.text}`,
            rank: 5,
          };
        }
        maxPathLength--;
      }
      // §6.1.4 (h)(i)(j): count down, then apply this CA's policy constraints.
      if (!isSelfIssued(cert)) {
        if (explicitPolicy > 0) explicitPolicy--;
        if (inhibitAnyPolicy > 0) inhibitAnyPolicy--;
      }
      const rep = cert.policyConstraints?.requireExplicitPolicy;
      if (rep !== undefined && rep < explicitPolicy) explicitPolicy = rep;
      if (cert.inhibitAnyPolicy !== undefined && cert.inhibitAnyPolicy < inhibitAnyPolicy) {
        inhibitAnyPolicy = cert.inhibitAnyPolicy;
      }
      const pl = cert.basicConstraints?.pathLen;
      if (pl !== undefined && pl < maxPathLength) maxPathLength = pl;
      if (cert.nameConstraints) constraints.push(cert.nameConstraints);
    }
  }
  // §6.1.5 (a)(b)(g): the leaf's own requireExplicitPolicy of 0 also demands a valid policy.
  if (explicitPolicy > 0) explicitPolicy--;
  if (path[0]!.policyConstraints?.requireExplicitPolicy === 0) explicitPolicy = 0;
  if (explicitPolicy === 0 && policies.size === 0) {
    return { code: ChainCode.POLICY_NOT_ACCEPTED, reason: "an explicit policy is required and none is valid", rank: 5 };
  }
  if (o.requiredPolicies) {
    const ok = policies.has(OID.anyPolicy) || o.requiredPolicies.some((p) => policies.has(p));
    if (!ok) {
      return {
        code: ChainCode.POLICY_NOT_ACCEPTED,
        reason: `valid policies [${[...policies].join(", ")}] include none of [${o.requiredPolicies.join(", ")}]`,
        rank: 5,
      };
    }
  }
  return conformanceFailure(path);
}

/**
 * The conforming-CA rules (conformance.ts) on every certificate of a path that passed §6.1, leaf
 * first; the trust anchor is exempt (§6.1: trust anchor information is an input, not validated).
 * The rules' results are memoised per parsed certificate, so this costs a lookup per certificate.
 */
function conformanceFailure(path: TCertificate[]): TFailure | undefined {
  for (let i = 0; i < path.length - 1; i++) {
    const v = certificateViolations(path[i]!)[0];
    if (v) return { code: v.code, reason: v.reason, rank: 5 };
  }
  return undefined;
}

function issuerCheck(issuer: TCertificate): TFailure | undefined {
  if (issuer.version === 3 && issuer.basicConstraints?.ca !== true) {
    return { code: ChainCode.CA_BASIC_CONSTRAINTS, reason: `${issuer.subject.text} is not a CA`, rank: 5 };
  }
  if (issuer.keyUsage !== undefined && (issuer.keyUsage & KeyUsage.keyCertSign) === 0) {
    return { code: ChainCode.CA_KEY_USAGE, reason: `${issuer.subject.text} lacks keyCertSign`, rank: 5 };
  }
  if (issuer.unknownCriticalExtensions.length > 0) {
    return {
      code: ChainCode.UNKNOWN_CRITICAL_EXTENSION,
      reason: `${issuer.subject.text} has unknown critical extension ${issuer.unknownCriticalExtensions.join(", ")}`,
      rank: 5,
    };
  }
  return undefined;
}

/** Simplified policy tree (RFC 5280 §6.1.3 (d)): the set of policies every certificate asserts. */
function intersectPolicies(current: Set<string>, asserted: string[] | undefined): Set<string> {
  if (!asserted || asserted.length === 0) return new Set();
  const next = new Set(asserted);
  if (current.has(OID.anyPolicy)) return next;
  if (next.has(OID.anyPolicy)) return current;
  return new Set([...current].filter((p) => next.has(p)));
}

function checkCrls(cert: TCertificate, issuer: TCertificate, crls: TCrl[], time: Date): TFailure | undefined {
  let stale: string | undefined;
  let nonconforming: TFailure | undefined;
  for (const crl of crls) {
    if (!crlCoversCertificate(crl, cert)) continue;
    try {
      assertCrlUsable(crl, issuer, time);
    } catch (err) {
      if (err instanceof AppError && err.code === "CRL_STALE") {
        stale = err.message;
        continue;
      }
      // A conforming-CA rule (conformance.ts CRL_RULES) the CRL breaks: the rule's own code.
      const rule = err instanceof AppError ? CRL_RULES.find((r) => r.code === err.code) : undefined;
      if (rule && err instanceof AppError) {
        nonconforming ??= { code: rule.code, reason: err.message, rank: 5 };
        continue;
      }
      if (err instanceof AppError && (err.code === "CRL_SIGNATURE_INVALID" || err.code === "ALGORITHM_UNSUPPORTED")) {
        continue;
      }
      throw err;
    }
    const hit = findRevoked(crl, new Set([cert.serialHex])).hits.get(cert.serialHex);
    if (hit && hit.revokedAt.getTime() <= time.getTime()) {
      return {
        code: ChainCode.CERT_REVOKED,
        reason: `${cert.subject.text} (serial ${cert.serialHex}) revoked at ${hit.revokedAt.toISOString()}: ${hit.reason}`,
        rank: 5,
      };
    }
    return undefined;
  }
  if (nonconforming) return nonconforming;
  if (stale) return { code: ChainCode.CRL_STALE, reason: stale, rank: 5 };
  return {
    code: ChainCode.CRL_NOT_FOUND,
    reason: `no valid CRL covers ${cert.subject.text} (serial ${cert.serialHex})`,
    rank: 5,
  };
}

// --- Name constraints (RFC 5280 §4.2.1.10) -----------------------------------------------------

function dnWithin(name: TName, base: TName): boolean {
  if (base.rdns.length > name.rdns.length) return false;
  const rdnKey = (n: TName, i: number) => n.key.split("\u0000")[i];
  for (let i = 0; i < base.rdns.length; i++) if (rdnKey(name, i) !== rdnKey(base, i)) return false;
  return true;
}

function hostWithin(host: string, base: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, "");
  const b = base.toLowerCase().replace(/\.$/, "");
  if (b === "") return true;
  if (b.startsWith(".")) return h.endsWith(b);
  return h === b || h.endsWith(`.${b}`);
}

function emailWithin(email: string, base: string): boolean {
  const at = email.lastIndexOf("@");
  if (base.includes("@")) return email.toLowerCase() === base.toLowerCase();
  const host = at >= 0 ? email.slice(at + 1) : email;
  if (base.startsWith(".")) return host.toLowerCase().endsWith(base.toLowerCase());
  return host.toLowerCase() === base.toLowerCase();
}

function uriHost(uri: string): string | undefined {
  try {
    return new URL(uri).hostname;
  } catch {
    return undefined;
  }
}

function ipWithin(ip: Uint8Array, base: Uint8Array): boolean {
  if (base.length !== ip.length * 2) return false;
  for (let i = 0; i < ip.length; i++) {
    const mask = base[ip.length + i]!;
    if ((ip[i]! & mask) !== (base[i]! & mask)) return false;
  }
  return true;
}

/** Does `name` fall within `base`? undefined when the forms differ (constraint does not apply). */
function within(name: TGeneralName, base: TGeneralName): boolean | undefined {
  if (name.type === "directoryName" && base.type === "directoryName") return dnWithin(name.name, base.name);
  if (name.type === "dNSName" && base.type === "dNSName") return hostWithin(name.value, base.value);
  if (name.type === "rfc822Name" && base.type === "rfc822Name") return emailWithin(name.value, base.value);
  if (name.type === "uri" && base.type === "uri") {
    const h = uriHost(name.value);
    return h === undefined ? false : hostWithin(h, base.value);
  }
  if (name.type === "iPAddress" && base.type === "iPAddress") return ipWithin(name.bytes, base.bytes);
  return undefined;
}

function namesOf(cert: TCertificate): TGeneralName[] {
  const names: TGeneralName[] = [];
  if (cert.subject.rdns.length > 0) names.push({ type: "directoryName", name: cert.subject });
  for (const rdn of cert.subject.rdns) {
    for (const a of rdn) if (a.type === "1.2.840.113549.1.9.1") names.push({ type: "rfc822Name", value: a.value });
  }
  for (const g of cert.subjectAltName ?? []) names.push(g);
  return names;
}

function describeName(g: TGeneralName): string {
  switch (g.type) {
    case "directoryName":
      return `DirName:${g.name.text}`;
    case "dNSName":
    case "rfc822Name":
    case "uri":
      return `${g.type}:${g.value}`;
    case "iPAddress":
      return `IP:${[...g.bytes].join(".")}`;
    default:
      return g.type;
  }
}

function nameConstraintViolation(cert: TCertificate, nc: TNameConstraints): string | undefined {
  for (const name of namesOf(cert)) {
    // RFC 5280 §4.2.1.10: a constrained name form we cannot process must reject the certificate.
    if (name.type === "otherName" || name.type === "unsupported" || name.type === "registeredID") {
      if ([...nc.permitted, ...nc.excluded].some((c) => c.type === name.type)) {
        return `cannot process name constraints on ${name.type} names`;
      }
      continue;
    }
    for (const ex of nc.excluded) {
      if (within(name, ex) === true) return `${describeName(name)} is in excluded subtree ${describeName(ex)}`;
    }
    const relevant = nc.permitted.filter((p) => within(name, p) !== undefined);
    if (relevant.length > 0 && !relevant.some((p) => within(name, p) === true)) {
      return `${describeName(name)} is outside the permitted subtrees`;
    }
  }
  return undefined;
}

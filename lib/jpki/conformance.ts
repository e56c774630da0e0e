import { AppError } from "@/lib/errors/app-error";
import { findExtension, isCa, isSelfIssued, KeyUsage, type TCertificate, type TGeneralName } from "./certificate";
import type { TCrl } from "./crl";
import { OID } from "./oids";
import { verifyWithAlgorithm } from "./signature";
import { ChainCode } from "./verification-report";

/**
 * The "conforming CA" rules of RFC 5280 that path validation (§6.1) itself does not test: what a
 * certificate or CRL issued by a conforming CA always looks like. A certification-grade validator
 * refuses a path through a certificate that breaks one of them, each with its own stable code
 * (ChainCode, registered in lib/errors/codes.ts). chain.ts runs them over every certificate of a
 * validated path except the trust anchor (§6.1: trust anchor information is an input of the
 * algorithm, not something it validates), and crl.ts over every CRL it uses.
 *
 * `appliesTo`: "ca" for certificates with basicConstraints cA true, "ee" for all others, "any" for
 * both. The role is the certificate's own claim, not its position in the path: an intermediate
 * that is not a CA already fails §6.1.4 (k), and a CA certificate validated as a leaf is still a CA.
 */

/** Codes of the certificate rules. */
export type TCertificateRuleCode =
  | typeof ChainCode.CERT_SERIAL_NOT_POSITIVE
  | typeof ChainCode.CERT_SERIAL_TOO_LONG
  | typeof ChainCode.CERT_AKI_MISSING
  | typeof ChainCode.CERT_AKI_CRITICAL
  | typeof ChainCode.CERT_SKI_MISSING
  | typeof ChainCode.CERT_BASIC_CONSTRAINTS_NOT_CRITICAL
  | typeof ChainCode.CERT_NAME_CONSTRAINTS_NOT_CRITICAL
  | typeof ChainCode.CERT_NAME_CONSTRAINTS_NOT_CA
  | typeof ChainCode.CERT_NAME_CONSTRAINTS_EMPTY
  | typeof ChainCode.CERT_POLICY_CONSTRAINTS_NOT_CRITICAL
  | typeof ChainCode.CERT_AIA_CRITICAL
  | typeof ChainCode.CERT_KEY_CERT_SIGN_NOT_CA
  | typeof ChainCode.CERT_EKU_EMPTY
  | typeof ChainCode.CERT_CA_SUBJECT_EMPTY
  | typeof ChainCode.CERT_EMPTY_SUBJECT_SAN_NOT_CRITICAL
  | typeof ChainCode.CERT_DNS_NAME_INVALID
  | typeof ChainCode.CERT_RFC822_NAME_INVALID;

/** Codes of the CRL rules. */
export type TCrlRuleCode = typeof ChainCode.CRL_NUMBER_MISSING | typeof ChainCode.CRL_NUMBER_CRITICAL;

/** One rule: `check` returns why the certificate breaks it, or undefined. */
export type TCertificateRule = {
  code: TCertificateRuleCode;
  rfcSection: string;
  appliesTo: "any" | "ca" | "ee";
  check: (cert: TCertificate) => string | undefined;
};

/** One CRL rule. */
export type TCrlRule = { code: TCrlRuleCode; rfcSection: string; check: (crl: TCrl) => string | undefined };

/** A broken rule. */
export type TConformanceViolation = { code: TCertificateRuleCode | TCrlRuleCode; reason: string };

const critical = (cert: TCertificate, oid: string) => findExtension(cert, oid)?.critical === true;

/** Self-signed (RFC 5280 §3.3): self-issued and its signature verifies with its own key. */
function isSelfSigned(cert: TCertificate): boolean {
  if (!isSelfIssued(cert)) return false;
  try {
    return verifyWithAlgorithm(cert.signatureAlgorithm, cert.spki, cert.tbs, cert.signature);
  } catch {
    return false;
  }
}

/** Octets of the shortest two's-complement encoding of `n` (DER INTEGER content). */
function integerOctets(n: bigint): number {
  const bits = (n < 0n ? -n - 1n : n).toString(2).length;
  return Math.floor(bits / 8) + 1;
}

const LABEL = /^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$/;

/**
 * A domain name in the "preferred name syntax" of RFC 1034 §3.5 as modified by RFC 1123 §2.1
 * (RFC 5280 §4.2.1.6): letters, digits and hyphens, labels of 1–63 characters not starting or
 * ending with a hyphen, at most 253 characters, no trailing dot. A leftmost `*` label is allowed
 * (wildcards of RFC 6125 §6.4.3, which TLS certificates use); " " is explicitly forbidden.
 */
export function isValidDnsName(name: string, allowWildcard = true): boolean {
  if (name.length === 0 || name.length > 253) return false;
  const labels = name.split(".");
  return labels.every((l, i) => LABEL.test(l) || (allowWildcard && i === 0 && l === "*" && labels.length > 1));
}

const ATEXT = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+$/;
const QUOTED = /^"(?:[\x20\x21\x23-\x5b\x5d-\x7e]|\\[\x20-\x7e])*"$/;

/**
 * An rfc822Name is a Mailbox `local-part@domain` of RFC 5321 §4.1.2 (RFC 5280 §4.2.1.6): a
 * dot-string or quoted-string local part, a domain in preferred name syntax or an address literal;
 * no angle brackets, no display name.
 */
export function isValidMailbox(value: string): boolean {
  const at = value.lastIndexOf("@");
  if (at <= 0 || at === value.length - 1) return false;
  const local = value.slice(0, at);
  const domain = value.slice(at + 1);
  if (local.length > 64) return false;
  const localOk = QUOTED.test(local) || local.split(".").every((p) => ATEXT.test(p));
  const domainOk = /^\[[\x21-\x5a\x5e-\x7e]+\]$/.test(domain) || isValidDnsName(domain, false);
  return localOk && domainOk;
}

/** The dNSName and rfc822Name entries of the subject and issuer alternative names. */
function altNames(cert: TCertificate, type: "dNSName" | "rfc822Name"): string[] {
  const out: string[] = [];
  for (const g of [...(cert.subjectAltName ?? []), ...(cert.issuerAltName ?? [])] as TGeneralName[]) {
    if (g.type === type) out.push(g.value);
  }
  return out;
}

/** The certificate rules, in the order they are reported (the first broken one is the path's failure). */
export const CERTIFICATE_RULES: readonly TCertificateRule[] = [
  {
    code: ChainCode.CERT_SERIAL_NOT_POSITIVE,
    rfcSection: "4.1.2.2",
    appliesTo: "any",
    check: (c) => (c.serial > 0n ? undefined : `serial number ${c.serial} is not a positive integer`),
  },
  {
    code: ChainCode.CERT_SERIAL_TOO_LONG,
    rfcSection: "4.1.2.2",
    appliesTo: "any",
    check: (c) => {
      const n = integerOctets(c.serial);
      return n > 20 ? `serial number is ${n} octets long; at most 20 are allowed` : undefined;
    },
  },
  {
    code: ChainCode.CERT_AKI_MISSING,
    rfcSection: "4.2.1.1",
    appliesTo: "any",
    check: (c) =>
      c.authorityKeyId !== undefined || isSelfSigned(c)
        ? undefined
        : "authorityKeyIdentifier with a keyIdentifier is missing (only a self-signed certificate may omit it)",
  },
  {
    code: ChainCode.CERT_AKI_CRITICAL,
    rfcSection: "4.2.1.1",
    appliesTo: "any",
    check: (c) => (critical(c, OID.authorityKeyIdentifier) ? "authorityKeyIdentifier is marked critical" : undefined),
  },
  {
    code: ChainCode.CERT_SKI_MISSING,
    rfcSection: "4.2.1.2",
    appliesTo: "ca",
    check: (c) => (c.subjectKeyId === undefined ? "CA certificate without subjectKeyIdentifier" : undefined),
  },
  {
    code: ChainCode.CERT_BASIC_CONSTRAINTS_NOT_CRITICAL,
    rfcSection: "4.2.1.9",
    appliesTo: "ca",
    check: (c) =>
      critical(c, OID.basicConstraints) ? undefined : "basicConstraints of a CA certificate is not critical",
  },
  {
    code: ChainCode.CERT_NAME_CONSTRAINTS_NOT_CA,
    rfcSection: "4.2.1.10",
    appliesTo: "ee",
    check: (c) => (c.nameConstraints ? "nameConstraints in a certificate that is not a CA certificate" : undefined),
  },
  {
    code: ChainCode.CERT_NAME_CONSTRAINTS_NOT_CRITICAL,
    rfcSection: "4.2.1.10",
    appliesTo: "ca",
    check: (c) =>
      c.nameConstraints && !critical(c, OID.nameConstraints) ? "nameConstraints is not marked critical" : undefined,
  },
  {
    code: ChainCode.CERT_NAME_CONSTRAINTS_EMPTY,
    rfcSection: "4.2.1.10",
    appliesTo: "ca",
    check: (c) =>
      c.nameConstraints && c.nameConstraints.permitted.length === 0 && c.nameConstraints.excluded.length === 0
        ? "nameConstraints has neither permittedSubtrees nor excludedSubtrees"
        : undefined,
  },
  {
    code: ChainCode.CERT_POLICY_CONSTRAINTS_NOT_CRITICAL,
    rfcSection: "4.2.1.11",
    appliesTo: "any",
    check: (c) =>
      c.policyConstraints && !critical(c, OID.policyConstraints)
        ? "policyConstraints is not marked critical"
        : undefined,
  },
  {
    code: ChainCode.CERT_AIA_CRITICAL,
    rfcSection: "4.2.2.1",
    appliesTo: "any",
    check: (c) => (critical(c, OID.authorityInfoAccess) ? "authorityInfoAccess is marked critical" : undefined),
  },
  {
    code: ChainCode.CERT_KEY_CERT_SIGN_NOT_CA,
    rfcSection: "4.2.1.3",
    appliesTo: "any",
    check: (c) =>
      c.keyUsage !== undefined && (c.keyUsage & KeyUsage.keyCertSign) !== 0 && !isCa(c)
        ? "keyUsage keyCertSign without basicConstraints cA"
        : undefined,
  },
  {
    code: ChainCode.CERT_EKU_EMPTY,
    rfcSection: "4.2.1.12",
    appliesTo: "any",
    check: (c) => (c.extKeyUsage && c.extKeyUsage.length === 0 ? "extKeyUsage lists no key purpose" : undefined),
  },
  {
    code: ChainCode.CERT_CA_SUBJECT_EMPTY,
    rfcSection: "4.1.2.6",
    appliesTo: "ca",
    check: (c) => (c.subject.rdns.length === 0 ? "CA certificate with an empty subject" : undefined),
  },
  {
    code: ChainCode.CERT_EMPTY_SUBJECT_SAN_NOT_CRITICAL,
    rfcSection: "4.1.2.6, 4.2.1.6",
    appliesTo: "any",
    check: (c) =>
      c.subject.rdns.length === 0 && !(c.subjectAltName?.length && critical(c, OID.subjectAltName))
        ? "empty subject without a critical subjectAltName"
        : undefined,
  },
  {
    code: ChainCode.CERT_DNS_NAME_INVALID,
    rfcSection: "4.2.1.6",
    appliesTo: "any",
    check: (c) => {
      const bad = altNames(c, "dNSName").find((n) => !isValidDnsName(n));
      return bad === undefined ? undefined : `dNSName ${JSON.stringify(bad)} is not in preferred name syntax`;
    },
  },
  {
    code: ChainCode.CERT_RFC822_NAME_INVALID,
    rfcSection: "4.2.1.6",
    appliesTo: "any",
    check: (c) => {
      const bad = altNames(c, "rfc822Name").find((n) => !isValidMailbox(n));
      return bad === undefined ? undefined : `rfc822Name ${JSON.stringify(bad)} is not a mailbox (local-part@domain)`;
    },
  },
];

/** The CRL rules. */
export const CRL_RULES: readonly TCrlRule[] = [
  {
    code: ChainCode.CRL_NUMBER_MISSING,
    rfcSection: "5.2.3",
    check: (crl) => (crl.crlNumber === undefined ? "CRL without a cRLNumber extension" : undefined),
  },
  {
    code: ChainCode.CRL_NUMBER_CRITICAL,
    rfcSection: "5.2.3",
    check: (crl) => (crl.crlNumberCritical ? "cRLNumber is marked critical" : undefined),
  },
];

const certCache = new WeakMap<TCertificate, TConformanceViolation[]>();

/**
 * Every certificate rule `cert` breaks, in table order. Computed once per parse: the result is
 * kept with the parsed certificate (parseCertificateCached returns the same object for the same
 * bytes), so a returning card and the trust anchors cost nothing after the first time.
 */
export function certificateViolations(cert: TCertificate): TConformanceViolation[] {
  const hit = certCache.get(cert);
  if (hit) return hit;
  const role = isCa(cert) ? "ca" : "ee";
  const out: TConformanceViolation[] = [];
  for (const rule of CERTIFICATE_RULES) {
    if (rule.appliesTo !== "any" && rule.appliesTo !== role) continue;
    const reason = rule.check(cert);
    if (reason !== undefined)
      out.push({ code: rule.code, reason: `${cert.subject.text || "(empty subject)"}: ${reason}` });
  }
  certCache.set(cert, out);
  return out;
}

/** Every CRL rule `crl` breaks, in table order. */
export function crlViolations(crl: TCrl): TConformanceViolation[] {
  const out: TConformanceViolation[] = [];
  for (const rule of CRL_RULES) {
    const reason = rule.check(crl);
    if (reason !== undefined) out.push({ code: rule.code, reason: `CRL of ${crl.issuer.text}: ${reason}` });
  }
  return out;
}

/** Throws the first broken CRL rule as an AppError with its code (the codes are in lib/errors/codes.ts). */
export function assertCrlConforms(crl: TCrl): void {
  const v = crlViolations(crl)[0];
  if (v) throw new AppError(v.code, { message: v.reason });
}

import { AppError } from "@/lib/errors/app-error";
import { KeyUsage, parseCertificateCached, type TCertificate } from "./certificate";
import { nameAttribute, nameAttributes } from "./name";
import { OID } from "./oids";
import type { TFourFacts } from "./verification-report";

/**
 * JPKI reading of a certificate (docs/jpki.md#the-two-certificates): which of the card's certificates it is, and for a
 * signing certificate the four basic facts (基本4情報) from its subjectAltName otherNames.
 * Policy-free: it describes; deciding what to accept is the caller's job.
 */

/** What a certificate is, by JPKI profile (docs/jpki.md#the-two-certificates; OCSP per RFC 6960 §4.2.2.2). */
export type TJpkiKind = "auth" | "sign" | "ocsp" | "ca" | "other";

/** Where the key lives, when the certificate lets us infer it (simulation decision, docs/jpki.md#mobile-tokens-and-cross-device-login). */
export type TTokenType = "card" | "android" | "iphone";

/** The decoded JPKI view of one certificate. */
export type TJpkiCertificate = {
  kind: TJpkiKind;
  /** `production` for O=JPKI, `test` for O=JPKI-TEST (docs/jpki.md#roots-and-hierarchies); undefined outside JPKI. */
  hierarchy?: "production" | "test";
  serialHex: string;
  serial: bigint;
  issuer: string;
  subject: string;
  subjectCommonName?: string;
  /**
   * Hint to the issuing root generation: the roots of one purpose share one DN (docs/jpki.md#roots-and-hierarchies),
   * so the authority key id (or, for a root, its own key id) is what tells them apart.
   * `generation` is filled in when `roots` were given.
   */
  generationHint: { keyId?: string; generation?: number };
  tokenType?: TTokenType;
  notBefore: Date;
  notAfter: Date;
  policies: string[];
  /** keyUsage names in RFC 5280 order. */
  keyUsage: string[];
  extendedKeyUsage: string[];
  /** Signing certificates: prefecture and municipality from the two L attributes (docs/jpki.md#signing-certificate). */
  locality?: { prefecture?: string; municipality?: string };
  /** Signing certificates only: the four facts and the flag strings (docs/jpki.md#the-four-basic-facts). */
  facts?: TFourFacts;
  /** The parsed certificate, for callers that need more. */
  certificate: TCertificate;
};

const KU_NAMES = [
  "digitalSignature",
  "nonRepudiation",
  "keyEncipherment",
  "dataEncipherment",
  "keyAgreement",
  "keyCertSign",
  "cRLSign",
  "encipherOnly",
  "decipherOnly",
] as const;

const ERAS: Readonly<Record<string, string>> = { "1": "明治", "2": "大正", "3": "昭和", "4": "平成", "5": "令和" };
/** First Gregorian year of each era, for the 和暦 form (元年 = year 1). */
const ERA_START_YEAR: Readonly<Record<string, number>> = { "1": 1868, "2": 1912, "3": 1926, "4": 1989, "5": 2019 };

const JPKI_POLICY_ROOT = "1.2.392.200149.8.5.1.";

/**
 * Decodes the birth date `EYYYYMMDD` (docs/jpki.md#the-four-basic-facts): era digit (1 明治 … 5 令和, 0 unknown)
 * followed by the Gregorian date. Returns the ISO date and the era form (e.g. 平成2年1月2日).
 */
export function decodeJpkiBirthDate(code: string): { dateOfBirth?: string; era: string; eraForm?: string } {
  const m = /^([0-5])(\d{4})(\d{2})(\d{2})$/.exec(code);
  if (!m) throw new AppError("CERT_MALFORMED", { message: `birth date is not EYYYYMMDD: ${JSON.stringify(code)}` });
  const [, e, y, mo, d] = m as unknown as [string, string, string, string, string];
  const iso = `${y}-${mo}-${d}`;
  const t = new Date(`${iso}T00:00:00Z`);
  const valid = !Number.isNaN(t.getTime()) && t.toISOString().startsWith(iso);
  const era = ERAS[e] ?? "不明";
  if (!valid) return { era };
  const start = ERA_START_YEAR[e];
  const eraYear = start === undefined ? undefined : Number(y) - start + 1;
  const eraForm =
    eraYear === undefined || eraYear < 1
      ? undefined
      : `${era}${eraYear === 1 ? "元" : eraYear}年${Number(mo)}月${Number(d)}日`;
  return { dateOfBirth: iso, era, eraForm };
}

function extractFacts(cert: TCertificate): TFourFacts | undefined {
  const other = new Map<string, string>();
  for (const g of cert.subjectAltName ?? []) {
    if (g.type !== "otherName" || !g.typeId.startsWith("1.2.392.200149.8.5.5.")) continue;
    if (g.text === undefined)
      throw new AppError("CERT_MALFORMED", { message: `otherName ${g.typeId} is not a string` });
    if (other.has(g.typeId)) throw new AppError("CERT_MALFORMED", { message: `duplicate otherName ${g.typeId}` });
    other.set(g.typeId, g.text);
  }
  if (other.size === 0) return undefined;
  const name = other.get(OID.jpkiName);
  const address = other.get(OID.jpkiAddress);
  const dob = other.get(OID.jpkiBirthDate);
  const genderCode = other.get(OID.jpkiGender);
  if (name === undefined || address === undefined || dob === undefined || genderCode === undefined) {
    throw new AppError("CERT_MALFORMED", { message: "signing certificate lacks one of the four facts" });
  }
  const gender =
    genderCode === "1" ? "male" : genderCode === "2" ? "female" : genderCode === "3" ? "unknown" : undefined;
  if (!gender) throw new AppError("CERT_MALFORMED", { message: `gender code ${JSON.stringify(genderCode)}` });
  const d = decodeJpkiBirthDate(dob);
  return {
    name,
    address,
    dateOfBirth: d.dateOfBirth,
    dateOfBirthEra: { code: dob, era: d.era, form: d.eraForm },
    gender,
    nameFlags: other.get(OID.jpkiNameFlags),
    addressFlags: other.get(OID.jpkiAddressFlags),
  };
}

function hierarchyOf(cert: TCertificate): "production" | "test" | undefined {
  for (const n of [cert.issuer, cert.subject]) {
    const o = nameAttribute(n, "2.5.4.10");
    if (o === "JPKI") return "production";
    if (o === "JPKI-TEST") return "test";
  }
  return undefined;
}

function inferTokenType(kind: TJpkiKind, cn: string | undefined): TTokenType | undefined {
  if (!cn) return undefined;
  // Simulation decision (docs/jpki.md#mobile-tokens-and-cross-device-login, jlis-sim): auth CNs end in A/G/I, sign CNs carry a
  // window id; real CN formats are not public, so anything else stays undefined.
  if (kind === "auth" && /^[0-9A-Z]{22}[AGI]$/.test(cn)) {
    return ({ A: "card", G: "android", I: "iphone" } as const)[cn.slice(-1) as "A" | "G" | "I"];
  }
  if (kind === "sign" && cn.length === 28) {
    const w = cn.slice(19);
    if (w === "APGPSE001") return "android";
    if (w === "APIOS0001") return "iphone";
    if (/^\d{9}$/.test(w)) return "card";
  }
  return undefined;
}

/**
 * Parses a certificate and describes it in JPKI terms. `roots` (root certificates with their
 * generation numbers) lets it name the generation. Throws CERT_MALFORMED, DER_MALFORMED,
 * INPUT_TOO_LARGE; a signing certificate with a malformed four-facts SAN is CERT_MALFORMED.
 */
export function parseJpkiCertificate(
  der: Uint8Array,
  options: { roots?: { generation: number; certificate: Uint8Array }[] } = {},
): TJpkiCertificate {
  return describeJpkiCertificate(parseCertificateCached(der), options);
}

/** {@link parseJpkiCertificate} for an already parsed certificate. */
export function describeJpkiCertificate(
  cert: TCertificate,
  options: { roots?: { generation: number; certificate: Uint8Array }[] } = {},
): TJpkiCertificate {
  const cached = options.roots ? undefined : described.get(cert);
  if (cached) return cached;
  const policies = (cert.policies ?? []).map((p) => p.oid);
  const eku = cert.extKeyUsage ?? [];
  const ku = cert.keyUsage ?? 0;
  let kind: TJpkiKind = "other";
  if (cert.basicConstraints?.ca) kind = "ca";
  else if (eku.includes(OID.kpOcspSigning)) kind = "ocsp";
  else if (policies.includes(OID.jpkiAuthPolicy)) kind = "auth";
  else if (policies.includes(OID.jpkiSignPolicy) || policies.includes(OID.jpkiSignPolicyTest)) kind = "sign";
  else if (policies.some((p) => p.startsWith(JPKI_POLICY_ROOT))) kind = "other";
  const facts = kind === "sign" || kind === "other" ? extractFacts(cert) : undefined;
  if (kind === "other" && facts) kind = "sign";
  const cn = nameAttribute(cert.subject, "2.5.4.3");
  const keyId = kind === "ca" ? cert.subjectKeyId : cert.authorityKeyId;
  let generation: number | undefined;
  for (const r of options.roots ?? []) {
    // A root that cannot be parsed names no generation; it does not make this certificate unreadable.
    let root: TCertificate;
    try {
      root = parseCertificateCached(r.certificate);
    } catch (err) {
      if (err instanceof AppError) continue;
      throw err;
    }
    if (
      root.subjectKeyId &&
      root.subjectKeyId === keyId &&
      root.subject.key === (kind === "ca" ? cert.subject.key : cert.issuer.key)
    ) {
      generation = r.generation;
    }
  }
  const localities = nameAttributes(cert.subject, "2.5.4.7");
  const result: TJpkiCertificate = {
    kind,
    hierarchy: hierarchyOf(cert),
    serialHex: cert.serialHex,
    serial: cert.serial,
    issuer: cert.issuer.text,
    subject: cert.subject.text,
    subjectCommonName: cn,
    generationHint: { keyId, generation },
    tokenType: inferTokenType(kind, cn),
    notBefore: cert.notBefore,
    notAfter: cert.notAfter,
    policies,
    keyUsage: KU_NAMES.filter((_, i) => (ku & (1 << i)) !== 0),
    extendedKeyUsage: eku,
    locality:
      kind === "sign" && localities.length > 0 ? { prefecture: localities[0], municipality: localities[1] } : undefined,
    facts,
    certificate: cert,
  };
  if (!options.roots) described.set(cert, result);
  return result;
}

/** Descriptions of cached parses (parseCertificateCached returns the same object for the same DER). */
const described = new WeakMap<TCertificate, TJpkiCertificate>();

/** True when the certificate's key usage allows signing documents (digitalSignature or nonRepudiation). */
export function allowsDocumentSignature(cert: TCertificate): boolean {
  return cert.keyUsage === undefined || (cert.keyUsage & (KeyUsage.digitalSignature | KeyUsage.nonRepudiation)) !== 0;
}

/**
 * Parses `der` and insists on a JPKI certificate of `kind` (docs/jpki.md#simulation-decisions: the
 * verifier refuses a signing certificate offered for login, and an auth certificate offered for
 * a signature). Throws CERT_WRONG_PURPOSE, or the parse errors of {@link parseJpkiCertificate}.
 */
export function requireJpkiCertificate(der: Uint8Array, kind: "auth" | "sign"): TJpkiCertificate {
  const j = parseJpkiCertificate(der);
  if (j.kind !== kind) {
    throw new AppError("CERT_WRONG_PURPOSE", {
      message: `expected a JPKI ${kind} certificate, got ${j.kind}`,
      details: { expected: kind, actual: j.kind },
    });
  }
  return j;
}

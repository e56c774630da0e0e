/**
 * Stateless minting of JPKI certificates and CRLs for the simulated J-LIS (docs/jpki.md#the-two-certificates, #simulation-decisions).
 *
 * Certificates are built with @peculiar/x509's generator; the extensions it cannot express
 * (otherName SANs, DirName CRL distribution points, a policy with a CPS qualifier) are encoded
 * with the small DER writer, which also writes CRLs of any size (see ./crl.ts).
 * RSA-2048 and sha256WithRSAEncryption everywhere (docs/jpki.md#roots-and-hierarchies).
 */
import "reflect-metadata";
import * as x509 from "@peculiar/x509";
import { AppError } from "@/lib/errors/app-error";
import { type Bytes, ctx, NULL, oid, seq, tlv } from "./der-writer";
import { directoryName } from "../names";
import {
  type CaPurpose,
  caName,
  GENDER_CODES,
  type Hierarchy,
  JPKI_CPS_URI,
  jpkiServiceName,
  OID_EXT_CERTIFICATE_POLICIES,
  OID_EXT_CRL_DISTRIBUTION_POINTS,
  OID_EXT_ISSUER_ALT_NAME,
  OID_EXT_SUBJECT_ALT_NAME,
  OID_JPKI_ADDRESS,
  OID_JPKI_ADDRESS_FLAGS,
  OID_JPKI_DATE_OF_BIRTH,
  OID_JPKI_GENDER,
  OID_JPKI_NAME,
  OID_JPKI_NAME_FLAGS,
  OID_KP_OCSP_SIGNING,
  OID_OCSP_NOCHECK,
  OID_POLICY_AUTH,
  OID_POLICY_SIGN,
  OID_POLICY_SIGN_TEST,
  OID_QT_CPS,
  ocspResponderName,
  signCrlDistributionPointName,
  type TokenType,
} from "./profiles";
import { ageOn, encodeEraDate, jpkiValidityEnd, jstDateOf, jstStartOfDay, parseCalendarDate } from "./validity";

export type { CaPurpose, Hierarchy, TokenType } from "./profiles";
export { TOKEN_LABELS } from "./profiles";
export { type CrlEntry, type RevocationReason, buildCrl, type BuildCrlOptions } from "./crl";
export { jpkiValidityEnd } from "./validity";

x509.cryptoProvider.set(globalThis.crypto);

/** RSASSA-PKCS1-v1_5 with SHA-256, the only signature algorithm of JPKI (docs/jpki.md#roots-and-hierarchies). */
export const RSA_SHA256: RsaHashedKeyGenParams = {
  name: "RSASSA-PKCS1-v1_5",
  hash: "SHA-256",
  modulusLength: 2048,
  publicExponent: new Uint8Array([1, 0, 1]),
};

/** A root CA of one purpose and generation, with its key pair. */
export type SimCa = {
  purpose: CaPurpose;
  generation: number;
  hierarchy: Hierarchy;
  /** DER of the self-signed root certificate. */
  certificate: Uint8Array;
  keys: CryptoKeyPair;
};

export type Gender = "male" | "female" | "unknown";

/** The four basic facts (基本4情報) as the signing certificate carries them (docs/jpki.md#the-four-basic-facts). */
export type FourFacts = {
  /** Surname, U+3000 (full-width space), given name. */
  name: string;
  /** From the prefecture, no postcode, full-width, at most 200 characters. */
  address: string;
  /** YYYY-MM-DD (Gregorian); encoded era-first in the certificate. */
  dateOfBirth: string;
  gender: Gender;
  /** Substitute-character flags of the name (`0`/`1` per character); default all `0`. */
  nameFlags?: string;
  /** Substitute-character flags of the address; default all `0`. */
  addressFlags?: string;
};

/** A fresh extractable RSA-2048 key pair for RSASSA-PKCS1-v1_5 / SHA-256. */
export async function generateRsaKeyPair(): Promise<CryptoKeyPair> {
  return (await globalThis.crypto.subtle.generateKey(RSA_SHA256, true, ["sign", "verify"])) as CryptoKeyPair;
}

function serialHex(serial: bigint): string {
  if (serial <= 0n) throw new AppError("VALIDATION_FAILED", { message: "Certificate serial numbers are positive." });
  if (serial >= 1n << 159n) throw new AppError("VALIDATION_FAILED", { message: "Serial exceeds 20 octets." });
  const hex = serial.toString(16);
  return hex.length % 2 ? `0${hex}` : hex;
}

function ext(oidValue: string, critical: boolean, value: Bytes): x509.Extension {
  return new x509.Extension(oidValue, critical, value);
}

/** CRLDistributionPoints with one DistributionPoint whose fullName is a DirName (RFC 5280 §4.2.1.13). */
function crlDistributionPoint(name: x509.JsonNameParams): x509.Extension {
  // DistributionPoint.distributionPoint [0] (a CHOICE: explicit) → fullName [0] IMPLICIT GeneralNames.
  const dp = seq(tlv(ctx(0, true), tlv(ctx(0, true), directoryName(name))));
  return ext(OID_EXT_CRL_DISTRIBUTION_POINTS, false, seq(dp));
}

/** `[0] EXPLICIT UTF8String` inside an otherName `[0] IMPLICIT` (docs/jpki.md#the-four-basic-facts). */
function otherNameUtf8(typeId: string, value: string): Uint8Array {
  return tlv(ctx(0, true), oid(typeId), tlv(ctx(0, true), tlv(0x0c, new TextEncoder().encode(value))));
}

function certificatePolicies(policy: string, cps: string | undefined, critical: boolean): x509.Extension {
  const qualifiers = cps ? [seq(seq(oid(OID_QT_CPS), tlv(0x16, new TextEncoder().encode(cps))))] : [];
  return ext(OID_EXT_CERTIFICATE_POLICIES, critical, seq(seq(oid(policy), ...qualifiers)));
}

function issuerAltName(): x509.Extension {
  return ext(OID_EXT_ISSUER_ALT_NAME, false, seq(directoryName(jpkiServiceName())));
}

async function authorityKeyId(ca: SimCa): Promise<x509.AuthorityKeyIdentifierExtension> {
  const ski = await x509.SubjectKeyIdentifierExtension.create(ca.keys.publicKey);
  return new x509.AuthorityKeyIdentifierExtension(ski.keyId, false);
}

async function sign(o: {
  ca: SimCa | undefined;
  subject: x509.JsonNameParams;
  issuer: x509.JsonNameParams;
  serialNumber: bigint;
  notBefore: Date;
  notAfter: Date;
  publicKey: CryptoKey;
  signingKey: CryptoKey;
  extensions: x509.Extension[];
}): Promise<Bytes> {
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serialHex(o.serialNumber),
    subject: new x509.Name(o.subject),
    issuer: new x509.Name(o.issuer),
    notBefore: o.notBefore,
    notAfter: o.notAfter,
    publicKey: o.publicKey,
    signingKey: o.signingKey,
    signingAlgorithm: { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" },
    extensions: o.extensions,
  });
  return new Uint8Array(cert.rawData);
}

export type CreateRootCaOptions = {
  purpose: CaPurpose;
  generation: number;
  hierarchy?: Hierarchy;
  notBefore: Date;
  notAfter: Date;
  keys?: CryptoKeyPair;
  /** Default: the generation number (gen 01 of the real roots has serial 1, docs/jpki.md#roots-and-hierarchies). */
  serialNumber?: bigint;
};

/**
 * A self-signed JPKI root (docs/jpki.md#roots-and-hierarchies): the purpose's shared DN, keyUsage critical
 * keyCertSign+cRLSign, basicConstraints critical CA:TRUE, SKI, SAN DirName
 * `C=JP, O=公的個人認証サービス`, and a CRL DP naming its own DN (the ARL).
 */
export async function createRootCa(o: CreateRootCaOptions): Promise<SimCa> {
  const hierarchy = o.hierarchy ?? "production";
  const keys = o.keys ?? (await generateRsaKeyPair());
  const name = caName(o.purpose, hierarchy);
  const certificate = await sign({
    ca: undefined,
    subject: name,
    issuer: name,
    serialNumber: o.serialNumber ?? BigInt(o.generation),
    notBefore: o.notBefore,
    notAfter: o.notAfter,
    publicKey: keys.publicKey,
    signingKey: keys.privateKey,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      ext(OID_EXT_SUBJECT_ALT_NAME, false, seq(directoryName(jpkiServiceName()))),
      crlDistributionPoint(name),
    ],
  });
  return { purpose: o.purpose, generation: o.generation, hierarchy, certificate, keys };
}

function assertCa(ca: SimCa, purpose: CaPurpose): void {
  if (ca.purpose !== purpose) {
    throw new AppError("VALIDATION_FAILED", { message: `A ${purpose} certificate needs a ${purpose} CA.` });
  }
}

function assertMunicipalityCode(code: string): void {
  // JIS X 0402 local government code, with or without its check digit.
  if (!/^\d{5,6}$/.test(code)) {
    throw new AppError("VALIDATION_FAILED", { message: `Municipality code must be 5 or 6 digits: ${code}` });
  }
}

const ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

/**
 * A 23-character opaque auth CN shaped like J-LIS's test-card sample `997794E9AGCIEG13221003A`
 * (docs/jpki.md#user-authentication-certificate): 14 characters derived from the serial, the 5-digit municipality code, a
 * 3-digit sequence, and a token letter (A card, G Android, I iPhone — a simulation choice).
 */
async function authCommonName(serial: bigint, municipalityCode: string, tokenType: TokenType): Promise<string> {
  const digest = new Uint8Array(
    await globalThis.crypto.subtle.digest("SHA-256", new TextEncoder().encode(`jpki-auth-cn:${serial}`)),
  );
  const head = Array.from(digest.subarray(0, 14), (b) => ALNUM[b % 36]).join("");
  const seqNo = String(serial % 1000n).padStart(3, "0");
  const letter = { card: "A", android: "G", iphone: "I" }[tokenType];
  return `${head}${municipalityCode.slice(0, 5)}${seqNo}${letter}`;
}

/**
 * Sign CN `<YYYYMMDDhhmmss of request, JST><5-digit sequence><9-char window id>` (docs/jpki.md#signing-certificate).
 * The window id is the municipality code + `0001` for cards; mobile certificates are requested
 * online, so they carry a channel id instead (`APGPSE001`, `APIOS0001`; a simulation choice).
 */
function signCommonName(issuedAt: Date, serial: bigint, municipalityCode: string, tokenType: TokenType): string {
  const d = jstDateOf(issuedAt);
  const jst = new Date(issuedAt.getTime() + 9 * 3600_000).toISOString();
  const stamp = `${d.year}${String(d.month).padStart(2, "0")}${String(d.day).padStart(2, "0")}${jst.slice(11, 13)}${jst.slice(14, 16)}${jst.slice(17, 19)}`;
  const window = { card: `${municipalityCode.slice(0, 5)}0001`, android: "APGPSE001", iphone: "APIOS0001" }[tokenType];
  return `${stamp}${String(serial % 100000n).padStart(5, "0")}${window}`;
}

export type IssueAuthCertificateOptions = {
  ca: SimCa;
  subjectPublicKey: CryptoKey;
  serialNumber: bigint;
  municipalityCode: string;
  issuedAt: Date;
  dateOfBirth: string;
  tokenType?: TokenType;
  /** Default: {@link jpkiValidityEnd}. */
  notAfter?: Date;
  /** Default: an opaque 23-character id derived from the serial. */
  subjectCommonName?: string;
};

/**
 * 利用者証明用電子証明書 (docs/jpki.md#user-authentication-certificate): subject `C=JP, CN=<opaque>`, keyUsage critical
 * digitalSignature, policy 1.2.392.200149.8.5.1.3.30 (not critical), no EKU, no personal data,
 * issuerAltName, AKI/SKI; valid from 00:00 JST on the issue day to the fifth birthday.
 */
export async function issueAuthCertificate(o: IssueAuthCertificateOptions): Promise<Bytes> {
  assertCa(o.ca, "auth");
  assertMunicipalityCode(o.municipalityCode);
  parseCalendarDate(o.dateOfBirth);
  const tokenType = o.tokenType ?? "card";
  const cn = o.subjectCommonName ?? (await authCommonName(o.serialNumber, o.municipalityCode, tokenType));
  return sign({
    ca: o.ca,
    subject: [{ C: [{ printableString: "JP" }] }, { CN: [{ printableString: cn }] }],
    issuer: caName("auth", o.ca.hierarchy),
    serialNumber: o.serialNumber,
    notBefore: jstStartOfDay(o.issuedAt),
    notAfter: o.notAfter ?? jpkiValidityEnd(o.dateOfBirth, o.issuedAt),
    publicKey: o.subjectPublicKey,
    signingKey: o.ca.keys.privateKey,
    extensions: [
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      certificatePolicies(OID_POLICY_AUTH, undefined, false),
      issuerAltName(),
      await authorityKeyId(o.ca),
      await x509.SubjectKeyIdentifierExtension.create(o.subjectPublicKey),
    ],
  });
}

export type IssueSignCertificateOptions = {
  ca: SimCa;
  subjectPublicKey: CryptoKey;
  serialNumber: bigint;
  facts: FourFacts;
  /** e.g. `Tokyo-to` (subject L and the CRL DP's OU). */
  prefectureRomaji: string;
  /** e.g. `Kiyose-shi` (subject L and the CRL DP's CN). */
  municipalityRomaji: string;
  municipalityCode: string;
  issuedAt: Date;
  tokenType?: TokenType;
  /** Default: {@link jpkiValidityEnd}. */
  notAfter?: Date;
  /** Default: `<timestamp><sequence><window id>` (docs/jpki.md#signing-certificate). */
  subjectCommonName?: string;
};

const MAX_ADDRESS_CHARS = 200;

/** The six otherNames in the order of real dumps (docs/jpki.md#the-four-basic-facts). */
export function fourFactsSan(facts: FourFacts): Bytes {
  const nameChars = [...facts.name].length;
  const addressChars = [...facts.address].length;
  if (!facts.name.includes("\u3000")) {
    throw new AppError("VALIDATION_FAILED", { message: "The name is surname, U+3000, given name." });
  }
  if (addressChars === 0 || addressChars > MAX_ADDRESS_CHARS) {
    throw new AppError("VALIDATION_FAILED", { message: `The address has 1–${MAX_ADDRESS_CHARS} characters.` });
  }
  for (const [label, flags] of [
    ["nameFlags", facts.nameFlags],
    ["addressFlags", facts.addressFlags],
  ] as const) {
    if (flags !== undefined && !/^[01]*$/.test(flags)) {
      throw new AppError("VALIDATION_FAILED", { message: `${label} is a string of 0 and 1.` });
    }
  }
  return seq(
    otherNameUtf8(OID_JPKI_NAME, facts.name),
    otherNameUtf8(OID_JPKI_DATE_OF_BIRTH, encodeEraDate(facts.dateOfBirth)),
    otherNameUtf8(OID_JPKI_GENDER, GENDER_CODES[facts.gender]),
    otherNameUtf8(OID_JPKI_ADDRESS, facts.address),
    otherNameUtf8(OID_JPKI_NAME_FLAGS, facts.nameFlags ?? "0".repeat(nameChars)),
    otherNameUtf8(OID_JPKI_ADDRESS_FLAGS, facts.addressFlags ?? "0".repeat(addressChars)),
  );
}

/**
 * 署名用電子証明書 (docs/jpki.md#signing-certificate, #the-four-basic-facts): subject `C=JP, L=<pref>, L=<city>, CN=<request id>`,
 * keyUsage critical digitalSignature+nonRepudiation, critical policy …8.5.1.1.20 (test
 * hierarchy …8.5.1.0.20) with the CPS URI, SAN with the six otherNames, issuerAltName, a
 * per-municipality DirName CRL DP, AKI/SKI. Refuses a holder under 15 on the issue day
 * (AppError JLIS_HOLDER_UNDER_15).
 */
export async function issueSignCertificate(o: IssueSignCertificateOptions): Promise<Bytes> {
  assertCa(o.ca, "sign");
  assertMunicipalityCode(o.municipalityCode);
  if (ageOn(o.facts.dateOfBirth, o.issuedAt) < 15) {
    throw new AppError("JLIS_HOLDER_UNDER_15", { details: { dateOfBirth: o.facts.dateOfBirth } });
  }
  const tokenType = o.tokenType ?? "card";
  const cn = o.subjectCommonName ?? signCommonName(o.issuedAt, o.serialNumber, o.municipalityCode, tokenType);
  const policy = o.ca.hierarchy === "test" ? OID_POLICY_SIGN_TEST : OID_POLICY_SIGN;
  return sign({
    ca: o.ca,
    subject: [
      { C: [{ printableString: "JP" }] },
      { L: [{ printableString: o.prefectureRomaji }] },
      { L: [{ printableString: o.municipalityRomaji }] },
      { CN: [{ printableString: cn }] },
    ],
    issuer: caName("sign", o.ca.hierarchy),
    serialNumber: o.serialNumber,
    notBefore: jstStartOfDay(o.issuedAt),
    notAfter: o.notAfter ?? jpkiValidityEnd(o.facts.dateOfBirth, o.issuedAt),
    publicKey: o.subjectPublicKey,
    signingKey: o.ca.keys.privateKey,
    extensions: [
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation, true),
      certificatePolicies(policy, JPKI_CPS_URI, true),
      ext(OID_EXT_SUBJECT_ALT_NAME, false, fourFactsSan(o.facts)),
      issuerAltName(),
      crlDistributionPoint(
        signCrlDistributionPointName({
          hierarchy: o.ca.hierarchy,
          prefectureRomaji: o.prefectureRomaji,
          municipalityRomaji: o.municipalityRomaji,
        }),
      ),
      await authorityKeyId(o.ca),
      await x509.SubjectKeyIdentifierExtension.create(o.subjectPublicKey),
    ],
  });
}

export type IssueOcspResponderCertificateOptions = {
  ca: SimCa;
  subjectPublicKey: CryptoKey;
  serialNumber: bigint;
  notBefore: Date;
  notAfter: Date;
};

/**
 * A delegated OCSP responder certificate issued by `ca` (RFC 6960 §4.2.2.2): keyUsage critical
 * digitalSignature, EKU id-kp-OCSPSigning, id-pkix-ocsp-nocheck, AKI/SKI.
 */
export async function issueOcspResponderCertificate(o: IssueOcspResponderCertificateOptions): Promise<Bytes> {
  return sign({
    ca: o.ca,
    subject: ocspResponderName(o.ca.purpose, o.ca.hierarchy, o.ca.generation),
    issuer: caName(o.ca.purpose, o.ca.hierarchy),
    serialNumber: o.serialNumber,
    notBefore: o.notBefore,
    notAfter: o.notAfter,
    publicKey: o.subjectPublicKey,
    signingKey: o.ca.keys.privateKey,
    extensions: [
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([OID_KP_OCSP_SIGNING], false),
      ext(OID_OCSP_NOCHECK, false, NULL),
      await authorityKeyId(o.ca),
      await x509.SubjectKeyIdentifierExtension.create(o.subjectPublicKey),
    ],
  });
}

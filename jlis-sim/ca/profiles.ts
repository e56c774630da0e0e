/**
 * Constants of the JPKI certificate profiles the simulated J-LIS reproduces (docs/jpki.md#the-two-certificates, #simulation-decisions).
 * Everything here is data: distinguished names in ASN.1 order, OIDs, token labels.
 */
import type { JsonNameParams } from "@peculiar/x509";

/** Purpose of a JPKI root: 利用者証明用 ("auth") or 署名用 ("sign"). */
export type CaPurpose = "auth" | "sign";
/** Production roots (O=JPKI) or J-LIS's test-card hierarchy (O=JPKI-TEST) (docs/jpki.md#roots-and-hierarchies). */
export type Hierarchy = "production" | "test";
/** Where the key pair lives: the IC card, an Android secure element, or an iPhone (docs/jpki.md#mobile-tokens-and-cross-device-login). */
export type TokenType = "card" | "android" | "iphone";

/** sha256WithRSAEncryption (docs/jpki.md#roots-and-hierarchies). */
export const OID_SHA256_WITH_RSA = "1.2.840.113549.1.1.11";

/** User-authentication certificate policy (class 30, docs/jpki.md#user-authentication-certificate; assumed, not seen in a dump). */
export const OID_POLICY_AUTH = "1.2.392.200149.8.5.1.3.30";
/** Production signing certificate policy (class 20, docs/jpki.md#signing-certificate). */
export const OID_POLICY_SIGN = "1.2.392.200149.8.5.1.1.20";
/** Signing policy of J-LIS test cards (docs/jpki.md#roots-and-hierarchies). */
export const OID_POLICY_SIGN_TEST = "1.2.392.200149.8.5.1.0.20";
/** CPS qualifier URI carried by the signing policy (docs/jpki.md#signing-certificate). */
export const JPKI_CPS_URI = "http://www.jpki.go.jp/cps.html";
/** id-qt-cps (RFC 5280 §4.2.1.4). */
export const OID_QT_CPS = "1.3.6.1.5.5.7.2.1";

/** The four facts and the two substitute-character flag strings in the signing cert's SAN (docs/jpki.md#the-four-basic-facts). */
export const OID_JPKI_NAME = "1.2.392.200149.8.5.5.1";
export const OID_JPKI_NAME_FLAGS = "1.2.392.200149.8.5.5.2";
export const OID_JPKI_GENDER = "1.2.392.200149.8.5.5.3";
export const OID_JPKI_DATE_OF_BIRTH = "1.2.392.200149.8.5.5.4";
export const OID_JPKI_ADDRESS = "1.2.392.200149.8.5.5.5";
export const OID_JPKI_ADDRESS_FLAGS = "1.2.392.200149.8.5.5.6";
/** SAN otherName order as seen in real dumps: 5.5.1, 5.5.4, 5.5.3, 5.5.5, 5.5.2, 5.5.6 (docs/jpki.md#the-four-basic-facts). */
export const JPKI_SAN_ORDER = [
  OID_JPKI_NAME,
  OID_JPKI_DATE_OF_BIRTH,
  OID_JPKI_GENDER,
  OID_JPKI_ADDRESS,
  OID_JPKI_NAME_FLAGS,
  OID_JPKI_ADDRESS_FLAGS,
] as const;

/** id-kp-OCSPSigning (RFC 6960 §4.2.2.2). */
export const OID_KP_OCSP_SIGNING = "1.3.6.1.5.5.7.3.9";
/** id-pkix-ocsp-nocheck (RFC 6960 §4.2.2.2.1). */
export const OID_OCSP_NOCHECK = "1.3.6.1.5.5.7.48.1.5";

/** Extension OIDs written by hand (RFC 5280 §4.2.1). */
export const OID_EXT_SUBJECT_ALT_NAME = "2.5.29.17";
export const OID_EXT_ISSUER_ALT_NAME = "2.5.29.18";
export const OID_EXT_CERTIFICATE_POLICIES = "2.5.29.32";
export const OID_EXT_CRL_DISTRIBUTION_POINTS = "2.5.29.31";
export const OID_EXT_AUTHORITY_KEY_IDENTIFIER = "2.5.29.35";
export const OID_EXT_CRL_NUMBER = "2.5.29.20";
export const OID_EXT_ISSUING_DISTRIBUTION_POINT = "2.5.29.28";
export const OID_EXT_CRL_REASON = "2.5.29.21";

/** PKCS#11 token labels in EF 0006 of each token type (docs/jpki.md#card-files-and-token-labels). */
export const TOKEN_LABELS = {
  card: "JPKIAPICCTOKEN2",
  android: "JPKIAPGPSETOKEN",
  iphone: "JPKIAPIOSTOKEN",
} as const satisfies Record<TokenType, string>;

const AGENCY_OU = "Japan Agency for Local Authority Information Systems";
const PURPOSE_OU: Record<CaPurpose, string> = {
  auth: "JPKI for user authentication",
  sign: "JPKI for digital signature",
};

/** `O=JPKI` or `O=JPKI-TEST`. */
export function organizationOf(hierarchy: Hierarchy): string {
  return hierarchy === "test" ? "JPKI-TEST" : "JPKI";
}

/**
 * The root DN, in ASN.1 order: `C=JP, O=JPKI, OU=JPKI for …, OU=Japan Agency for Local Authority
 * Information Systems` (docs/jpki.md#roots-and-hierarchies). Every generation of one purpose shares it.
 */
export function caName(purpose: CaPurpose, hierarchy: Hierarchy): JsonNameParams {
  return [
    { C: [{ printableString: "JP" }] },
    { O: [{ printableString: organizationOf(hierarchy) }] },
    { OU: [{ printableString: PURPOSE_OU[purpose] }] },
    { OU: [{ printableString: AGENCY_OU }] },
  ];
}

/** `C=JP, O=公的個人認証サービス` (UTF8String): root SAN and EE issuerAltName (docs/jpki.md#roots-and-hierarchies). */
export function jpkiServiceName(): JsonNameParams {
  return [{ C: [{ printableString: "JP" }] }, { O: [{ utf8String: "公的個人認証サービス" }] }];
}

/**
 * The per-municipality CRL distribution point of signing certificates, in ASN.1 order
 * `C=JP, O=JPKI, OU=JPKI for digital signature, OU=CRL Distribution Points, OU=<Prefecture>,
 * CN=<City> CRLDP` (printed CN-first in docs/jpki.md#signing-certificate).
 */
export function signCrlDistributionPointName(o: {
  hierarchy: Hierarchy;
  prefectureRomaji: string;
  municipalityRomaji: string;
}): JsonNameParams {
  return [
    { C: [{ printableString: "JP" }] },
    { O: [{ printableString: organizationOf(o.hierarchy) }] },
    { OU: [{ printableString: PURPOSE_OU.sign }] },
    { OU: [{ printableString: "CRL Distribution Points" }] },
    { OU: [{ printableString: o.prefectureRomaji }] },
    { CN: [{ printableString: `${o.municipalityRomaji} CRLDP` }] },
  ];
}

/** Subject of the delegated OCSP responder certificate of one CA (a simulation choice). */
export function ocspResponderName(purpose: CaPurpose, hierarchy: Hierarchy, generation: number): JsonNameParams {
  return [
    ...caName(purpose, hierarchy),
    { CN: [{ printableString: `OCSP Responder ${String(generation).padStart(2, "0")}` }] },
  ];
}

/** Japanese era digits of the `EYYYYMMDD` birth date (docs/jpki.md#the-four-basic-facts), newest first with their first day. */
export const ERAS = [
  { digit: 5, ja: "令和", en: "Reiwa", start: "2019-05-01" },
  { digit: 4, ja: "平成", en: "Heisei", start: "1989-01-08" },
  { digit: 3, ja: "昭和", en: "Showa", start: "1926-12-25" },
  { digit: 2, ja: "大正", en: "Taisho", start: "1912-07-30" },
  // 明治元年1月1日 (lunar) = 1868-01-25 Gregorian; earlier dates encode as era 0 (unknown).
  { digit: 1, ja: "明治", en: "Meiji", start: "1868-01-25" },
] as const;

/** Gender codes of OID 5.5.3: 1 male, 2 female, 3 unknown (docs/jpki.md#the-four-basic-facts). */
export const GENDER_CODES = { male: "1", female: "2", unknown: "3" } as const;

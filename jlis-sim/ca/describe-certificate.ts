/**
 * Decode a JPKI certificate for people (`npm run jpki -- inspect`): kind, serial, issuing root
 * generation, validity in JST, policies, and for a signing certificate the four facts with the
 * era-coded birth date (docs/jpki.md#the-two-certificates). Output is bilingual, Japanese first.
 */
import "reflect-metadata";
import * as x509 from "@peculiar/x509";
import * as asn1js from "asn1js";
import { AppError } from "@/lib/errors/app-error";
import {
  OID_EXT_CERTIFICATE_POLICIES,
  OID_EXT_CRL_DISTRIBUTION_POINTS,
  OID_EXT_SUBJECT_ALT_NAME,
  OID_JPKI_ADDRESS,
  OID_JPKI_ADDRESS_FLAGS,
  OID_JPKI_DATE_OF_BIRTH,
  OID_JPKI_GENDER,
  OID_JPKI_NAME,
  OID_JPKI_NAME_FLAGS,
  OID_KP_OCSP_SIGNING,
  OID_POLICY_AUTH,
  OID_POLICY_SIGN,
  OID_POLICY_SIGN_TEST,
  OID_QT_CPS,
} from "./profiles";
import { decodeEraDate, formatJst } from "./validity";

export type CertificateKind = "auth" | "sign" | "ca" | "ocsp-responder" | "other";

export type JpkiCertificateDescription = {
  kind: CertificateKind;
  serialHex: string;
  subject: string;
  issuer: string;
  /** The known root whose key signed it (roots share a DN, so only the key tells). */
  issuerRoot?: { label: string; generation: number };
  notBefore: Date;
  notAfter: Date;
  policies: { oid: string; critical: boolean; cps?: string }[];
  keyUsage: string[];
  crlDistributionPoints: string[];
  facts?: {
    name?: string;
    nameFlags?: string;
    dateOfBirthCoded?: string;
    dateOfBirth?: string;
    era?: { ja: string; en: string; year: number };
    gender?: string;
    address?: string;
    addressFlags?: string;
  };
};

const KEY_USAGE_NAMES: [x509.KeyUsageFlags, string][] = [
  [x509.KeyUsageFlags.digitalSignature, "digitalSignature"],
  [x509.KeyUsageFlags.nonRepudiation, "nonRepudiation"],
  [x509.KeyUsageFlags.keyEncipherment, "keyEncipherment"],
  [x509.KeyUsageFlags.dataEncipherment, "dataEncipherment"],
  [x509.KeyUsageFlags.keyAgreement, "keyAgreement"],
  [x509.KeyUsageFlags.keyCertSign, "keyCertSign"],
  [x509.KeyUsageFlags.cRLSign, "cRLSign"],
];

function children(node: asn1js.AsnType): asn1js.AsnType[] {
  return node instanceof asn1js.Constructed ? node.valueBlock.value : [];
}

function parse(value: ArrayBuffer): asn1js.AsnType {
  const r = asn1js.fromBER(value);
  if (r.offset === -1) throw new AppError("CERT_MALFORMED", { message: r.result.error });
  return r.result;
}

function policiesOf(cert: x509.X509Certificate): JpkiCertificateDescription["policies"] {
  const ext = cert.extensions.find((e) => e.type === OID_EXT_CERTIFICATE_POLICIES);
  if (!ext) return [];
  return children(parse(ext.value)).map((info) => {
    const [id, qualifiers] = children(info);
    const cps = children(qualifiers ?? new asn1js.Sequence())
      .map((q) => children(q))
      .find(([qid]) => (qid as asn1js.ObjectIdentifier).valueBlock.toString() === OID_QT_CPS)?.[1];
    return {
      oid: (id as asn1js.ObjectIdentifier).valueBlock.toString(),
      critical: ext.critical,
      ...(cps ? { cps: (cps as asn1js.IA5String).valueBlock.value } : {}),
    };
  });
}

function dirNames(generalNames: asn1js.AsnType[]): string[] {
  return generalNames
    .filter((gn) => gn.idBlock.tagClass === 3 && gn.idBlock.tagNumber === 4)
    .map((gn) => new x509.Name(children(gn)[0]!.toBER()).toString());
}

function crlDpsOf(cert: x509.X509Certificate): string[] {
  const ext = cert.extensions.find((e) => e.type === OID_EXT_CRL_DISTRIBUTION_POINTS);
  if (!ext) return [];
  return children(parse(ext.value)).flatMap((dp) => {
    const name = children(dp).find((f) => f.idBlock.tagClass === 3 && f.idBlock.tagNumber === 0);
    const fullName = name ? children(name)[0] : undefined;
    return fullName ? dirNames(children(fullName)) : [];
  });
}

function otherNamesOf(cert: x509.X509Certificate): Map<string, string> {
  const out = new Map<string, string>();
  const ext = cert.extensions.find((e) => e.type === OID_EXT_SUBJECT_ALT_NAME);
  if (!ext) return out;
  for (const gn of children(parse(ext.value))) {
    if (gn.idBlock.tagClass !== 3 || gn.idBlock.tagNumber !== 0) continue;
    const [typeId, explicit] = children(gn);
    const value = explicit ? children(explicit)[0] : undefined;
    if (typeId instanceof asn1js.ObjectIdentifier && value instanceof asn1js.Utf8String) {
      out.set(typeId.valueBlock.toString(), value.valueBlock.value);
    }
  }
  return out;
}

/**
 * Describe a certificate (DER). `roots` (label + DER) lets the issuing root generation be named
 * by matching the signature against each root key.
 */
export async function describeJpkiCertificate(
  der: Uint8Array,
  roots: { label: string; generation: number; certificate: Uint8Array }[] = [],
): Promise<JpkiCertificateDescription> {
  let cert: x509.X509Certificate;
  try {
    cert = new x509.X509Certificate(new Uint8Array(der));
  } catch (e) {
    throw new AppError("CERT_MALFORMED", { cause: e });
  }
  const policies = policiesOf(cert);
  const ku = cert.getExtension(x509.KeyUsagesExtension);
  const eku = cert.getExtension(x509.ExtendedKeyUsageExtension);
  const bc = cert.getExtension(x509.BasicConstraintsExtension);
  let kind: CertificateKind = "other";
  if (bc?.ca) kind = "ca";
  else if (eku?.usages.includes(OID_KP_OCSP_SIGNING)) kind = "ocsp-responder";
  else if (policies.some((p) => p.oid === OID_POLICY_AUTH)) kind = "auth";
  else if (policies.some((p) => p.oid === OID_POLICY_SIGN || p.oid === OID_POLICY_SIGN_TEST)) kind = "sign";

  let issuerRoot: JpkiCertificateDescription["issuerRoot"];
  for (const root of roots) {
    const rootCert = new x509.X509Certificate(new Uint8Array(root.certificate));
    if (rootCert.subject !== cert.issuer) continue;
    if (await cert.verify({ publicKey: rootCert.publicKey, signatureOnly: true })) {
      issuerRoot = { label: root.label, generation: root.generation };
      break;
    }
  }

  const names = otherNamesOf(cert);
  let facts: JpkiCertificateDescription["facts"];
  if (names.size > 0) {
    const coded = names.get(OID_JPKI_DATE_OF_BIRTH);
    const decoded = coded ? decodeEraDate(coded) : undefined;
    facts = {
      name: names.get(OID_JPKI_NAME),
      nameFlags: names.get(OID_JPKI_NAME_FLAGS),
      dateOfBirthCoded: coded,
      dateOfBirth: decoded?.date,
      era:
        decoded?.era && decoded.eraYear !== undefined
          ? { ja: decoded.era.ja, en: decoded.era.en, year: decoded.eraYear }
          : undefined,
      gender: names.get(OID_JPKI_GENDER),
      address: names.get(OID_JPKI_ADDRESS),
      addressFlags: names.get(OID_JPKI_ADDRESS_FLAGS),
    };
  }
  return {
    kind,
    serialHex: cert.serialNumber,
    subject: cert.subject,
    issuer: cert.issuer,
    issuerRoot,
    notBefore: cert.notBefore,
    notAfter: cert.notAfter,
    policies,
    keyUsage: ku ? KEY_USAGE_NAMES.filter(([flag]) => ku.usages & flag).map(([, n]) => n) : [],
    crlDistributionPoints: crlDpsOf(cert),
    facts,
  };
}

const KIND_LABELS: Record<CertificateKind, string> = {
  auth: "利用者証明用電子証明書 / user authentication certificate",
  sign: "署名用電子証明書 / digital signature certificate",
  ca: "ルート認証局証明書 / root CA certificate",
  "ocsp-responder": "OCSPレスポンダ証明書 / OCSP responder certificate",
  other: "その他 / other",
};
const GENDER_LABELS: Record<string, string> = { "1": "男 / male", "2": "女 / female", "3": "不明 / unknown" };

/** The description as bilingual `label: value` lines (Japanese / English). */
export function formatJpkiDescription(d: JpkiCertificateDescription): string[] {
  const lines = [
    `種別 / Kind: ${KIND_LABELS[d.kind]}`,
    `シリアル番号 / Serial: 0x${d.serialHex} (${BigInt(`0x${d.serialHex}`)})`,
    `主体者 / Subject: ${d.subject}`,
    `発行者 / Issuer: ${d.issuer}`,
    `発行元ルート / Issuing root: ${d.issuerRoot ? `${d.issuerRoot.label} (第${d.issuerRoot.generation}世代 / generation ${d.issuerRoot.generation})` : "不明 / unknown (no known root key verifies it)"}`,
    `有効期間 / Validity: ${formatJst(d.notBefore)} – ${formatJst(d.notAfter)}`,
    `鍵用途 / Key usage: ${d.keyUsage.join(", ") || "—"}`,
    ...d.policies.map(
      (p) => `証明書ポリシー / Policy: ${p.oid}${p.critical ? " (critical)" : ""}${p.cps ? ` CPS ${p.cps}` : ""}`,
    ),
    ...d.crlDistributionPoints.map((dp) => `CRL配布点 / CRL distribution point: ${dp}`),
  ];
  const f = d.facts;
  if (f) {
    const eraText = f.era
      ? `${f.era.ja}${f.era.year === 1 ? "元" : f.era.year}年 / ${f.era.en} ${f.era.year}`
      : "元号不明 / era unknown";
    lines.push(
      `氏名 / Name: ${f.name ?? "—"}`,
      `生年月日 / Date of birth: ${f.dateOfBirth ?? "—"} (${eraText}) [${f.dateOfBirthCoded ?? "—"}]`,
      `性別 / Gender: ${f.gender ? (GENDER_LABELS[f.gender] ?? f.gender) : "—"}`,
      `住所 / Address: ${f.address ?? "—"}`,
      `氏名代替文字 / Name substitute flags: ${f.nameFlags ?? "—"}`,
      `住所代替文字 / Address substitute flags: ${f.addressFlags ?? "—"}`,
    );
  } else if (d.kind === "auth") {
    lines.push("個人情報 / Personal data: なし / none (利用者証明用 carries no four facts)");
  }
  return lines;
}

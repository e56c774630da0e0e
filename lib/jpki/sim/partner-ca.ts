/**
 * The simulated organisation signing CA of ichimai: "ichimai Partner CA (simulated)". Issuers of
 * mailbox documents (the municipality, insurers, hospitals, employers) sign their documents with
 * an organisation key certified here, and the mailbox trusts this root for issuer signatures
 * (issue 5). It stands in for a commercial organisation CA (e.g. a 商業登記電子証明書 or GPKI
 * issuer); it is not part of JPKI and never issues to persons.
 *
 * Organisation certificates (RFC 5280 §4.1.2.6): subject `C=JP, O=<organisation>,
 * organizationIdentifier=ICHIMAI-<partner slug>, CN=<organisation>`, keyUsage critical
 * digitalSignature+nonRepudiation (a document signature, RFC 5280 §4.2.1.3), basicConstraints
 * CA:FALSE, AKI/SKI. The partner slug in organizationIdentifier (X.520 §6.2.8, 2.5.4.97; the
 * "<scheme>-<id>" form of ETSI EN 319 412-1 §5.1.4) binds the key to one ichimai partner.
 */
import "reflect-metadata";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import * as x509 from "@peculiar/x509";
import { AppError } from "@/lib/errors/app-error";
import { parseCertificate } from "../certificate";
import { nameAttribute } from "../name";
import { derToPem, pemToDer } from "../pem";
import { generateRsaKeyPair, RSA_SHA256 } from "./ca";

x509.cryptoProvider.set(globalThis.crypto);

/** organizationIdentifier (X.520, 2.5.4.97). */
export const OID_ORGANIZATION_IDENTIFIER = "2.5.4.97";
/** Scheme prefix of the organizationIdentifier values this CA writes. */
export const PARTNER_ID_SCHEME = "ICHIMAI-";
/** Common name (and O) of the simulated partner root. */
export const PARTNER_CA_NAME = "ichimai Partner CA (simulated)";

/** The partner root with its key pair. */
export type TPartnerCa = { certificate: Uint8Array; keys: CryptoKeyPair };

const ROOT_NAME: x509.JsonNameParams = [
  { C: [{ printableString: "JP" }] },
  { O: [{ utf8String: "ichimai" }] },
  { CN: [{ utf8String: PARTNER_CA_NAME }] },
];

function serialHex(serial: bigint): string {
  if (serial <= 0n || serial >= 1n << 159n) {
    throw new AppError("VALIDATION_FAILED", { message: "Certificate serial numbers are 1 to 20 octets, positive." });
  }
  const hex = serial.toString(16);
  return hex.length % 2 ? `0${hex}` : hex;
}

export type CreatePartnerRootCaOptions = {
  notBefore: Date;
  notAfter: Date;
  keys?: CryptoKeyPair;
  serialNumber?: bigint;
};

/**
 * The self-signed partner root: keyUsage critical keyCertSign+cRLSign, basicConstraints critical
 * CA:TRUE with pathLen 0 (organisation certificates are issued directly), SKI.
 */
export async function createPartnerRootCa(o: CreatePartnerRootCaOptions): Promise<TPartnerCa> {
  const keys = o.keys ?? (await generateRsaKeyPair());
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serialHex(o.serialNumber ?? 1n),
    subject: new x509.Name(ROOT_NAME),
    issuer: new x509.Name(ROOT_NAME),
    notBefore: o.notBefore,
    notAfter: o.notAfter,
    publicKey: keys.publicKey,
    signingKey: keys.privateKey,
    signingAlgorithm: { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" },
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certificate: new Uint8Array(cert.rawData), keys };
}

export type IssueOrganizationCertificateOptions = {
  ca: TPartnerCa;
  subjectPublicKey: CryptoKey;
  serialNumber: bigint;
  /** The organisation's registered name, e.g. さくら生命保険株式会社. */
  organizationName: string;
  /** The ichimai partner slug (Partner.slug) the key belongs to. */
  partnerSlug: string;
  notBefore: Date;
  notAfter: Date;
};

const ZSLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** An organisation signing certificate (see the module comment for the profile). */
export async function issueOrganizationCertificate(o: IssueOrganizationCertificateOptions): Promise<Uint8Array> {
  if (!ZSLUG.test(o.partnerSlug)) {
    throw new AppError("VALIDATION_FAILED", { message: `Not a partner slug: ${o.partnerSlug}` });
  }
  const name = o.organizationName.trim();
  if (name.length === 0 || name.length > 128) {
    throw new AppError("VALIDATION_FAILED", { message: "The organisation name has 1–128 characters." });
  }
  const ski = await x509.SubjectKeyIdentifierExtension.create(o.ca.keys.publicKey);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serialHex(o.serialNumber),
    subject: new x509.Name([
      { C: [{ printableString: "JP" }] },
      { O: [{ utf8String: name }] },
      { [OID_ORGANIZATION_IDENTIFIER]: [{ utf8String: `${PARTNER_ID_SCHEME}${o.partnerSlug}` }] },
      { CN: [{ utf8String: name }] },
    ]),
    issuer: new x509.Name(ROOT_NAME),
    notBefore: o.notBefore,
    notAfter: o.notAfter,
    publicKey: o.subjectPublicKey,
    signingKey: o.ca.keys.privateKey,
    signingAlgorithm: { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" },
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation, true),
      new x509.AuthorityKeyIdentifierExtension(ski.keyId, false),
      await x509.SubjectKeyIdentifierExtension.create(o.subjectPublicKey),
    ],
  });
  return new Uint8Array(cert.rawData);
}

/** What an organisation certificate says about its holder (for reports and the issuer check). */
export type TOrganizationIdentity = {
  organizationName?: string;
  /** The ichimai partner slug from organizationIdentifier `ICHIMAI-<slug>`, if present. */
  partnerSlug?: string;
  /** RFC 4514-style subject and issuer, most significant RDN first. */
  subject: string;
  issuer: string;
  serialNumber: string;
  notBefore: Date;
  notAfter: Date;
  /** SHA-256 of the DER, lower-case hex. */
  fingerprint: string;
};

/**
 * Reads the holder of a certificate. Missing parts are undefined; only the chain check says
 * whether to trust them. Throws CERT_MALFORMED.
 */
export function readOrganizationIdentity(certificate: Uint8Array): TOrganizationIdentity {
  const cert = parseCertificate(certificate);
  const orgId = nameAttribute(cert.subject, OID_ORGANIZATION_IDENTIFIER);
  return {
    organizationName: nameAttribute(cert.subject, "2.5.4.10"),
    partnerSlug: orgId?.startsWith(PARTNER_ID_SCHEME) ? orgId.slice(PARTNER_ID_SCHEME.length) : undefined,
    subject: cert.subject.text,
    issuer: cert.issuer.text,
    serialNumber: cert.serialHex,
    notBefore: cert.notBefore,
    notAfter: cert.notAfter,
    fingerprint: cert.fingerprint,
  };
}

const ROOT_FILE = "partner-root.pem";
const KEY_FILE = "partner-root.key.pem";

/**
 * The partner root kept in `dir` (certificate and PKCS#8 key as PEM), created on first use with a
 * 20-year validity. Development and tests only: a real deployment trusts a configured root and
 * never holds its key.
 */
export async function openPartnerCa(dir: string, now: Date = new Date(), attempt = 0): Promise<TPartnerCa> {
  const certPath = path.join(dir, ROOT_FILE);
  const keyPath = path.join(dir, KEY_FILE);
  try {
    const [certPem, keyPem] = await Promise.all([readFile(certPath, "utf8"), readFile(keyPath, "utf8")]);
    const certificate = pemToDer(certPem);
    const privateKey = await globalThis.crypto.subtle.importKey(
      "pkcs8",
      new Uint8Array(pemToDer(keyPem, "PRIVATE KEY")),
      RSA_SHA256,
      true,
      ["sign"],
    );
    const publicKey = await new x509.X509Certificate(new Uint8Array(certificate)).publicKey.export(RSA_SHA256, [
      "verify",
    ]);
    return { certificate, keys: { privateKey, publicKey } };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  const ca = await createPartnerRootCa({
    notBefore: new Date(now.getTime() - 24 * 3600_000),
    notAfter: new Date(now.getTime() + 20 * 365 * 24 * 3600_000),
  });
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const pkcs8 = new Uint8Array(await globalThis.crypto.subtle.exportKey("pkcs8", ca.keys.privateKey));
  // Key first, certificate last: a reader that finds the certificate finds the key too. `wx`
  // makes a concurrent second creator fail instead of overwriting the first one's root.
  try {
    await writeFile(keyPath, derToPem(pkcs8, "PRIVATE KEY"), { mode: 0o600, flag: "wx" });
    await writeFile(certPath, derToPem(ca.certificate), { flag: "wx" });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST" || attempt >= 20) throw err;
    // Another process is creating the root: read theirs once it is complete.
    await new Promise((r) => setTimeout(r, 100));
    return openPartnerCa(dir, now, attempt + 1);
  }
  return ca;
}

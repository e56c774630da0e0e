/**
 * The simulated organisation signing CA of ichimai: "ichimai Partner CA (simulated)". Issuers of
 * mailbox documents (the municipality, insurers, hospitals, employers) sign their documents with
 * an organisation key certified here, and the mailbox trusts this root for issuer signatures.
 * It stands in for a commercial organisation CA (e.g. a 商業登記電子証明書 or GPKI
 * issuer); it is not part of JPKI and never issues to persons.
 *
 * Organisation certificates (RFC 5280 §4.1.2.6): subject `C=JP, O=<organisation>,
 * organizationIdentifier=ICHIMAI-<partner slug>, CN=<organisation>`, keyUsage critical
 * digitalSignature+nonRepudiation (a document signature, RFC 5280 §4.2.1.3), basicConstraints
 * CA:FALSE, AKI/SKI. The partner slug in organizationIdentifier (X.520 §6.2.8, 2.5.4.97; the
 * "<scheme>-<id>" form of ETSI EN 319 412-1 §5.1.4) binds the key to one ichimai partner.
 */
import "reflect-metadata";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import * as x509 from "@peculiar/x509";
import { AppError } from "@/lib/errors/app-error";
import { parseCrl } from "../../lib/jpki/crl";
import { OID_ORGANIZATION_IDENTIFIER, PARTNER_ID_SCHEME } from "../../lib/jpki/organization-certificate";
import { derToPem, pemToDer } from "../../lib/jpki/pem";
import { ISSUER_ROOT_FILE } from "../../lib/mailbox/issuer-trust-source";
import { generateRsaKeyPair, RSA_SHA256 } from "../ca/ca";
import { buildCrl, type RevocationReason } from "../ca/crl";

x509.cryptoProvider.set(globalThis.crypto);

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

const ROOT_FILE = ISSUER_ROOT_FILE;
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

// ─── Revocation: the partner CA's CRL ──────────────────────────────────────────────────────────

const REVOCATIONS_FILE = "revocations.json";
const CRL_FILE = "partner-ca.crl";
/** Each CRL is valid for a day (nextUpdate) and re-signed when less than an hour of it is left. */
export const PARTNER_CRL_VALIDITY_MS = 24 * 3600_000;
export const PARTNER_CRL_REFRESH_MS = 3600_000;

/** Reasons an organisation signing certificate is revoked for (RFC 5280 §5.3.1). */
export const ORGANIZATION_REVOCATION_REASONS = [
  "unspecified",
  "keyCompromise",
  "affiliationChanged",
  "superseded",
  "cessationOfOperation",
] as const satisfies readonly RevocationReason[];
export type TOrganizationRevocationReason = (typeof ORGANIZATION_REVOCATION_REASONS)[number];

type TRevocationsFile = {
  crlNumber: string;
  entries: { serialNumber: string; revokedAt: string; reason: TOrganizationRevocationReason }[];
};

async function readRevocations(dir: string): Promise<TRevocationsFile> {
  try {
    return JSON.parse(await readFile(path.join(dir, REVOCATIONS_FILE), "utf8")) as TRevocationsFile;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
    return { crlNumber: "0", entries: [] };
  }
}

/** Write then rename, so a reader never sees half a file. */
async function writeAtomically(file: string, data: string | Uint8Array): Promise<void> {
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(tmp, data);
  await rename(tmp, file);
}

/**
 * Sign a new CRL of the partner CA (v2, cRLNumber one higher than the last, thisUpdate = now,
 * nextUpdate = now + {@link PARTNER_CRL_VALIDITY_MS}) listing every revoked organisation
 * certificate, and store it as `partner-ca.crl` in `dir`. Returns the DER.
 */
export async function publishPartnerCrl(dir: string, now: Date = new Date()): Promise<Uint8Array> {
  const ca = await openPartnerCa(dir, now);
  const state = await readRevocations(dir);
  const crlNumber = BigInt(state.crlNumber) + 1n;
  const crl = await buildCrl({
    ca: { keys: ca.keys, name: ROOT_NAME },
    entries: state.entries.map((e) => ({
      serialNumber: BigInt(`0x${e.serialNumber}`),
      revokedAt: new Date(e.revokedAt),
      reason: e.reason,
    })),
    thisUpdate: now,
    nextUpdate: new Date(now.getTime() + PARTNER_CRL_VALIDITY_MS),
    crlNumber,
  });
  await writeAtomically(path.join(dir, REVOCATIONS_FILE), JSON.stringify({ ...state, crlNumber: String(crlNumber) }));
  await writeAtomically(path.join(dir, CRL_FILE), crl);
  return crl;
}

/** The partner CA's current CRL: the stored one, re-signed first when it is missing or about to expire. */
export async function currentPartnerCrl(dir: string, now: Date = new Date()): Promise<Uint8Array> {
  try {
    const der = new Uint8Array(await readFile(path.join(dir, CRL_FILE)));
    const nextUpdate = parseCrl(der).nextUpdate;
    if (nextUpdate && nextUpdate.getTime() - PARTNER_CRL_REFRESH_MS > now.getTime()) return der;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  return publishPartnerCrl(dir, now);
}

/**
 * Revoke an organisation certificate of the partner CA (a leaked issuer key, a partner leaving
 * ichimai) and publish a new CRL at once. Revoking a serial twice keeps the first entry.
 */
export async function revokeOrganizationCertificate(
  dir: string,
  o: { serialNumber: bigint; reason: TOrganizationRevocationReason; now?: Date },
): Promise<Uint8Array> {
  const now = o.now ?? new Date();
  if (!(ORGANIZATION_REVOCATION_REASONS as readonly string[]).includes(o.reason)) {
    throw new AppError("VALIDATION_FAILED", { message: `Not a revocation reason: ${o.reason}` });
  }
  const serialNumber = serialHex(o.serialNumber);
  await openPartnerCa(dir, now);
  const state = await readRevocations(dir);
  if (!state.entries.some((e) => e.serialNumber === serialNumber)) {
    state.entries.push({ serialNumber, revokedAt: now.toISOString(), reason: o.reason });
    await writeAtomically(path.join(dir, REVOCATIONS_FILE), JSON.stringify(state));
  }
  return publishPartnerCrl(dir, now);
}

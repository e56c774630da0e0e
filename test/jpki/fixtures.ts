/**
 * Test-only helpers: certificates the simulator cannot produce (wrong key usage, unknown
 * critical extensions, name constraints, RSA-PSS and ECDSA chains, cycles), OCSP responses of
 * every kind, and a real HTTP OCSP responder on 127.0.0.1. Everything is minted at test time.
 */
import "reflect-metadata";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import * as x509 from "@peculiar/x509";
import type { TCertificate } from "../../lib/jpki/certificate";
import {
  Cursor,
  children,
  contentBytes,
  encode,
  encodeGeneralizedTime,
  encodeInteger,
  encodeNull,
  encodeOctetString,
  encodeOid,
  encodeSequence,
  readOid,
  readRoot,
  readTlv,
  Tag,
  concat,
  tlvBytes,
} from "../../lib/jpki/der";
import { OID } from "../../lib/jpki/oids";
import { digest } from "../../lib/jpki/signature";

x509.cryptoProvider.set(globalThis.crypto);

/** The fixed clock of the verifier tests. */
export const NOW = new Date("2026-04-01T03:00:00Z");
export const DAY = 86_400_000;

const RSA: RsaHashedKeyGenParams = {
  name: "RSASSA-PKCS1-v1_5",
  hash: "SHA-256",
  modulusLength: 2048,
  publicExponent: new Uint8Array([1, 0, 1]),
};

/** An RSA-2048 PKCS#1 v1.5 key pair. */
export async function rsaKeys(): Promise<CryptoKeyPair> {
  return (await crypto.subtle.generateKey(RSA, true, ["sign", "verify"])) as CryptoKeyPair;
}

/** An RSA-PSS (SHA-256) key pair. */
export async function pssKeys(): Promise<CryptoKeyPair> {
  return (await crypto.subtle.generateKey({ ...RSA, name: "RSA-PSS" }, true, ["sign", "verify"])) as CryptoKeyPair;
}

/** An ECDSA key pair on `curve`. */
export async function ecKeys(curve: "P-256" | "P-384" = "P-256"): Promise<CryptoKeyPair> {
  return (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: curve }, true, [
    "sign",
    "verify",
  ])) as CryptoKeyPair;
}

/** SPKI DER of a public key. */
export async function spkiOf(key: CryptoKey): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.exportKey("spki", key));
}

export type TIssuerRef = { name: string; keys: CryptoKeyPair };

/** Options of {@link makeCert}: a subject signed by `issuer` (self-signed when absent). */
export type TMakeCert = {
  subject: string;
  keys: CryptoKeyPair;
  issuer?: TIssuerRef;
  serial?: string;
  notBefore?: Date;
  notAfter?: Date;
  ca?: boolean;
  pathLen?: number;
  /** x509.KeyUsageFlags; undefined = no keyUsage extension. */
  keyUsage?: number;
  eku?: string[];
  policies?: string[];
  extensions?: x509.Extension[];
  /** Omit SKI/AKI. */
  noKeyIds?: boolean;
};

function signingAlgorithmFor(key: CryptoKey): Algorithm | EcdsaParams | RsaPssParams {
  if (key.algorithm.name === "ECDSA") return { name: "ECDSA", hash: "SHA-256" } as EcdsaParams;
  if (key.algorithm.name === "RSA-PSS") return { name: "RSA-PSS", hash: "SHA-256", saltLength: 32 } as RsaPssParams;
  return { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" } as Algorithm;
}

/** Mints a certificate with @peculiar/x509. */
export async function makeCert(o: TMakeCert): Promise<Uint8Array> {
  const issuer = o.issuer ?? { name: o.subject, keys: o.keys };
  const exts: x509.Extension[] = [];
  if (o.ca !== undefined) exts.push(new x509.BasicConstraintsExtension(o.ca, o.pathLen, true));
  if (o.keyUsage !== undefined) exts.push(new x509.KeyUsagesExtension(o.keyUsage, true));
  if (o.eku) exts.push(new x509.ExtendedKeyUsageExtension(o.eku, false));
  if (o.policies) exts.push(new x509.CertificatePolicyExtension(o.policies, false));
  if (!o.noKeyIds) {
    exts.push(await x509.SubjectKeyIdentifierExtension.create(o.keys.publicKey));
    const ski = await x509.SubjectKeyIdentifierExtension.create(issuer.keys.publicKey);
    exts.push(new x509.AuthorityKeyIdentifierExtension(ski.keyId, false));
  }
  exts.push(...(o.extensions ?? []));
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber:
      o.serial ??
      Buffer.from(crypto.getRandomValues(new Uint8Array(8)))
        .toString("hex")
        .replace(/^[89a-f]/, "1"),
    subject: o.subject,
    issuer: issuer.name,
    notBefore: o.notBefore ?? new Date(NOW.getTime() - 30 * DAY),
    notAfter: o.notAfter ?? new Date(NOW.getTime() + 365 * DAY),
    publicKey: o.keys.publicKey,
    signingKey: issuer.keys.privateKey,
    signingAlgorithm: signingAlgorithmFor(issuer.keys.privateKey),
    extensions: exts,
  });
  return new Uint8Array(cert.rawData);
}

/**
 * Re-signs a certificate or a CRL (both `SEQUENCE { tbs, signatureAlgorithm, signature }`) after
 * `edit` changed the elements of its TBS: for what @peculiar/x509 and the simulator will not
 * write (a zero or negative serial, a CRL without cRLNumber). RSASSA-PKCS1-v1_5 keys only.
 */
export async function resign(
  der: Uint8Array,
  signingKey: CryptoKey,
  edit: (elements: Uint8Array[]) => Uint8Array[],
): Promise<Uint8Array> {
  const top = new Cursor(der, readRoot(der));
  const tbs = top.next(Tag.sequence);
  const alg = top.next(Tag.sequence);
  const newTbs = encodeSequence(...edit(children(der, tbs).map((t) => tlvBytes(der, t))));
  const sig = new Uint8Array(
    await crypto.subtle.sign({ name: "RSASSA-PKCS1-v1_5" }, signingKey, new Uint8Array(newTbs)),
  );
  return encodeSequence(newTbs, tlvBytes(der, alg), encode(Tag.bitString, concat([Uint8Array.of(0), sig])));
}

/** DER of a distinguished name string (x509 syntax, e.g. "C=JP, O=Example"). */
export function nameDer(name: string): Uint8Array {
  return new Uint8Array(new x509.Name(name).toArrayBuffer());
}

/** nameConstraints (RFC 5280 §4.2.1.10) with dNSName and directoryName subtrees. */
export function nameConstraintsExtension(o: {
  permittedDns?: string[];
  excludedDns?: string[];
  permittedDn?: string[];
}): x509.Extension {
  const subtree = (gn: Uint8Array) => encodeSequence(gn);
  const dns = (d: string) => subtree(encode(0x82, new TextEncoder().encode(d)));
  const dir = (d: string) => subtree(encode(0xa4, nameDer(d)));
  const parts: Uint8Array[] = [];
  const permitted = [...(o.permittedDns ?? []).map(dns), ...(o.permittedDn ?? []).map(dir)];
  if (permitted.length) parts.push(encode(0xa0, ...permitted));
  if (o.excludedDns?.length) parts.push(encode(0xa1, ...o.excludedDns.map(dns)));
  return new x509.Extension(OID.nameConstraints, true, new Uint8Array(encodeSequence(...parts)));
}

/** A subjectAltName with dNSNames. */
export function dnsSan(names: string[]): x509.Extension {
  return new x509.SubjectAlternativeNameExtension(names.map((value) => ({ type: "dns" as const, value })));
}

/** An extension nobody understands, critical. */
export function unknownCriticalExtension(): x509.Extension {
  return new x509.Extension("1.3.6.1.4.1.99999.1", true, new Uint8Array(encodeNull()));
}

// --- OCSP -----------------------------------------------------------------------------------

/** What a test OCSP responder answers. */
export type TOcspAnswer = {
  signerKey: CryptoKey;
  /** The certificate the responderID names (its subject). */
  signerCert: TCertificate;
  certs?: Uint8Array[];
  status: "good" | "revoked" | "unknown";
  revokedAt?: Date;
  /** CRLReason code. */
  reason?: number;
  thisUpdate: Date;
  nextUpdate?: Date;
  producedAt?: Date;
  /** Nonce to echo; `undefined` omits the extension. */
  nonce?: Uint8Array;
  /** Serial to answer for (defaults to the asked one). */
  serial: bigint;
  issuer: TCertificate;
  byKey?: boolean;
};

/** Builds a signed OCSPResponse (RFC 6960 §4.2.1) with a SHA-1 CertID. */
export async function buildOcspResponse(a: TOcspAnswer): Promise<Uint8Array> {
  const certId = encodeSequence(
    encodeSequence(encodeOid(OID.sha1), encodeNull()),
    encodeOctetString(digest("SHA-1", a.issuer.subject.der)),
    encodeOctetString(digest("SHA-1", a.issuer.publicKeyBits)),
    encodeInteger(a.serial),
  );
  let certStatus: Uint8Array;
  if (a.status === "good") certStatus = Uint8Array.of(0x80, 0x00);
  else if (a.status === "unknown") certStatus = Uint8Array.of(0x82, 0x00);
  else {
    const parts = [encodeGeneralizedTime(a.revokedAt ?? a.thisUpdate)];
    if (a.reason !== undefined) parts.push(encode(0xa0, encode(Tag.enumerated, Uint8Array.of(a.reason))));
    certStatus = encode(0xa1, ...parts);
  }
  const single = encodeSequence(
    certId,
    certStatus,
    encodeGeneralizedTime(a.thisUpdate),
    ...(a.nextUpdate ? [encode(0xa0, encodeGeneralizedTime(a.nextUpdate))] : []),
  );
  const responderId = a.byKey
    ? encode(0xa2, encodeOctetString(digest("SHA-1", a.signerCert.publicKeyBits)))
    : encode(0xa1, a.signerCert.subject.der);
  const tbsParts = [responderId, encodeGeneralizedTime(a.producedAt ?? a.thisUpdate), encodeSequence(single)];
  if (a.nonce) {
    tbsParts.push(
      encode(
        0xa1,
        encodeSequence(encodeSequence(encodeOid(OID.ocspNonce), encodeOctetString(encodeOctetString(a.nonce)))),
      ),
    );
  }
  const tbs = encodeSequence(...tbsParts);
  const sig = new Uint8Array(await crypto.subtle.sign({ name: "RSASSA-PKCS1-v1_5" }, a.signerKey, new Uint8Array(tbs)));
  const basicParts = [
    tbs,
    encodeSequence(encodeOid(OID.sha256WithRSA), encodeNull()),
    encode(Tag.bitString, concat([Uint8Array.of(0), sig])),
  ];
  if (a.certs?.length) basicParts.push(encode(0xa0, encodeSequence(...a.certs)));
  const basic = encodeSequence(...basicParts);
  return encodeSequence(
    encode(Tag.enumerated, Uint8Array.of(0)),
    encode(0xa0, encodeSequence(encodeOid(OID.ocspBasic), encodeOctetString(basic))),
  );
}

/** An OCSPResponse with a non-successful responseStatus (e.g. 3 tryLater). */
export function ocspErrorResponse(status: number): Uint8Array {
  return encodeSequence(encode(Tag.enumerated, Uint8Array.of(status)));
}

/** Reads the serial and nonce out of an OCSPRequest (as our client builds it). */
export function readOcspRequest(der: Uint8Array): { serial: bigint; nonce?: Uint8Array } {
  const root = readRoot(der, Tag.sequence);
  const tbs = new Cursor(der, root).next(Tag.sequence);
  const t = new Cursor(der, tbs);
  t.optional(0xa0);
  t.optional(0xa1);
  const list = t.next(Tag.sequence);
  const req = new Cursor(der, list).next(Tag.sequence);
  const cid = new Cursor(der, new Cursor(der, req).next(Tag.sequence));
  cid.next();
  cid.next();
  cid.next();
  const s = cid.next(Tag.integer);
  const serial = BigInt(`0x${Buffer.from(contentBytes(der, s)).toString("hex")}`);
  let nonce: Uint8Array | undefined;
  const exts = t.optional(0xa2);
  if (exts) {
    const seq = readTlv(der, exts.start, exts.end);
    const c = new Cursor(der, seq);
    while (!c.done) {
      const e = new Cursor(der, c.next(Tag.sequence));
      const oid = readOid(der, e.next(Tag.oid));
      const v = e.next(Tag.octetString);
      if (oid === OID.ocspNonce) nonce = contentBytes(der, readTlv(der, v.start, v.end));
    }
  }
  return { serial, nonce };
}

/** A real HTTP server on 127.0.0.1 (ephemeral port) answering OCSP POSTs with `handler`. */
export async function startOcspServer(
  handler: (req: { serial: bigint; nonce?: Uint8Array }) => Promise<{ status?: number; body: Uint8Array }>,
): Promise<{ url: string; close: () => Promise<void>; server: Server; requests: number }> {
  const state = { requests: 0 };
  const server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      state.requests++;
      const body = new Uint8Array(Buffer.concat(chunks));
      handler(readOcspRequest(body))
        .then((r) => {
          res.writeHead(r.status ?? 200, { "content-type": "application/ocsp-response" });
          res.end(Buffer.from(r.body));
        })
        .catch(() => {
          res.writeHead(500);
          res.end();
        });
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/ocsp`,
    server,
    get requests() {
      return state.requests;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

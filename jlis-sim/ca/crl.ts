/**
 * X.509 v2 CRLs of the simulated J-LIS (RFC 5280 §5), written with a streaming DER writer so
 * that a million-entry CRL (docs/jpki.md#large-crls) builds in seconds and in memory proportional
 * to its size. The TBSCertList is signed with WebCrypto RSASSA-PKCS1-v1_5 / SHA-256.
 */
import { CRL_REASON_CODES, type TJpkiRevocationReason } from "../../lib/jpki/revocation-reason";
import "reflect-metadata";
import * as x509 from "@peculiar/x509";
import type { SimCa } from "./ca";
import {
  type Bytes,
  BOOLEAN_TRUE,
  bitString,
  concatBytes,
  ctx,
  DerBuffer,
  derLength,
  integer,
  integerContent,
  octetString,
  oid,
  seq,
  time,
  timeString,
  tlv,
} from "./der-writer";
import { directoryName, nameDer } from "../names";
import {
  caName,
  OID_EXT_AUTHORITY_KEY_IDENTIFIER,
  OID_EXT_CRL_NUMBER,
  OID_EXT_ISSUING_DISTRIBUTION_POINT,
  OID_SHA256_WITH_RSA,
} from "./profiles";

/** CRLReason (RFC 5280 §5.3.1): the J-LIS subset, from the one list in lib/jpki/revocation-reason.ts. */
export type RevocationReason = TJpkiRevocationReason;

/** CRLReason code values (RFC 5280 §5.3.1). */
export const REVOCATION_REASON_CODES: Record<RevocationReason, number> = CRL_REASON_CODES;

export type CrlEntry = { serialNumber: bigint; revokedAt: Date; reason: RevocationReason };

/** A CA other than J-LIS's (e.g. the simulated partner CA): its keys and its DN as written in its certificate. */
export type TNamedCrlIssuer = { keys: CryptoKeyPair; name: x509.JsonNameParams };

export type BuildCrlOptions = {
  ca: SimCa | TNamedCrlIssuer;
  /** Revoked certificates; serials must be unique (not checked, to stay linear). */
  entries: Iterable<CrlEntry>;
  thisUpdate: Date;
  nextUpdate: Date;
  crlNumber: bigint;
  /**
   * DirName of the partition this CRL covers (critical issuingDistributionPoint, RFC 5280
   * §5.2.5), e.g. a municipality's `signCrlDistributionPointName(...)`. A string is parsed by
   * @peculiar/x509 in written order = ASN.1 order (`C=JP, O=JPKI, …, CN=Kiyose-shi CRLDP`).
   */
  issuingDistributionPoint?: string | x509.JsonNameParams;
  /** IDP onlyContainsUserCerts (partitions of end-entity certificates). */
  onlyContainsUserCerts?: boolean;
  /** IDP onlyContainsCACerts (the ARL); with no `issuingDistributionPoint` the CA's own DN is used. */
  onlyContainsCACerts?: boolean;
};

const SHA256_WITH_RSA = seq(oid(OID_SHA256_WITH_RSA), Uint8Array.of(0x05, 0x00));
const REASON_EXT_PREFIX = concatBytes([oid("2.5.29.21")]);

function extension(extnId: string, critical: boolean, value: Uint8Array): Uint8Array {
  return critical ? seq(oid(extnId), BOOLEAN_TRUE, octetString(value)) : seq(oid(extnId), octetString(value));
}

/** revokedCertificates content: one `SEQUENCE { serial, revocationDate, [crlEntryExtensions] }` per entry. */
function writeEntries(entries: Iterable<CrlEntry>): { content: Uint8Array; count: number } {
  const out = new DerBuffer(1 << 16);
  let count = 0;
  for (const e of entries) {
    const serial = integerContent(e.serialNumber);
    const { tag, text } = timeString(e.revokedAt);
    const code = REVOCATION_REASON_CODES[e.reason];
    // RFC 5280 §5.3.1: omit the reasonCode rather than write unspecified (0).
    const extLen = code === 0 ? 0 : 2 + 2 + REASON_EXT_PREFIX.length + 2 + 3;
    const bodyLen = 2 + serial.length + 2 + text.length + extLen;
    // Entries are < 128 bytes (serial ≤ 20 octets), so every length here is one octet.
    out.byte(0x30);
    out.byte(bodyLen);
    out.byte(0x02);
    out.byte(serial.length);
    out.bytes(serial);
    out.byte(tag);
    out.byte(text.length);
    out.ascii(text);
    if (code !== 0) {
      out.byte(0x30);
      out.byte(extLen - 2);
      out.byte(0x30);
      out.byte(extLen - 4);
      out.bytes(REASON_EXT_PREFIX);
      out.byte(0x04);
      out.byte(3);
      out.byte(0x0a);
      out.byte(1);
      out.byte(code);
    }
    count++;
  }
  return { content: out.view(), count };
}

/**
 * Build and sign a CRL of `ca` (RFC 5280 §5.1): v2, sha256WithRSAEncryption, issuer = the
 * CA's DN, thisUpdate/nextUpdate, the entries with reasonCode, and the extensions
 * authorityKeyIdentifier, cRLNumber and (for partitions and the ARL) a critical
 * issuingDistributionPoint.
 */
export async function buildCrl(o: BuildCrlOptions): Promise<Bytes> {
  const ski = await x509.SubjectKeyIdentifierExtension.create(o.ca.keys.publicKey);
  const aki = seq(tlv(ctx(0, false), Uint8Array.from(Buffer.from(ski.keyId, "hex"))));
  const crlExtensions = [
    extension(OID_EXT_AUTHORITY_KEY_IDENTIFIER, false, aki),
    extension(OID_EXT_CRL_NUMBER, false, integer(o.crlNumber)),
  ];
  const issuerName = "name" in o.ca ? o.ca.name : caName(o.ca.purpose, o.ca.hierarchy);
  const idpName = o.issuingDistributionPoint ?? (o.onlyContainsCACerts ? issuerName : undefined);
  if (idpName !== undefined || o.onlyContainsUserCerts || o.onlyContainsCACerts) {
    const parts: Uint8Array[] = [];
    // distributionPoint [0] (CHOICE, explicit) → fullName [0] IMPLICIT GeneralNames.
    if (idpName !== undefined) parts.push(tlv(ctx(0, true), tlv(ctx(0, true), directoryName(idpName))));
    if (o.onlyContainsUserCerts) parts.push(Uint8Array.of(ctx(1, false), 1, 0xff));
    if (o.onlyContainsCACerts) parts.push(Uint8Array.of(ctx(2, false), 1, 0xff));
    crlExtensions.push(extension(OID_EXT_ISSUING_DISTRIBUTION_POINT, true, seq(...parts)));
  }

  const { content: entries, count } = writeEntries(o.entries);
  const head = concatBytes([
    integer(1n), // v2
    SHA256_WITH_RSA,
    nameDer(issuerName),
    time(o.thisUpdate),
    time(o.nextUpdate),
  ]);
  const entriesHeader = count > 0 ? concatBytes([Uint8Array.of(0x30), derLength(entries.length)]) : new Uint8Array(0);
  const extensions = tlv(ctx(0, true), seq(...crlExtensions));
  const tbsBodyLength = head.length + entriesHeader.length + (count > 0 ? entries.length : 0) + extensions.length;
  const tbs = new Uint8Array(1 + derLength(tbsBodyLength).length + tbsBodyLength);
  let off = 0;
  for (const part of [Uint8Array.of(0x30), derLength(tbsBodyLength), head, entriesHeader]) {
    tbs.set(part, off);
    off += part.length;
  }
  if (count > 0) {
    tbs.set(entries, off);
    off += entries.length;
  }
  tbs.set(extensions, off);

  const signature = new Uint8Array(
    await globalThis.crypto.subtle.sign({ name: "RSASSA-PKCS1-v1_5" }, o.ca.keys.privateKey, tbs),
  );
  const tail = concatBytes([SHA256_WITH_RSA, bitString(signature)]);
  const bodyLength = tbs.length + tail.length;
  const lengthOctets = derLength(bodyLength);
  const out = new Uint8Array(1 + lengthOctets.length + bodyLength);
  out[0] = 0x30;
  out.set(lengthOctets, 1);
  out.set(tbs, 1 + lengthOctets.length);
  out.set(tail, 1 + lengthOctets.length + tbs.length);
  return out;
}

import { AppError } from "@/lib/errors/app-error";
import { parseAlgorithm, type TAlgorithm, type TCertificate, withCode } from "./certificate";
import { parsePool, type TParsedChainResult, validateParsedChain } from "./chain";
import {
  assertSize,
  bytesEqual,
  Cursor,
  concat,
  children,
  contentBytes,
  derError,
  readOid,
  readRoot,
  readSmallInt,
  readTime,
  readTlv,
  serialHex,
  type Tlv,
  Tag,
  toHex,
  tlvBytes,
} from "./der";
import { allowsDocumentSignature, describeJpkiCertificate } from "./jpki-certificate";
import { parseName } from "./name";
import { HASH_BY_OID, OID, type THashName } from "./oids";
import { checkRevocationParsed, type RevocationCache, type TCheckRevocationOptions } from "./revocation";
import { digest, verifyWithAlgorithm } from "./signature";
import { SignerValidationCache } from "./signer-validation-cache";
import { CheckCode, finishReport, type TCheck, type TVerificationReport } from "./verification-report";

/**
 * Verification of CMS SignedData (RFC 5652 §5.6) in the CAdES-BES profile: signed attributes
 * content-type, message-digest, signing-time and signing-certificate-v2 (RFC 5035), the signer
 * path at the signing time (RFC 5280 §6.1), and revocation now. Attached and detached content.
 * Strict DER only: BER (indefinite lengths) is CMS_MALFORMED.
 */

/** Largest SignedData accepted. */
export const MAX_CMS_BYTES = 64 * 1024 * 1024;

/** Options of {@link verifyCms}. */
export type TVerifyCmsOptions = {
  signedData: Uint8Array;
  /** The content of a detached signature. */
  detachedContent?: Uint8Array;
  trustAnchors: Uint8Array[];
  intermediates?: Uint8Array[];
  /** Verification time ("now"; default the current time). */
  time?: Date;
  /** Allowed lead of signing-time over `time` (default 5 minutes). */
  clockSkewMs?: number;
  /** Required certificate policies for the signer path (e.g. the JPKI signing policy). */
  requiredPolicies?: string[];
  /** Check the signer certificate's status now; omitted means not checked (no CERT_REVOCATION check). */
  revocation?: Pick<TCheckRevocationOptions, "ocsp" | "crls"> & { cache?: RevocationCache };
  /**
   * One bulk run's reuse of the signer's validated path and revocation answer (see
   * signer-validation-cache.ts); every document's own CMS checks are still made.
   */
  validationCache?: SignerValidationCache;
};

type TSignerInfo = {
  version: number;
  /** issuerAndSerialNumber as DER (issuer Name and serial INTEGER), or the subjectKeyIdentifier bytes. */
  sid: { issuerDer?: Uint8Array; serialDer?: Uint8Array; ski?: string };
  digestOid: string;
  digestHash: THashName;
  signedAttrs?: Uint8Array;
  attrs: Map<string, Tlv[]>;
  attrsBuf: Uint8Array;
  signatureAlgorithm: TAlgorithm;
  signature: Uint8Array;
};

type TSignedData = {
  version: number;
  /** The digest algorithm OIDs of the digestAlgorithms SET. */
  digestAlgorithms: string[];
  /** Certificates choices other than an X.509 certificate (attribute, other). */
  otherCertificateChoices: { v1AttributeCert: boolean; v2AttributeCert: boolean; other: boolean };
  otherRevocationInfo: boolean;
  eContentType: string;
  eContent?: Uint8Array;
  certificates: TCertificate[];
  signers: TSignerInfo[];
};

const DER_NULL = new Uint8Array([0x05, 0x00]);

/** The digestAlgorithms SET (RFC 5652 §5.1): known digests only, each with absent or NULL parameters, in DER order. */
function parseDigestAlgorithms(der: Uint8Array, set: Tlv): string[] {
  const items = children(der, set, 8);
  assertDerSetOrder(der, items, "digestAlgorithms");
  return items.map((item) => {
    if (item.tag !== Tag.sequence) derError("digestAlgorithms element is not an AlgorithmIdentifier");
    const alg = parseAlgorithm(der, item);
    if (!HASH_BY_OID[alg.oid]) throw new AppError("ALGORITHM_UNSUPPORTED", { message: `digest ${alg.oid}` });
    assertDigestAlgorithmParams(alg);
    return alg.oid;
  });
}

/** SHA-1 and SHA-2 digest identifiers: parameters absent or NULL (RFC 3370 §2.1, RFC 5754 §2). */
function assertDigestAlgorithmParams(alg: TAlgorithm): void {
  if (alg.params && !bytesEqual(alg.params, DER_NULL)) derError(`digest ${alg.oid} with parameters other than NULL`);
}

/**
 * A SignerInfo signatureAlgorithm's parameters, exactly as the RFCs say: NULL for rsaEncryption
 * (RFC 3370 §3.2); NULL or absent for sha*WithRSAEncryption (RFC 4055 §5: "MUST be NULL", and
 * implementations "MUST accept the parameters being absent"); absent for ECDSA (RFC 5758 §3.2)
 * and Ed25519 (RFC 8419 §2.3); present for RSASSA-PSS (RFC 4055 §3.1). Anything else there is
 * unsigned bytes the signer never meant.
 */
function assertSignatureAlgorithmParams(alg: TAlgorithm): void {
  const isNull = alg.params !== undefined && bytesEqual(alg.params, DER_NULL);
  if (alg.oid === OID.rsaEncryption && !isNull) derError("rsaEncryption needs NULL parameters");
  const rsaWithHash = [OID.sha1WithRSA, OID.sha256WithRSA, OID.sha384WithRSA, OID.sha512WithRSA] as string[];
  if (rsaWithHash.includes(alg.oid) && alg.params && !isNull) {
    derError(`signature algorithm ${alg.oid} with parameters other than NULL`);
  }
  const noParams = [OID.ecdsaWithSha256, OID.ecdsaWithSha384, OID.ecdsaWithSha512, OID.ed25519] as string[];
  if (noParams.includes(alg.oid) && alg.params) derError(`signature algorithm ${alg.oid} takes no parameters`);
  if (alg.oid === OID.rsassaPss && !alg.params) derError("RSASSA-PSS without parameters");
}

/** DER's SET OF order (X.690 §11.6): elements ascending by their encodings. */
function assertDerSetOrder(der: Uint8Array, items: Tlv[], what: string): void {
  for (let i = 1; i < items.length; i++) {
    if (Buffer.compare(tlvBytes(der, items[i - 1]!), tlvBytes(der, items[i]!)) > 0) {
      derError(`${what} is not in DER SET OF order`);
    }
  }
}

/** The SignedData version RFC 5652 §5.1 requires for what the structure holds. */
function expectedSignedDataVersion(sd: TSignedData): number {
  if (sd.otherCertificateChoices.other || sd.otherRevocationInfo) return 5;
  if (sd.otherCertificateChoices.v2AttributeCert) return 4;
  if (
    sd.otherCertificateChoices.v1AttributeCert ||
    sd.signers.some((s) => s.version === 3) ||
    sd.eContentType !== OID.data
  ) {
    return 3;
  }
  return 1;
}

function parseSignedData(der: Uint8Array): TSignedData {
  const root = readRoot(der, Tag.sequence);
  const ci = new Cursor(der, root);
  const ct = readOid(der, ci.next(Tag.oid));
  if (ct !== OID.signedData) derError(`contentType ${ct} is not signedData`);
  const explicit = ci.next(0xa0);
  ci.end();
  const sdTlv = readTlv(der, explicit.start, explicit.end);
  if (sdTlv.tag !== Tag.sequence || sdTlv.end !== explicit.end) derError("SignedData must be one SEQUENCE");
  const sd = new Cursor(der, sdTlv);
  const version = readSmallInt(der, sd.next(Tag.integer));
  if (version > 5) derError(`SignedData version ${version}`);
  const digestAlgorithms = parseDigestAlgorithms(der, sd.next(Tag.set));
  const encap = new Cursor(der, sd.next(Tag.sequence));
  const eContentType = readOid(der, encap.next(Tag.oid));
  let eContent: Uint8Array | undefined;
  const ec = encap.optional(0xa0);
  encap.end();
  if (ec) {
    const os = readTlv(der, ec.start, ec.end);
    if (os.end !== ec.end) derError("eContent has trailing bytes");
    if (os.tag === Tag.octetString) eContent = contentBytes(der, os);
    else if (os.tag === 0x24) {
      // Constructed OCTET STRING (definite-length BER, as PKI.js writes eContent): join the segments.
      eContent = concat(
        children(der, os, 1_000_000).map((seg) => {
          if (seg.tag !== Tag.octetString) derError("eContent segment is not a primitive OCTET STRING");
          return contentBytes(der, seg);
        }),
      );
    } else derError("eContent must be an OCTET STRING");
  }
  const certificates: TCertificate[] = [];
  const otherCertificateChoices = { v1AttributeCert: false, v2AttributeCert: false, other: false };
  const certsTlv = sd.optional(0xa0);
  if (certsTlv) {
    const choices = children(der, certsTlv, 32);
    assertDerSetOrder(der, choices, "certificates");
    for (const c of choices) {
      if (c.tag === Tag.sequence) {
        // A certificate we cannot parse is left out of the pool (chain.ts parsePool): it matters
        // only if it is the signer's (then CMS_SIGNER_CERTIFICATE fails) or on the signer's path.
        const parsed = parsePool([tlvBytes(der, c)])[0];
        if (parsed) certificates.push(parsed);
      } else if (c.tag === 0xa1) otherCertificateChoices.v1AttributeCert = true;
      else if (c.tag === 0xa2) otherCertificateChoices.v2AttributeCert = true;
      else if (c.tag === 0xa3) otherCertificateChoices.other = true;
      else derError(`certificates choice with tag 0x${c.tag.toString(16)}`);
    }
  }
  let otherRevocationInfo = false;
  const crlsTlv = sd.optional(0xa1);
  if (crlsTlv) {
    for (const c of children(der, crlsTlv, 32)) {
      if (c.tag === 0xa1) otherRevocationInfo = true;
      else if (c.tag !== Tag.sequence) derError(`crls choice with tag 0x${c.tag.toString(16)}`);
    }
  }
  const signers: TSignerInfo[] = [];
  for (const s of children(der, sd.next(Tag.set), 16)) {
    if (s.tag !== Tag.sequence) derError("SignerInfo is not a SEQUENCE");
    signers.push(parseSignerInfo(der, s));
  }
  sd.end();
  return {
    version,
    digestAlgorithms,
    otherCertificateChoices,
    otherRevocationInfo,
    eContentType,
    eContent,
    certificates,
    signers,
  };
}

function parseSignerInfo(der: Uint8Array, tlv: Tlv): TSignerInfo {
  const c = new Cursor(der, tlv);
  const version = readSmallInt(der, c.next(Tag.integer));
  const sidTlv = c.next();
  const sid: TSignerInfo["sid"] = {};
  if (version === 1 && sidTlv.tag === Tag.sequence) {
    const ic = new Cursor(der, sidTlv);
    const issuer = ic.next(Tag.sequence);
    parseName(der, issuer);
    sid.issuerDer = tlvBytes(der, issuer);
    const serial = ic.next(Tag.integer);
    serialHex(der, serial);
    sid.serialDer = tlvBytes(der, serial);
    ic.end();
  } else if (version === 3 && sidTlv.tag === 0x80) {
    sid.ski = toHex(der, sidTlv.start, sidTlv.end);
  } else derError("SignerIdentifier does not match the SignerInfo version");
  const digestAlg = parseAlgorithm(der, c.next(Tag.sequence));
  const digestHash = HASH_BY_OID[digestAlg.oid];
  if (!digestHash) throw new AppError("ALGORITHM_UNSUPPORTED", { message: `digest ${digestAlg.oid}` });
  assertDigestAlgorithmParams(digestAlg);
  const sa = c.optional(0xa0);
  const attrs = new Map<string, Tlv[]>();
  let signedAttrs: Uint8Array | undefined;
  if (sa) {
    // The signature covers the attributes re-tagged as SET OF (RFC 5652 §5.4).
    signedAttrs = new Uint8Array(tlvBytes(der, sa));
    signedAttrs[0] = Tag.set;
    for (const a of children(der, sa, 64)) {
      const ac = new Cursor(der, a);
      const type = readOid(der, ac.next(Tag.oid));
      const values = children(der, ac.next(Tag.set), 16);
      ac.end();
      if (attrs.has(type)) derError(`signed attribute ${type} appears twice`);
      attrs.set(type, values);
    }
  }
  const signatureAlgorithm = parseAlgorithm(der, c.next(Tag.sequence));
  assertSignatureAlgorithmParams(signatureAlgorithm);
  const signature = contentBytes(der, c.next(Tag.octetString));
  c.optional(0xa1);
  c.end();
  return {
    version,
    sid,
    digestOid: digestAlg.oid,
    digestHash,
    signedAttrs,
    attrs,
    attrsBuf: der,
    signatureAlgorithm,
    signature,
  };
}

/** Maps a SignerInfo signatureAlgorithm (which may be the bare key algorithm) to an X.509 one. */
function effectiveAlgorithm(s: TSignerInfo): TAlgorithm {
  const byHash: Record<string, Partial<Record<THashName, string>>> = {
    [OID.rsaEncryption]: {
      "SHA-256": OID.sha256WithRSA,
      "SHA-384": OID.sha384WithRSA,
      "SHA-512": OID.sha512WithRSA,
    },
    [OID.ecPublicKey]: {
      "SHA-256": OID.ecdsaWithSha256,
      "SHA-384": OID.ecdsaWithSha384,
      "SHA-512": OID.ecdsaWithSha512,
    },
  };
  const m = byHash[s.signatureAlgorithm.oid];
  if (m) {
    const oid = m[s.digestHash];
    if (!oid)
      throw new AppError("ALGORITHM_UNSUPPORTED", {
        message: `digest ${s.digestHash} with ${s.signatureAlgorithm.oid}`,
      });
    return { oid };
  }
  return s.signatureAlgorithm;
}

/** The DER of a certificate's serialNumber INTEGER (the TLV after the optional version in the TBS). */
function serialDerOf(cert: TCertificate): Uint8Array {
  const tbs = readRoot(cert.tbs, Tag.sequence);
  const t = new Cursor(cert.tbs, tbs);
  t.optional(0xa0);
  return tlvBytes(cert.tbs, t.next(Tag.integer));
}

function singleAttr(s: TSignerInfo, oid: string): Tlv | undefined {
  const v = s.attrs.get(oid);
  return v && v.length === 1 ? v[0] : undefined;
}

/** The signing-certificate-v2 check (RFC 5035 §5.4): the first ESSCertIDv2 names the signer. */
function checkSigningCertificateV2(s: TSignerInfo, cert: TCertificate): string | undefined {
  const attr = singleAttr(s, OID.signingCertificateV2);
  if (!attr) return "signing-certificate-v2 attribute missing";
  const buf = s.attrsBuf;
  const certs = children(buf, new Cursor(buf, attr).next(Tag.sequence), 16);
  const first = certs[0];
  if (!first) return "signing-certificate-v2 lists no certificate";
  const c = new Cursor(buf, first);
  let hash: THashName = "SHA-256";
  if (c.peekTag() === Tag.sequence) {
    const alg = parseAlgorithm(buf, c.next(Tag.sequence));
    const h = HASH_BY_OID[alg.oid];
    if (!h) return `signing-certificate-v2 hash ${alg.oid} not supported`;
    hash = h;
  }
  const certHash = contentBytes(buf, c.next(Tag.octetString));
  const issuerSerial = c.optional(Tag.sequence);
  c.end();
  // The parse already holds the SHA-256 fingerprint; other hashes are computed.
  const expected = hash === "SHA-256" ? cert.fingerprint : toHex(digest(hash, cert.der));
  if (toHex(certHash) !== expected) return "signing-certificate-v2 hash does not match the signer certificate";
  if (issuerSerial) {
    const ic = new Cursor(buf, issuerSerial);
    const names = children(buf, ic.next(Tag.sequence), 8);
    const serial = serialHex(buf, ic.next(Tag.integer));
    ic.end();
    const dir = names.find((n) => n.tag === 0xa4);
    const issuerOk = dir ? parseName(buf, readTlv(buf, dir.start, dir.end)).key === cert.issuer.key : false;
    if (serial !== cert.serialHex || !issuerOk) return "signing-certificate-v2 issuerSerial does not match the signer";
  }
  return undefined;
}

/**
 * Verifies a CMS SignedData and returns a report with one check per {@link CheckCode}. The
 * report is `valid` only if every check passed. Throws CMS_MALFORMED / INPUT_TOO_LARGE when
 * the input is not SignedData at all, VALIDATION_FAILED for bad options.
 */
export async function verifyCms(options: TVerifyCmsOptions): Promise<TVerificationReport> {
  if (!(options.signedData instanceof Uint8Array))
    throw new AppError("VALIDATION_FAILED", { message: "signedData must be bytes" });
  if (!Array.isArray(options.trustAnchors) || options.trustAnchors.length === 0) {
    throw new AppError("VALIDATION_FAILED", { message: "trustAnchors must list at least one certificate" });
  }
  assertSize(options.signedData, MAX_CMS_BYTES, "SignedData");
  const now = options.time ?? new Date();
  const sd = withCode("CMS_MALFORMED", () => parseSignedData(options.signedData));
  const checks: TCheck[] = [];

  const content = sd.eContent ?? options.detachedContent;
  if (sd.eContent && options.detachedContent && !bytesEqual(sd.eContent, options.detachedContent)) {
    checks.push({
      code: CheckCode.CMS_STRUCTURE,
      ok: false,
      detail: "attached content differs from the detached content given",
    });
    return finishReport({ checks });
  }
  if (!content) {
    checks.push({ code: CheckCode.CMS_STRUCTURE, ok: false, detail: "detached signature but no content given" });
    return finishReport({ checks });
  }
  if (sd.signers.length !== 1) {
    checks.push({
      code: CheckCode.CMS_STRUCTURE,
      ok: false,
      detail: `expected one signer, found ${sd.signers.length}`,
    });
    return finishReport({ checks, content });
  }
  const s = sd.signers[0]!;
  const expectedVersion = expectedSignedDataVersion(sd);
  if (sd.version !== expectedVersion) {
    checks.push({
      code: CheckCode.CMS_STRUCTURE,
      ok: false,
      detail: `SignedData version ${sd.version}, RFC 5652 §5.1 requires ${expectedVersion} here`,
    });
    return finishReport({ checks, content });
  }
  if (!sd.digestAlgorithms.includes(s.digestOid)) {
    checks.push({
      code: CheckCode.CMS_STRUCTURE,
      ok: false,
      detail: "the signer's digest algorithm is not listed in digestAlgorithms",
    });
    return finishReport({ checks, content });
  }
  if (!s.signedAttrs) {
    checks.push({ code: CheckCode.CMS_STRUCTURE, ok: false, detail: "no signed attributes (CAdES-BES requires them)" });
    return finishReport({ checks, content });
  }
  checks.push({ code: CheckCode.CMS_STRUCTURE, ok: true });

  // The sid names the certificate by its exact DER (issuer Name and serial INTEGER), or by its
  // subject key identifier: a re-encoded issuer name (other string types, spaces) names nothing.
  const signer = sd.certificates.find((c) =>
    s.sid.ski
      ? c.subjectKeyId === s.sid.ski
      : bytesEqual(c.issuer.der, s.sid.issuerDer!) && bytesEqual(serialDerOf(c), s.sid.serialDer!),
  );
  if (!signer) {
    checks.push({
      code: CheckCode.CMS_SIGNER_CERTIFICATE,
      ok: false,
      detail: "signer certificate not in the SignedData",
    });
    return finishReport({ checks, content });
  }
  checks.push({ code: CheckCode.CMS_SIGNER_CERTIFICATE, ok: true });

  const buf = s.attrsBuf;
  const ctAttr = singleAttr(s, OID.contentType);
  const ctOk = ctAttr?.tag === Tag.oid && readOid(buf, ctAttr) === sd.eContentType;
  checks.push({
    code: CheckCode.CMS_CONTENT_TYPE,
    ok: ctOk,
    detail: ctOk ? undefined : "content-type attribute missing or different from eContentType",
  });

  const mdAttr = singleAttr(s, OID.messageDigest);
  const mdOk = mdAttr?.tag === Tag.octetString && bytesEqual(contentBytes(buf, mdAttr), digest(s.digestHash, content));
  checks.push({
    code: CheckCode.CMS_MESSAGE_DIGEST,
    ok: mdOk,
    detail: mdOk ? undefined : "message-digest does not match the content",
  });

  let signingTime: Date | undefined;
  const stAttr = singleAttr(s, OID.signingTime);
  let stDetail: string | undefined;
  if (!stAttr) stDetail = "signing-time attribute missing";
  else {
    try {
      signingTime = readTime(buf, stAttr);
      if (signingTime.getTime() > now.getTime() + (options.clockSkewMs ?? 5 * 60_000)) {
        stDetail = `signing-time ${signingTime.toISOString()} is after the verification time`;
      }
    } catch {
      stDetail = "signing-time is not a valid time";
    }
  }
  checks.push({ code: CheckCode.CMS_SIGNING_TIME, ok: !stDetail, detail: stDetail });

  let scDetail: string | undefined;
  try {
    scDetail = checkSigningCertificateV2(s, signer);
  } catch (err) {
    scDetail = `signing-certificate-v2 malformed: ${err instanceof Error ? err.message : String(err)}`;
  }
  checks.push({ code: CheckCode.CMS_SIGNING_CERTIFICATE_V2, ok: !scDetail, detail: scDetail });

  let sigOk = false;
  let sigDetail: string | undefined;
  try {
    sigOk = verifyWithAlgorithm(effectiveAlgorithm(s), signer.spki, s.signedAttrs, s.signature);
    if (!sigOk) sigDetail = "signature does not verify with the signer's key";
  } catch (err) {
    sigDetail = err instanceof AppError ? `${err.code}: ${err.message}` : String(err);
  }
  checks.push({ code: CheckCode.CMS_SIGNATURE, ok: sigOk, detail: sigDetail });

  const kuOk = allowsDocumentSignature(signer);
  checks.push({
    code: CheckCode.CERT_KEY_USAGE,
    ok: kuOk,
    detail: kuOk ? undefined : "signer keyUsage allows neither digitalSignature nor nonRepudiation",
  });

  const pathTime = signingTime ?? now;
  const pathInput = {
    leaf: signer,
    intermediates: [...sd.certificates, ...parsePool(options.intermediates ?? [])],
    trustAnchors: parsePool(options.trustAnchors),
    time: pathTime,
    requiredPolicies: options.requiredPolicies,
  };
  const cache = options.validationCache;
  const pathKey = cache ? SignerValidationCache.pathKey(pathInput) : undefined;
  const cachedPath = cache && pathKey ? cache.getPath(pathKey, pathTime) : undefined;
  const chain: TParsedChainResult = cachedPath ? { valid: true, path: cachedPath } : validateParsedChain(pathInput);
  if (cache && pathKey && !cachedPath && chain.valid && chain.path) cache.setPath(pathKey, chain.path);
  checks.push({
    code: CheckCode.CERT_PATH,
    ok: chain.valid,
    detail: chain.valid ? undefined : `${chain.code}: ${chain.reason}`,
  });

  let facts: TVerificationReport["facts"];
  try {
    facts = describeJpkiCertificate(signer).facts;
  } catch {
    facts = undefined;
  }

  let revocation: TVerificationReport["revocation"];
  const issuer = chain.path?.[1];
  if (options.revocation) {
    if (!issuer) {
      checks.push({ code: CheckCode.CERT_REVOCATION, ok: false, detail: "no issuer: the path did not validate" });
    } else {
      const r = await checkRevocationParsed(signer, issuer, {
        ocsp: options.revocation.ocsp,
        crls: options.revocation.crls,
        cache: options.revocation.cache ?? cache?.revocation,
        now,
      });
      revocation = { status: r.status, reason: r.reason, revokedAt: r.revokedAt, source: r.source };
      const detail =
        r.status === "good"
          ? undefined
          : r.status === "revoked"
            ? `revoked at ${r.revokedAt?.toISOString()} (${r.reason})`
            : `${r.status}${r.failures?.length ? `: ${r.failures.map((f) => f.code).join(", ")}` : ""}`;
      checks.push({ code: CheckCode.CERT_REVOCATION, ok: r.status === "good", detail });
    }
  }

  return finishReport({
    checks,
    signerCertificate: signer.der,
    path: chain.path?.map((c) => c.der),
    signingTime,
    content,
    facts,
    revocation,
  });
}

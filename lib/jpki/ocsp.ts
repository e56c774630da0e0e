import { randomBytes } from "node:crypto";
import { AppError } from "@/lib/errors/app-error";
import {
  KeyUsage,
  parseAlgorithm,
  parseCertificate,
  type TAlgorithm,
  type TCertificate,
  withCode,
} from "./certificate";
import { isSignedBy } from "./chain";
import { certificateViolations } from "./conformance";
import { reasonFromCode, type TRevocationReason } from "./revocation-reason";
import {
  bytesEqual,
  Cursor,
  children,
  contentBytes,
  derError,
  encode,
  encodeInteger,
  encodeNull,
  encodeOctetString,
  encodeOid,
  encodeSequence,
  readBitStringBytes,
  readBoolean,
  readOid,
  readRoot,
  readSmallInt,
  readTime,
  readTlv,
  serialHex,
  type Tlv,
  Tag,
  tlvBytes,
} from "./der";
import { parseName } from "./name";
import { HASH_BY_OID, OID, type THashName } from "./oids";
import { digest, verifyWithAlgorithm } from "./signature";
import { RevocationCode, type TRevocationCode } from "./verification-report";

/**
 * OCSP client (RFC 6960) with RFC 8954 nonces. Checks, in order: HTTP and responseStatus,
 * structure, the signer's authorisation (the CA itself, or a certificate issued by the CA with
 * id-kp-OCSPSigning, §4.2.2.2), the signature, the nonce, the CertID, and freshness
 * (thisUpdate not too old nor in the future, nextUpdate not past, §3.2). Any failure is
 * CERT_STATUS_UNAVAILABLE with `details.code` from {@link RevocationCode} — never "good".
 */

/** Largest OCSP response accepted. */
export const MAX_OCSP_RESPONSE_BYTES = 1024 * 1024;

/** A definite answer from a responder. */
export type TOcspStatus = {
  status: "good" | "revoked" | "unknown";
  reason?: TRevocationReason;
  revokedAt?: Date;
  thisUpdate: Date;
  nextUpdate?: Date;
  producedAt: Date;
};

/** Options of {@link queryOcsp}. */
export type TQueryOcspOptions = {
  url: string;
  certificate: TCertificate;
  issuer: TCertificate;
  now: Date;
  /** Extra candidate responder certificates (still required to be authorised by the CA). */
  responderCertificates?: TCertificate[];
  fetch?: typeof fetch;
  /** Extra HTTP headers, e.g. the registered-verifier credentials J-LIS requires (docs/jpki.md#registered-verifiers). */
  headers?: Record<string, string>;
  /** Send a nonce and require it back (default true). */
  nonce?: boolean;
  /** Oldest acceptable thisUpdate (default 15 minutes). */
  maxAgeMs?: number;
  /** Allowed clock difference with the responder (default 5 minutes). */
  clockSkewMs?: number;
  timeoutMs?: number;
};

function unavailable(code: TRevocationCode, message: string, cause?: unknown): never {
  throw new AppError("CERT_STATUS_UNAVAILABLE", { message, details: { code }, cause });
}

/** CertID (RFC 6960 §4.1.1) with `hash` over the issuer's name and key. */
export function certId(cert: TCertificate, issuer: TCertificate, hash: THashName = "SHA-1"): Uint8Array {
  const hashOid = Object.entries(HASH_BY_OID).find(([, h]) => h === hash)![0];
  return encodeSequence(
    encodeSequence(encodeOid(hashOid), encodeNull()),
    encodeOctetString(digest(hash, issuer.subject.der)),
    encodeOctetString(digest(hash, issuer.publicKeyBits)),
    encodeInteger(cert.serial),
  );
}

/** DER OCSPRequest for one certificate, optionally with a nonce extension (RFC 8954). */
export function buildOcspRequest(cert: TCertificate, issuer: TCertificate, nonce?: Uint8Array): Uint8Array {
  const request = encodeSequence(certId(cert, issuer));
  const parts = [encodeSequence(request)];
  if (nonce) {
    const ext = encodeSequence(encodeOid(OID.ocspNonce), encodeOctetString(encodeOctetString(nonce)));
    parts.push(encode(0xa2, encodeSequence(ext)));
  }
  return encodeSequence(encodeSequence(...parts));
}

/** A parsed BasicOCSPResponse (RFC 6960 §4.2.1). */
export type TBasicOcspResponse = {
  tbs: Uint8Array;
  signatureAlgorithm: TAlgorithm;
  signature: Uint8Array;
  responderId: { byName?: string; byKeyHash?: Uint8Array };
  producedAt: Date;
  nonce?: Uint8Array;
  certs: TCertificate[];
  responses: {
    certId: { hash: THashName; nameHash: Uint8Array; keyHash: Uint8Array; serialHex: string };
    status: "good" | "revoked" | "unknown";
    revokedAt?: Date;
    reason?: TRevocationReason;
    thisUpdate: Date;
    nextUpdate?: Date;
  }[];
};

/**
 * Parses an OCSPResponse. Returns the responseStatus name when it is not `successful`.
 * Throws OCSP_MALFORMED (or INPUT_TOO_LARGE) on anything unparseable.
 */
export function parseOcspResponse(der: Uint8Array): { status: string; basic?: TBasicOcspResponse } {
  if (!(der instanceof Uint8Array)) throw new AppError("OCSP_MALFORMED", { message: "expected bytes" });
  if (der.length > MAX_OCSP_RESPONSE_BYTES)
    throw new AppError("INPUT_TOO_LARGE", { message: "OCSP response too large" });
  return withCode("OCSP_MALFORMED", () => {
    const root = readRoot(der, Tag.sequence);
    const c = new Cursor(der, root);
    const st = readSmallInt(der, c.next(Tag.enumerated), Tag.enumerated);
    const names = ["successful", "malformedRequest", "internalError", "tryLater", "4", "sigRequired", "unauthorized"];
    const status = names[st] ?? `status${st}`;
    const rb = c.optional(0xa0);
    c.end();
    if (status !== "successful") return { status };
    if (!rb) derError("successful response without responseBytes");
    const rbSeq = readTlv(der, rb.start, rb.end);
    if (rbSeq.tag !== Tag.sequence || rbSeq.end !== rb.end) derError("responseBytes must be one SEQUENCE");
    const rc = new Cursor(der, rbSeq);
    const type = readOid(der, rc.next(Tag.oid));
    if (type !== OID.ocspBasic) derError(`response type ${type} is not id-pkix-ocsp-basic`);
    const octets = contentBytes(der, rc.next(Tag.octetString));
    rc.end();
    return { status, basic: parseBasic(octets) };
  });
}

function parseBasic(buf: Uint8Array): TBasicOcspResponse {
  const root = readRoot(buf, Tag.sequence);
  const c = new Cursor(buf, root);
  const tbsTlv = c.next(Tag.sequence);
  const signatureAlgorithm = parseAlgorithm(buf, c.next(Tag.sequence));
  const signature = readBitStringBytes(buf, c.next(Tag.bitString));
  const certsTlv = c.optional(0xa0);
  c.end();
  const certs: TCertificate[] = [];
  if (certsTlv) {
    const seq = readTlv(buf, certsTlv.start, certsTlv.end);
    for (const t of children(buf, seq, 8)) certs.push(parseCertificate(tlvBytes(buf, t)));
  }
  const t = new Cursor(buf, tbsTlv);
  const v = t.optional(0xa0);
  if (v && readSmallInt(buf, readTlv(buf, v.start, v.end)) !== 0) derError("unknown ResponseData version");
  const rid = t.next();
  const responderId: TBasicOcspResponse["responderId"] = {};
  if (rid.tag === 0xa1) responderId.byName = parseName(buf, readTlv(buf, rid.start, rid.end)).key;
  else if (rid.tag === 0xa2) {
    const k = readTlv(buf, rid.start, rid.end);
    if (k.tag !== Tag.octetString) derError("responderID byKey must be an OCTET STRING");
    responderId.byKeyHash = contentBytes(buf, k);
  } else derError("bad responderID");
  const producedAt = readTime(buf, t.next(Tag.generalizedTime));
  const responses = children(buf, t.next(Tag.sequence), 64).map((r) => parseSingle(buf, r));
  const extsTlv = t.optional(0xa1);
  t.end();
  let nonce: Uint8Array | undefined;
  if (extsTlv) {
    for (const e of children(buf, readTlv(buf, extsTlv.start, extsTlv.end), 32)) {
      const ec = new Cursor(buf, e);
      const oid = readOid(buf, ec.next(Tag.oid));
      const ct = ec.optional(Tag.boolean);
      const critical = ct ? readBoolean(buf, ct) : false;
      const value = ec.next(Tag.octetString);
      ec.end();
      if (oid === OID.ocspNonce) {
        // RFC 8954 §2.1: extnValue holds an OCTET STRING; some responders put the raw bytes.
        const inner = value.end > value.start ? readTlvSafe(buf, value) : undefined;
        nonce = inner ? contentBytes(buf, inner) : contentBytes(buf, value);
      } else if (critical) derError(`unknown critical response extension ${oid}`);
    }
  }
  return {
    tbs: tlvBytes(buf, tbsTlv),
    signatureAlgorithm,
    signature,
    responderId,
    producedAt,
    nonce,
    certs,
    responses,
  };
}

function readTlvSafe(buf: Uint8Array, outer: Tlv): Tlv | undefined {
  try {
    const inner = readTlv(buf, outer.start, outer.end);
    return inner.tag === Tag.octetString && inner.end === outer.end ? inner : undefined;
  } catch {
    return undefined;
  }
}

function parseSingle(buf: Uint8Array, tlv: Tlv): TBasicOcspResponse["responses"][number] {
  const c = new Cursor(buf, tlv);
  const idTlv = c.next(Tag.sequence);
  const ic = new Cursor(buf, idTlv);
  const alg = parseAlgorithm(buf, ic.next(Tag.sequence));
  const hash = HASH_BY_OID[alg.oid];
  if (!hash) derError(`CertID hash ${alg.oid}`);
  const nameHash = contentBytes(buf, ic.next(Tag.octetString));
  const keyHash = contentBytes(buf, ic.next(Tag.octetString));
  const serial = serialHex(buf, ic.next(Tag.integer));
  ic.end();
  const st = c.next();
  let status: "good" | "revoked" | "unknown";
  let revokedAt: Date | undefined;
  let reason: TRevocationReason | undefined;
  if (st.tag === 0x80 && st.end === st.start) status = "good";
  else if (st.tag === 0x82 && st.end === st.start) status = "unknown";
  else if (st.tag === 0xa1) {
    status = "revoked";
    const rc = new Cursor(buf, st);
    revokedAt = readTime(buf, rc.next(Tag.generalizedTime));
    const r = rc.optional(0xa0);
    rc.end();
    reason = r ? reasonFromCode(readSmallInt(buf, readTlv(buf, r.start, r.end), Tag.enumerated)) : "unspecified";
  } else return derError("bad certStatus");
  const thisUpdate = readTime(buf, c.next(Tag.generalizedTime));
  const nu = c.optional(0xa0);
  const nextUpdate = nu ? readTime(buf, readTlv(buf, nu.start, nu.end)) : undefined;
  c.optional(0xa1);
  c.end();
  return { certId: { hash, nameHash, keyHash, serialHex: serial }, status, revokedAt, reason, thisUpdate, nextUpdate };
}

/** Does `cert` match the responderID (byName: subject; byKey: SHA-1 of the key bits)? */
function matchesResponderId(cert: TCertificate, id: TBasicOcspResponse["responderId"]): boolean {
  if (id.byName !== undefined) return cert.subject.key === id.byName;
  if (id.byKeyHash) return bytesEqual(digest("SHA-1", cert.publicKeyBits), id.byKeyHash);
  return false;
}

/**
 * Verifies a parsed response for `cert` issued by `issuer` and returns its status.
 * Exposed for tests and for callers that fetch responses themselves.
 */
export function verifyOcspResponse(
  basic: TBasicOcspResponse,
  o: {
    certificate: TCertificate;
    issuer: TCertificate;
    now: Date;
    nonce?: Uint8Array;
    responderCertificates?: TCertificate[];
    maxAgeMs?: number;
    clockSkewMs?: number;
  },
): TOcspStatus {
  const { certificate: cert, issuer, now } = o;
  // §4.2.2.2: the CA itself, or a delegated responder the CA issued with id-kp-OCSPSigning (and
  // that meets the conforming-CA rules of conformance.ts, like any certificate on a path).
  let signer: TCertificate | undefined;
  if (matchesResponderId(issuer, basic.responderId)) signer = issuer;
  else {
    for (const r of [...basic.certs, ...(o.responderCertificates ?? [])]) {
      if (!matchesResponderId(r, basic.responderId)) continue;
      const authorised =
        r.issuer.key === issuer.subject.key &&
        (r.extKeyUsage ?? []).includes(OID.kpOcspSigning) &&
        (r.keyUsage === undefined || (r.keyUsage & KeyUsage.digitalSignature) !== 0) &&
        r.notBefore.getTime() <= now.getTime() &&
        now.getTime() <= r.notAfter.getTime() &&
        r.unknownCriticalExtensions.length === 0 &&
        certificateViolations(r).length === 0 &&
        safeSignedBy(r, issuer);
      if (authorised) {
        signer = r;
        break;
      }
    }
  }
  if (!signer) {
    unavailable(
      RevocationCode.OCSP_RESPONDER_UNAUTHORIZED,
      `OCSP response not signed by ${issuer.subject.text} or its delegate`,
    );
  }
  let sigOk: boolean;
  try {
    sigOk = verifyWithAlgorithm(basic.signatureAlgorithm, signer.spki, basic.tbs, basic.signature);
  } catch (err) {
    return unavailable(RevocationCode.OCSP_SIGNATURE_INVALID, "OCSP signature algorithm or key not accepted", err);
  }
  if (!sigOk) unavailable(RevocationCode.OCSP_SIGNATURE_INVALID, "OCSP response signature does not verify");
  if (o.nonce) {
    if (!basic.nonce) unavailable(RevocationCode.OCSP_NONCE_MISSING, "OCSP response has no nonce");
    if (!bytesEqual(basic.nonce, o.nonce)) unavailable(RevocationCode.OCSP_NONCE_MISMATCH, "OCSP nonce mismatch");
  }
  const single = basic.responses.find(
    (r) =>
      r.certId.serialHex === cert.serialHex &&
      bytesEqual(r.certId.nameHash, digest(r.certId.hash, issuer.subject.der)) &&
      bytesEqual(r.certId.keyHash, digest(r.certId.hash, issuer.publicKeyBits)),
  );
  if (!single) unavailable(RevocationCode.OCSP_CERT_ID_MISMATCH, `no OCSP answer for serial ${cert.serialHex}`);
  const skew = o.clockSkewMs ?? 5 * 60_000;
  const maxAge = o.maxAgeMs ?? 15 * 60_000;
  const t = now.getTime();
  if (single.thisUpdate.getTime() > t + skew)
    unavailable(RevocationCode.OCSP_STALE, "OCSP thisUpdate is in the future");
  if (single.thisUpdate.getTime() < t - maxAge - skew) {
    unavailable(RevocationCode.OCSP_STALE, `OCSP thisUpdate ${single.thisUpdate.toISOString()} is too old`);
  }
  if (single.nextUpdate && single.nextUpdate.getTime() < t - skew) {
    unavailable(RevocationCode.OCSP_STALE, `OCSP nextUpdate ${single.nextUpdate.toISOString()} has passed`);
  }
  return {
    status: single.status,
    reason: single.reason,
    revokedAt: single.revokedAt,
    thisUpdate: single.thisUpdate,
    nextUpdate: single.nextUpdate,
    producedAt: basic.producedAt,
  };
}

function safeSignedBy(cert: TCertificate, issuer: TCertificate): boolean {
  try {
    return isSignedBy(cert, issuer);
  } catch {
    return false;
  }
}

/**
 * Asks the responder at `url` (HTTP POST, RFC 6960 Appendix A.1) for the status of
 * `certificate` and verifies the answer. Throws CERT_STATUS_UNAVAILABLE with a
 * {@link RevocationCode} when no trustworthy answer was obtained.
 */
export async function queryOcsp(o: TQueryOcspOptions): Promise<TOcspStatus> {
  const useNonce = o.nonce ?? true;
  const nonce = useNonce ? new Uint8Array(randomBytes(32)) : undefined;
  const body = buildOcspRequest(o.certificate, o.issuer, nonce);
  const doFetch = o.fetch ?? fetch;
  let res: Response;
  try {
    res = await doFetch(o.url, {
      method: "POST",
      headers: { ...o.headers, "content-type": "application/ocsp-request", accept: "application/ocsp-response" },
      body: Buffer.from(body),
      signal: AbortSignal.timeout(o.timeoutMs ?? 5000),
    });
  } catch (err) {
    return unavailable(RevocationCode.OCSP_UNREACHABLE, `OCSP responder ${o.url} unreachable`, err);
  }
  if (res.status !== 200) {
    await res.body?.cancel();
    unavailable(RevocationCode.OCSP_HTTP_ERROR, `OCSP responder answered HTTP ${res.status}`);
  }
  const declared = Number(res.headers.get("content-length") ?? "0");
  if (declared > MAX_OCSP_RESPONSE_BYTES) {
    await res.body?.cancel();
    unavailable(RevocationCode.OCSP_MALFORMED, "OCSP response too large");
  }
  let der: Uint8Array;
  try {
    der = await readLimited(res, MAX_OCSP_RESPONSE_BYTES);
  } catch (err) {
    if (err instanceof AppError) throw err;
    return unavailable(RevocationCode.OCSP_UNREACHABLE, "OCSP response body could not be read", err);
  }
  let parsed: ReturnType<typeof parseOcspResponse>;
  try {
    parsed = parseOcspResponse(der);
  } catch (err) {
    return unavailable(RevocationCode.OCSP_MALFORMED, err instanceof Error ? err.message : "malformed", err);
  }
  if (!parsed.basic) return unavailable(RevocationCode.OCSP_RESPONSE_STATUS, `OCSP responseStatus ${parsed.status}`);
  return verifyOcspResponse(parsed.basic, { ...o, nonce });
}

/** Reads a response body, refusing (OCSP_MALFORMED) more than `max` bytes even when chunked. */
async function readLimited(res: Response, max: number): Promise<Uint8Array> {
  if (!res.body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of res.body) {
    total += chunk.length;
    if (total > max) unavailable(RevocationCode.OCSP_MALFORMED, "OCSP response too large");
    chunks.push(chunk);
  }
  const out = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

/** Parses DER responder certificates given by configuration. */
export function parseResponderCertificates(ders: Uint8Array[] | undefined): TCertificate[] {
  return (ders ?? []).map((d) => parseCertificate(d));
}

/**
 * The simulated J-LIS OCSP responder (RFC 6960): answers good / revoked (time, reason) /
 * unknown for certificates of one CA per request, signs with that CA's delegated responder
 * certificate (id-kp-OCSPSigning, included in `certs`), identifies itself by key hash, and echoes
 * the request nonce (RFC 8954). CertIDs with SHA-1 or SHA-256 are understood.
 */
import { createHash } from "node:crypto";
import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import { REVOCATION_REASON_CODES } from "../ca/crl";
import type { SimulatedJlis } from "../jlis";

const OID_OCSP_BASIC = "1.3.6.1.5.5.7.48.1.1";
/** id-pkix-ocsp-nonce (RFC 6960 §4.4.1). */
export const OID_OCSP_NONCE = "1.3.6.1.5.5.7.48.1.2";
const HASH_BY_OID: Record<string, "SHA-1" | "SHA-256"> = {
  "1.3.14.3.2.26": "SHA-1",
  "2.16.840.1.101.3.4.2.1": "SHA-256",
};
/** More CertIDs than this in one request is refused as malformed. */
const MAX_REQUESTS = 100;

/** OCSPResponseStatus (RFC 6960 §4.2.1). */
export const OCSP_STATUS = {
  successful: 0,
  malformedRequest: 1,
  internalError: 2,
  tryLater: 3,
  sigRequired: 5,
  unauthorized: 6,
} as const;

const engine = new pkijs.CryptoEngine({ name: "jlis-ocsp", crypto: globalThis.crypto });

function statusOnly(status: number): Uint8Array {
  const response = new pkijs.OCSPResponse({ responseStatus: new asn1js.Enumerated({ value: status }) });
  return new Uint8Array(response.toSchema().toBER());
}

const hex = (view: Uint8Array) => Buffer.from(view).toString("hex");
const wholeSeconds = (d: Date) => new Date(Math.floor(d.getTime() / 1000) * 1000);

/**
 * Answer one DER OCSPRequest. Never throws for bad input: malformed requests get
 * `malformedRequest`, CertIDs of a CA this J-LIS does not run (or mixing CAs) get `unauthorized`.
 */
export async function respondOcsp(jlis: SimulatedJlis, requestDer: Uint8Array): Promise<Uint8Array> {
  let request: pkijs.OCSPRequest;
  try {
    request = pkijs.OCSPRequest.fromBER(new Uint8Array(requestDer));
  } catch {
    return statusOnly(OCSP_STATUS.malformedRequest);
  }
  const list = request.tbsRequest.requestList;
  if (list.length === 0 || list.length > MAX_REQUESTS) return statusOnly(OCSP_STATUS.malformedRequest);

  const now = wholeSeconds(jlis.now());
  const nextUpdate = new Date(now.getTime() + jlis.ocspValidityMs);
  let issuer: ReturnType<SimulatedJlis["caByCertIdHashes"]>;
  const responses: pkijs.SingleResponse[] = [];
  for (const { reqCert } of list) {
    const hash = HASH_BY_OID[reqCert.hashAlgorithm.algorithmId];
    if (!hash) return statusOnly(OCSP_STATUS.malformedRequest);
    const ca = jlis.caByCertIdHashes(
      hash,
      hex(reqCert.issuerNameHash.valueBlock.valueHexView),
      hex(reqCert.issuerKeyHash.valueBlock.valueHexView),
    );
    // One response has one signer, and a delegated responder speaks only for its own CA.
    if (!ca || (issuer && issuer !== ca)) return statusOnly(OCSP_STATUS.unauthorized);
    issuer = ca;
    // A serial is a positive INTEGER of at most 20 octets; anything else is not one of ours.
    const serialView = reqCert.serialNumber.valueBlock.valueHexView;
    const serial = serialView.length > 0 && (serialView[0]! & 0x80) === 0 ? BigInt(`0x${hex(serialView)}`) : 0n;
    const s =
      serial > 0n && serial < 1n << 160n ? jlis.status(serial.toString(16), ca) : { status: "unknown" as const };
    let certStatus: asn1js.AsnType;
    if (s.status === "good") {
      certStatus = new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: 0 } });
    } else if (s.status === "revoked") {
      certStatus = new asn1js.Constructed({
        idBlock: { tagClass: 3, tagNumber: 1 },
        value: [
          new asn1js.GeneralizedTime({ valueDate: wholeSeconds(s.revokedAt) }),
          new asn1js.Constructed({
            idBlock: { tagClass: 3, tagNumber: 0 },
            value: [new asn1js.Enumerated({ value: REVOCATION_REASON_CODES[s.reason] })],
          }),
        ],
      });
    } else {
      certStatus = new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: 2 } });
    }
    responses.push(new pkijs.SingleResponse({ certID: reqCert, certStatus, thisUpdate: now, nextUpdate }));
  }
  if (!issuer) return statusOnly(OCSP_STATUS.unauthorized);

  const responder = jlis.responderFor(issuer);
  const responderCert = pkijs.Certificate.fromBER(new Uint8Array(responder.certificate));
  const keyHash = createHash("sha1")
    .update(responderCert.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView)
    .digest();
  const nonce = request.tbsRequest.requestExtensions?.find((e) => e.extnID === OID_OCSP_NONCE);
  const tbsResponseData = new pkijs.ResponseData({
    responderID: new asn1js.OctetString({ valueHex: keyHash }),
    producedAt: now,
    responses,
    ...(nonce
      ? {
          responseExtensions: [
            new pkijs.Extension({
              extnID: OID_OCSP_NONCE,
              critical: false,
              extnValue: nonce.extnValue.valueBlock.valueHexView.slice().buffer,
            }),
          ],
        }
      : {}),
  });
  const basic = new pkijs.BasicOCSPResponse({ tbsResponseData, certs: [responderCert] });
  await basic.sign(responder.privateKey, "SHA-256", engine);
  const response = new pkijs.OCSPResponse({
    responseStatus: new asn1js.Enumerated({ value: OCSP_STATUS.successful }),
    responseBytes: new pkijs.ResponseBytes({
      responseType: OID_OCSP_BASIC,
      response: new asn1js.OctetString({ valueHex: basic.toSchema().toBER() }),
    }),
  });
  return new Uint8Array(response.toSchema().toBER());
}

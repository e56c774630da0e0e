/**
 * The J-LIS services the platform uses besides CRLs (docs/jpki.md#revocation): OCSP by issuer + serial
 * (the platform keeps no raw certificates, docs/jpki.md#identity-verification), 証明書紐付け (sign → auth),
 * 証明書新旧紐付け (old → new) and the consented latest four facts.
 */
import { AppError } from "../errors/app-error";
import { parseCertificateCached } from "../jpki/chain";
import type { TCertificate } from "../jpki/certificate";
import { normaliseSerial } from "../jpki/crl";
import { queryOcsp, type TOcspStatus } from "../jpki/ocsp";
import type { TFourFacts } from "../jpki/verification-report";
import type { TPlatformJlis } from "../platform/platform-context";

async function getJson(jlis: TPlatformJlis, path: string): Promise<{ status: number; body: unknown }> {
  let res: Response;
  try {
    res = await jlis.fetch(`${jlis.baseUrl}${path}`, { signal: AbortSignal.timeout(5000) });
  } catch (cause) {
    throw new AppError("CERT_STATUS_UNAVAILABLE", { message: "The J-LIS service is unreachable.", cause });
  }
  const body: unknown = await res.json().catch(() => undefined);
  return { status: res.status, body };
}

function errorCodeOf(body: unknown): string | undefined {
  const e = (body as { error?: { code?: unknown } } | undefined)?.error;
  return typeof e?.code === "string" ? e.code : undefined;
}

/**
 * OCSP status (RFC 6960) of a certificate known only by serial and issuer: the CertID needs the
 * issuer's name and key hashes and the serial, nothing of the certificate itself.
 */
export async function ocspStatusBySerial(
  jlis: TPlatformJlis,
  o: { serialHex: string; issuer: Uint8Array; now: Date },
): Promise<TOcspStatus> {
  const serialHex = normaliseSerial(o.serialHex);
  // queryOcsp reads only `serial` and `serialHex` of the subject certificate (CertID, matching).
  const subject = { serial: BigInt(`0x${serialHex}`), serialHex } as TCertificate;
  return queryOcsp({
    url: `${jlis.baseUrl}/ocsp`,
    certificate: subject,
    issuer: parseCertificateCached(o.issuer),
    now: o.now,
    responderCertificates: jlis.responderCertificates.map(parseCertificateCached),
    fetch: jlis.fetch,
    timeoutMs: 5000,
  });
}

/** The full CRL URL of a CA (by the SHA-256 of its certificate), or undefined when none is configured. */
export function crlUrlOf(jlis: TPlatformJlis, issuerFingerprint: string): string | undefined {
  const p = jlis.crlPaths.get(issuerFingerprint);
  return p ? `${jlis.baseUrl}/crl/${p}` : undefined;
}

/** 証明書紐付け: the auth certificate serial issued with a signing certificate; null if J-LIS has none. */
export async function authSerialOfSign(jlis: TPlatformJlis, signSerialHex: string): Promise<string | null> {
  const { status, body } = await getJson(jlis, `/link/sign-to-auth/${normaliseSerial(signSerialHex)}`);
  if (status === 404) return null;
  if (status !== 200) throw new AppError("CERT_STATUS_UNAVAILABLE", { message: `J-LIS answered ${status}.` });
  const a = (body as { authSerial?: unknown }).authSerial;
  // The platform and CertificateBinding keep serials without leading zeros (normaliseSerial pads
  // odd-length hex to whole octets, which would miss one binding in sixteen).
  return typeof a === "string" ? normaliseSerial(a).replace(/^0+(?=.)/, "") : null;
}

/** 証明書新旧紐付け: the certificate that replaced this one and the newest in the chain. */
export async function successorOfSerial(
  jlis: TPlatformJlis,
  serialHex: string,
): Promise<{ successor: string | null; latest: string } | null> {
  const { status, body } = await getJson(jlis, `/link/successor/${normaliseSerial(serialHex)}`);
  if (status === 404) return null;
  if (status !== 200) throw new AppError("CERT_STATUS_UNAVAILABLE", { message: `J-LIS answered ${status}.` });
  const a = body as { successor?: string | null; latest?: string };
  return { successor: a.successor ?? null, latest: a.latest ?? serialHex };
}

/** Result of {@link latestFactsOf}: consent withdrawn or never given is `consented: false`. */
export type TLatestFacts =
  | { consented: false }
  | { consented: true; facts: TFourFactsLatest; deceased: boolean; currentSignSerial: string | null; asOf: string };

/** The latest four facts as J-LIS gives them (docs/jpki.md#linking-services, 最新の基本4情報). */
export type TFourFactsLatest = Pick<TFourFacts, "name" | "address" | "gender"> & { dateOfBirth?: string };

/**
 * 最新の基本4情報 (docs/jpki.md#linking-services): the current facts of the holder of a (possibly revoked) signing
 * certificate, given only when the resident consented (J-LIS answers 403 JLIS_CONSENT_MISSING).
 */
export async function latestFactsOf(jlis: TPlatformJlis, signSerialHex: string): Promise<TLatestFacts> {
  const { status, body } = await getJson(jlis, `/facts/${normaliseSerial(signSerialHex)}`);
  if (status === 403 && errorCodeOf(body) === "JLIS_CONSENT_MISSING") return { consented: false };
  if (status === 404) return { consented: false };
  if (status !== 200) throw new AppError("CERT_STATUS_UNAVAILABLE", { message: `J-LIS answered ${status}.` });
  const a = body as {
    facts: { name: string; address: string; dateOfBirth?: string; gender: TFourFacts["gender"] };
    deceased?: boolean;
    currentSignSerial?: string | null;
    asOf?: string;
  };
  return {
    consented: true,
    facts: { name: a.facts.name, address: a.facts.address, dateOfBirth: a.facts.dateOfBirth, gender: a.facts.gender },
    deceased: a.deceased === true,
    currentSignSerial: a.currentSignSerial ?? null,
    asOf: a.asOf ?? new Date().toISOString(),
  };
}

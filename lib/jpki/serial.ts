import { AppError } from "@/lib/errors/app-error";

/**
 * The one form of a certificate serial number in ichimai: lower-case hex of the INTEGER's
 * content octets without leading zeros ("0" for zero), e.g. `a1b2`, never `00a1b2` or `0a1b2`.
 *
 * It is the form every parsed certificate, CRL entry and OCSP CertID carries (`serialHex`), the
 * form the database stores (CertificateBinding.serialNumber, IdentityVerification.signerSerialNumber,
 * CertificateWatch.serialNumber) and the form of the J-LIS paths and answers (`/link/…/<serial>`,
 * `/facts/<serial>`), so serials compare as strings everywhere.
 *
 * Parsed from DER (see {@link serialOfOctets}) it is the content octets with leading zero octets
 * and then a leading zero nibble dropped, so a non-negative serial is its value in hex. A negative
 * serial (seen in the wild, forbidden by RFC 5280) is spelled by its two's-complement octets, as
 * CRLs and OCSP carry it; its first octet is 0x80 or more, so there is no zero to drop.
 */
export function canonicalSerial(serial: bigint | string): string {
  if (typeof serial === "bigint") {
    if (serial < 0n) throw new AppError("DER_MALFORMED", { message: "negative serial" });
    return serial.toString(16);
  }
  if (!/^[0-9a-fA-F]{1,128}$/.test(serial)) {
    throw new AppError("VALIDATION_FAILED", { message: `not a hexadecimal serial number: ${serial}` });
  }
  return serial.toLowerCase().replace(/^0+(?=.)/, "");
}

/** {@link canonicalSerial}, or null when `serial` is not a hex serial (answers from elsewhere). */
export function canonicalSerialOrNull(serial: string | null | undefined): string | null {
  if (typeof serial !== "string" || !/^[0-9a-fA-F]{1,128}$/.test(serial)) return null;
  return canonicalSerial(serial);
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

/** The canonical serial of DER INTEGER content octets `buf[start, end)` (non-empty). */
export function serialOfOctets(buf: Uint8Array, start: number, end: number): string {
  while (start < end - 1 && buf[start] === 0) start++;
  let out = buf[start]!.toString(16);
  for (let i = start + 1; i < end; i++) out += HEX[buf[i]!];
  return out;
}

/** The content octets of a canonical serial as hex (even length: a leading zero nibble restored). */
export function serialOctetsHex(canonical: string): string {
  return canonical.length % 2 ? `0${canonical}` : canonical;
}

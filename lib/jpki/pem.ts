import { AppError } from "@/lib/errors/app-error";

/** Largest PEM text accepted (a CRL can be big; certificates are a few KB). */
const MAX_PEM_CHARS = 64 * 1024 * 1024;

/**
 * Decodes every PEM block with `label` (RFC 7468 §2; e.g. "CERTIFICATE", "X509 CRL") to DER.
 * Text outside the blocks is ignored, as RFC 7468 allows.
 */
export function pemToDerAll(pem: string, label = "CERTIFICATE"): Uint8Array[] {
  if (typeof pem !== "string") throw new AppError("DER_MALFORMED", { message: "PEM input must be a string" });
  if (pem.length > MAX_PEM_CHARS) throw new AppError("INPUT_TOO_LARGE", { message: "PEM text too large" });
  const out: Uint8Array[] = [];
  const re = new RegExp(`-----BEGIN ${label}-----([A-Za-z0-9+/=\\s]*?)-----END ${label}-----`, "g");
  for (const m of pem.matchAll(re)) {
    const b64 = (m[1] ?? "").replace(/\s+/g, "");
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64) || b64.length % 4 !== 0) {
      throw new AppError("DER_MALFORMED", { message: `invalid base64 in PEM ${label} block` });
    }
    out.push(new Uint8Array(Buffer.from(b64, "base64")));
  }
  return out;
}

/** Decodes the first PEM block with `label`; DER_MALFORMED when there is none. */
export function pemToDer(pem: string, label = "CERTIFICATE"): Uint8Array {
  const first = pemToDerAll(pem, label)[0];
  if (!first) throw new AppError("DER_MALFORMED", { message: `no PEM ${label} block found` });
  return first;
}

/** Encodes DER as a PEM block with 64-character lines (RFC 7468 §2). */
export function derToPem(der: Uint8Array, label = "CERTIFICATE"): string {
  const b64 = Buffer.from(der).toString("base64");
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`;
}

import { z } from "zod";

/*
 * The QR code of a shared document (share screen → /verify): what an offline verifier compares
 * the signed bundle against. Zod only, so the share panel's client bundle stays small.
 */

/** Format tag of the QR content. */
export const VERIFY_QR_FORMAT = "ichimai-verify/1";

/** What the QR code of a shared document carries (short keys keep the QR small). */
export const ZVerifyQr = z.strictObject({
  v: z.literal(VERIFY_QR_FORMAT),
  /** Document id. */
  id: z.uuid(),
  /** Document type id. */
  t: z.string().min(1).max(100),
  /** SHA-256 (hex) of the RFC 8785 canonical payload: the signed bytes. */
  d: z.string().regex(/^[0-9a-f]{64}$/),
  /** SHA-256 (hex) fingerprint of the issuer's signing certificate (DER). */
  f: z.string().regex(/^[0-9a-f]{64}$/),
  /** The one-time share link that returns the signed bundle, when one was made. */
  l: z
    .url({ protocol: /^https?$/ })
    .max(300)
    .optional(),
});
export type TVerifyQr = z.infer<typeof ZVerifyQr>;

function toBase64Url(bytes: Uint8Array): string {
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function fromBase64(text: string): Uint8Array {
  const bin = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

/** The URL a QR code encodes: the verify page with the facts in the fragment (never sent to a server). */
export function encodeVerifyQr(origin: string, qr: TVerifyQr): string {
  const data = toBase64Url(new TextEncoder().encode(JSON.stringify(ZVerifyQr.parse(qr))));
  return `${origin.replace(/\/$/, "")}/verify#q=${data}`;
}

/**
 * The facts of a scanned QR code: accepts the whole URL, its `#q=…` fragment or the bare value.
 * Returns null for anything else (another QR code, a damaged scan).
 */
export function decodeVerifyQr(text: string): TVerifyQr | null {
  const trimmed = text.trim();
  const match = /(?:^|[#&?])q=([A-Za-z0-9_-]+)/.exec(trimmed);
  const data = match?.[1] ?? (/^[A-Za-z0-9_-]+$/.test(trimmed) ? trimmed : null);
  if (!data || data.length > 2000) return null;
  try {
    const parsed = ZVerifyQr.safeParse(JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(fromBase64(data))));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

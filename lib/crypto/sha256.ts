import { createHash } from "node:crypto";

/**
 * Lower-case hex SHA-256 of bytes, or of a string's UTF-8 bytes: certificate fingerprints (the
 * platform's key for CA certificates), payload and request hashes, digests of tokens and codes kept
 * instead of the values. The one helper for it; callers do not spell out `createHash` themselves.
 */
export function sha256Hex(data: Uint8Array | string): string {
  return createHash("sha256").update(data).digest("hex");
}

import canonicalize from "canonicalize";
import { AppError } from "@/lib/errors/app-error";

/**
 * The RFC 8785 (JSON Canonicalization Scheme) bytes of a JSON value: the exact bytes an issuer
 * signs and a verifier re-creates, independent of key order and number spelling in transit.
 */
export function canonicalJsonBytes(value: unknown): Uint8Array {
  const text = canonicalize(value);
  if (text === undefined) throw new AppError("VALIDATION_FAILED", { message: "The value is not JSON." });
  return new TextEncoder().encode(text);
}

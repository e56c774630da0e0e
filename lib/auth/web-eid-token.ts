/**
 * The card-login token, in the shape of Web eID's v2 authentication token (docs/jpki.md#card-login-web-eid):
 * `{ format: "web-eid:1.0", unverifiedCertificate, algorithm: "RS256", signature, appVersion? }`.
 * The card signs `SHA-256(origin) ‖ SHA-256(nonce)` with RSASSA-PKCS1-v1_5 and SHA-256, so the
 * origin binding is part of the signature: a token made for another site never verifies here.
 */
import { createHash } from "node:crypto";
import { z } from "zod";
import { AppError, validationFailed } from "../errors/app-error";

/** Web eID's accepted length range for the serialised token (docs/jpki.md#card-login-web-eid). */
export const TOKEN_MIN_CHARS = 100;
export const TOKEN_MAX_CHARS = 10_000;

const ZBase64 = z.string().regex(/^[A-Za-z0-9+/]+={0,2}$/, "must be standard base64");

export const ZWebEidToken = z.object({
  /** Web eID accepts the major-version prefix `web-eid:1`; we emit and accept 1.x. */
  format: z.string().regex(/^web-eid:1(\.\d+)?$/, "must be web-eid:1.x"),
  /** base64 DER of the user-authentication certificate, not trusted until verified. */
  unverifiedCertificate: ZBase64.max(8_000),
  /** The JPKI card signs only RSASSA-PKCS1-v1_5 (docs/jpki.md#roots-and-hierarchies), so only RS256 is accepted. */
  algorithm: z.literal("RS256"),
  /** base64 of the raw RSASSA-PKCS1-v1_5 signature. */
  signature: ZBase64.max(2_000),
  /** Informative: the client that made the token. */
  appVersion: z.string().max(200).optional(),
});

export type TWebEidToken = z.infer<typeof ZWebEidToken>;

/**
 * Parse a token given as its JSON text (what the login page posts) or as an object.
 * The text must be 100–10,000 characters, as Web eID's validator requires.
 */
export function parseWebEidToken(input: unknown): TWebEidToken {
  let value: unknown = input;
  if (typeof input === "string") {
    if (input.length < TOKEN_MIN_CHARS || input.length > TOKEN_MAX_CHARS) {
      throw new AppError("VALIDATION_FAILED", {
        message: `The login token must be ${TOKEN_MIN_CHARS}–${TOKEN_MAX_CHARS} characters.`,
      });
    }
    try {
      value = JSON.parse(input);
    } catch (cause) {
      throw new AppError("BAD_JSON", { message: "The login token is not JSON.", cause });
    }
  }
  const parsed = ZWebEidToken.safeParse(value);
  if (!parsed.success) {
    if (
      typeof value === "object" &&
      value !== null &&
      "algorithm" in value &&
      (value as { algorithm: unknown }).algorithm !== "RS256"
    ) {
      throw new AppError("ALGORITHM_UNSUPPORTED", { message: "Only RS256 tokens are accepted from a JPKI card." });
    }
    throw validationFailed(parsed.error, { message: "The login token does not match the web-eid:1 schema." });
  }
  return parsed.data;
}

/**
 * Canonical origin: `scheme://host[:port]` with no path and no trailing slash, default ports
 * dropped (Web eID, docs/jpki.md#card-login-web-eid). Throws VALIDATION_FAILED for anything that is not http(s).
 */
export function normalizeOrigin(origin: string): string {
  let url: URL;
  try {
    url = new URL(origin);
  } catch (cause) {
    throw new AppError("VALIDATION_FAILED", { message: `Not an origin: ${origin}`, cause });
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new AppError("VALIDATION_FAILED", { message: `Not an http(s) origin: ${origin}` });
  }
  return url.origin;
}

/**
 * The bytes the card signs: `SHA-256(origin) ‖ SHA-256(nonce)` (64 bytes), each over the UTF-8
 * text (the nonce in its base64 form, as Web eID does). RS256 then hashes these 64 bytes again
 * inside RSASSA-PKCS1-v1_5, so the page passes exactly this buffer to `subtle.sign`.
 */
export function webEidSignedData(origin: string, nonce: string): Uint8Array {
  const o = createHash("sha256").update(origin, "utf8").digest();
  const n = createHash("sha256").update(nonce, "utf8").digest();
  return new Uint8Array(Buffer.concat([o, n]));
}

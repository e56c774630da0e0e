/**
 * One-time claim codes of link requests: what a partner gives a person (on a letter, at the
 * counter) when it cannot address them in ichimai. Ten characters of Crockford's base32 (no I, L,
 * O, U: nothing to mistake), shown as two groups of five; 50 bits, and entering codes is rate
 * limited per resident, so guessing one is hopeless. Only a SHA-256 hash is stored.
 */
import { randomInt } from "node:crypto";
import { sha256Hex } from "../crypto/sha256";

const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
export const CLAIM_CODE_LENGTH = 10;

/** A fresh code, formatted `XXXXX-XXXXX`. */
export function newClaimCode(): string {
  let raw = "";
  for (let i = 0; i < CLAIM_CODE_LENGTH; i++) raw += ALPHABET[randomInt(ALPHABET.length)];
  return formatClaimCode(raw);
}

export function formatClaimCode(normalised: string): string {
  return `${normalised.slice(0, 5)}-${normalised.slice(5)}`;
}

/**
 * What the resident typed, as the code it means: case, spaces and hyphens ignored, the letters
 * people confuse with digits read as those digits (O → 0, I/L → 1). Null when it cannot be a code.
 */
export function normaliseClaimCode(input: string): string | null {
  const s = input
    .normalize("NFKC")
    .toUpperCase()
    .replace(/[\s\-‐－ー]/g, "")
    .replace(/O/g, "0")
    .replace(/[IL]/g, "1");
  if (s.length !== CLAIM_CODE_LENGTH) return null;
  for (const c of s) if (!ALPHABET.includes(c)) return null;
  return s;
}

/** The stored form: SHA-256 (hex) of the normalised code under its own label. */
export function claimCodeHash(normalised: string): string {
  return sha256Hex(`ichimai-link-claim:${normalised}`);
}

import { createHash } from "node:crypto";

/** A small seeded PRNG (mulberry32): the same seed gives the same demo town on every machine. */
export type TRng = {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [min, max]. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(probability: number): boolean;
  /** `n` pseudo-random bytes (for deterministic demo ids and secrets, never for real ones). */
  bytes(n: number): Buffer;
};

export function createRng(seed: number): TRng {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    int,
    pick: <T>(items: readonly T[]) => {
      if (items.length === 0) throw new Error("pick from an empty list");
      return items[int(0, items.length - 1)] as T;
    },
    chance: (p) => next() < p,
    bytes: (n) => Buffer.from(Array.from({ length: n }, () => int(0, 255))),
  };
}

/**
 * A stable UUID for a seeded row from its natural key (name-based, RFC 9562 §5.5 layout with
 * SHA-1 as in version 5), so the same resident has the same id in every database seeded.
 */
export function stableUuid(kind: string, naturalKey: string): string {
  const h = createHash("sha1").update(`ichimai-seed:${kind}:${naturalKey}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const FULL_WIDTH_OFFSET = 0xff10 - 0x30;

/** 12 → "１２": registry addresses are written with full-width digits. */
export function toFullWidthDigits(n: number | string): string {
  return String(n).replace(/[0-9]/g, (d) => String.fromCharCode(d.charCodeAt(0) + FULL_WIDTH_OFFSET));
}

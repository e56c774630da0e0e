/**
 * The on-board device's offline ride record (browser-safe: no database, no Node APIs), and the
 * device's boarding rule while the server cannot be reached.
 *
 * The record is signed by the device with its non-extractable ECDSA P-256 key (WebCrypto,
 * SHA-256, IEEE P1363 r‖s signature) over the RFC 8785 canonical JSON of the record; the server
 * verifies it with the public key the device registered while online (BusDeviceKey).
 */
import canonicalize from "canonicalize";
import { z } from "zod";

export const OFFLINE_RECORD_VERSION = 1;

export const ZOfflineRideRecord = z.strictObject({
  v: z.literal(OFFLINE_RECORD_VERSION),
  deviceId: z.uuid(),
  keyId: z.uuid(),
  /** The device's own counter, 1, 2, 3 …: one record per number. */
  seq: z.number().int().min(1).max(2_147_483_647),
  /** A random ride nonce (base64url, 16–64 characters). */
  nonce: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/),
  /** SHA-256 (lower-case hex) of the card's user-authentication certificate (DER). */
  cardFingerprint: z.string().regex(/^[0-9a-f]{64}$/),
  rideAt: z.iso.datetime({ offset: true }),
});
export type TOfflineRideRecord = z.infer<typeof ZOfflineRideRecord>;

export const ZSignedOfflineRideRecord = z.strictObject({
  record: z.unknown(),
  /** base64url of the P1363 ECDSA signature (64 bytes for P-256). */
  signature: z.string().regex(/^[A-Za-z0-9_-]{80,100}$/),
});
export type TSignedOfflineRideRecord = { record: TOfflineRideRecord; signature: string };

/** The exact bytes a device signs and the server verifies. */
export function offlineRecordBytes(record: TOfflineRideRecord): Uint8Array<ArrayBuffer> {
  const text = canonicalize(ZOfflineRideRecord.parse(record));
  if (text === undefined) throw new Error("unreachable: a parsed record is JSON");
  return new TextEncoder().encode(text);
}

export const OFFLINE_SIGNING_ALGORITHM = { name: "ECDSA", hash: "SHA-256" } as const;
export const OFFLINE_KEY_ALGORITHM = { name: "ECDSA", namedCurve: "P-256" } as const;

/** What the device remembers of a card it saw online (the last answer of the server). */
export type TCardSnapshot = {
  cardFingerprint: string;
  memberReference: string;
  /** Rides left in the books the server reported, minus the offline rides since. */
  ridesRemaining: number;
  /** A pass valid until (ISO), if any. */
  passValidUntil: string | null;
  seenAt: string;
};

/** How long a snapshot may be relied on offline. */
export const OFFLINE_SNAPSHOT_MAX_AGE_MS = 7 * 86_400_000;

export type TOfflineDecision =
  | { board: true; by: "pass" | "book"; snapshot: TCardSnapshot }
  | { board: false; code: "BUS_OFFLINE_CARD_UNKNOWN" | "BUS_BOOK_EMPTY" | "BUS_PASS_EXPIRED" };

/**
 * The offline boarding rule: the device cannot check the card online, so it boards a card only
 * if it saw that card online within the last 7 days and its snapshot then showed a pass valid
 * now, or rides left (the device counts its own offline rides down). An unknown or stale card is
 * refused (BUS_OFFLINE_CARD_UNKNOWN); an empty book or lapsed pass as online. At sync the server
 * charges each record against what was valid at its ride time, and records a debt (the fare owed)
 * if nothing covered it (e.g. the book was emptied on another bus meanwhile).
 */
export function decideOfflineBoarding(snapshot: TCardSnapshot | undefined, now: Date): TOfflineDecision {
  if (!snapshot || now.getTime() - Date.parse(snapshot.seenAt) > OFFLINE_SNAPSHOT_MAX_AGE_MS) {
    return { board: false, code: "BUS_OFFLINE_CARD_UNKNOWN" };
  }
  if (snapshot.passValidUntil && Date.parse(snapshot.passValidUntil) > now.getTime()) {
    return { board: true, by: "pass", snapshot };
  }
  if (snapshot.ridesRemaining > 0) {
    return { board: true, by: "book", snapshot: { ...snapshot, ridesRemaining: snapshot.ridesRemaining - 1 } };
  }
  return { board: false, code: snapshot.passValidUntil ? "BUS_PASS_EXPIRED" : "BUS_BOOK_EMPTY" };
}

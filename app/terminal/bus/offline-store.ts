/**
 * The on-board device's offline mode, in the kiosk browser (lib/services/bus/offline-record.ts
 * for the record and the boarding rule):
 * - its signing key: ECDSA P-256, generated non-extractable by WebCrypto, kept in IndexedDB (a
 *   CryptoKey survives there without its private half ever being readable), public half
 *   registered at /api/terminal/bus/device-key under the device cookie;
 * - in localStorage: the next sequence number, the queue of signed records not yet synced, and
 *   the snapshot of each card seen online (rides left, pass validity);
 * - sync: POST /api/terminal/bus/offline-rides; every answered record leaves the queue (accepted,
 *   replayed and refused are all final), a failed request keeps them for the next try.
 */
import {
  decideOfflineBoarding,
  OFFLINE_KEY_ALGORITHM,
  OFFLINE_RECORD_VERSION,
  OFFLINE_SIGNING_ALGORITHM,
  offlineRecordBytes,
  type TCardSnapshot,
  type TOfflineDecision,
  type TOfflineRideRecord,
  type TSignedOfflineRideRecord,
} from "@/lib/services/bus/offline-record";

type TStoredKey = { deviceId: string; keyId: string; privateKey: CryptoKey };

const DB_NAME = "ichimai-bus";
const STORE = "keys";

function openDb(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: "deviceId" });
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

async function idb<T>(mode: IDBTransactionMode, run: (s: IDBObjectStore) => IDBRequest): Promise<T> {
  const db = await openDb();
  try {
    return await new Promise<T>((resolve, reject) => {
      const req = run(db.transaction(STORE, mode).objectStore(STORE));
      req.onsuccess = () => resolve(req.result as T);
      req.onerror = () => reject(req.error);
    });
  } finally {
    db.close();
  }
}

const lsKey = (deviceId: string, what: string) => `ichimai-bus:${deviceId}:${what}`;

function readJson<T>(key: string, fallback: T): T {
  try {
    const v = localStorage.getItem(key);
    return v ? (JSON.parse(v) as T) : fallback;
  } catch {
    return fallback;
  }
}

function b64url(buf: ArrayBuffer): string {
  let s = "";
  for (const b of new Uint8Array(buf)) s += String.fromCharCode(b);
  return btoa(s).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

function b64(buf: ArrayBuffer): string {
  let s = "";
  for (const b of new Uint8Array(buf)) s += String.fromCharCode(b);
  return btoa(s);
}

export async function cardFingerprintOf(der: ArrayBuffer): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", der);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** The device's signing key, made and registered on first use while online. */
export async function ensureDeviceKey(deviceId: string): Promise<TStoredKey> {
  const stored = await idb<TStoredKey | undefined>("readonly", (s) => s.get(deviceId));
  if (stored) return stored;
  const pair = (await crypto.subtle.generateKey(OFFLINE_KEY_ALGORITHM, false, ["sign", "verify"])) as CryptoKeyPair;
  const spki = await crypto.subtle.exportKey("spki", pair.publicKey);
  const res = await fetch("/api/terminal/bus/device-key", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    credentials: "same-origin",
    body: JSON.stringify({ publicKey: b64(spki) }),
  });
  if (!res.ok) throw new Error(`device key registration failed: ${res.status}`);
  const { keyId } = (await res.json()) as { keyId: string };
  const key = { deviceId, keyId, privateKey: pair.privateKey };
  await idb("readwrite", (s) => s.put(key));
  return key;
}

/** Remembers what the server answered for a card (for boarding it offline later). */
export function rememberCard(deviceId: string, snapshot: TCardSnapshot): void {
  const cards = readJson<Record<string, TCardSnapshot>>(lsKey(deviceId, "cards"), {});
  cards[snapshot.cardFingerprint] = snapshot;
  localStorage.setItem(lsKey(deviceId, "cards"), JSON.stringify(cards));
}

export function pendingOfflineRides(deviceId: string): number {
  return readJson<TSignedOfflineRideRecord[]>(lsKey(deviceId, "queue"), []).length;
}

/**
 * An offline tap: the boarding rule on the card's snapshot; when it boards, a signed record is
 * queued and the snapshot counted down. Without a device key (never online since enrolment) no
 * ride can be recorded (BUS_OFFLINE_DEVICE_UNKNOWN).
 */
export async function recordOfflineRide(
  deviceId: string,
  der: ArrayBuffer,
  now = new Date(),
): Promise<TOfflineDecision | { board: false; code: "BUS_OFFLINE_DEVICE_UNKNOWN" }> {
  const key = await idb<TStoredKey | undefined>("readonly", (s) => s.get(deviceId));
  if (!key) return { board: false, code: "BUS_OFFLINE_DEVICE_UNKNOWN" };
  const fingerprint = await cardFingerprintOf(der);
  const cards = readJson<Record<string, TCardSnapshot>>(lsKey(deviceId, "cards"), {});
  const decision = decideOfflineBoarding(cards[fingerprint], now);
  if (!decision.board) return decision;
  const seq = readJson<number>(lsKey(deviceId, "seq"), 0) + 1;
  localStorage.setItem(lsKey(deviceId, "seq"), JSON.stringify(seq));
  const record: TOfflineRideRecord = {
    v: OFFLINE_RECORD_VERSION,
    deviceId,
    keyId: key.keyId,
    seq,
    nonce: b64url(crypto.getRandomValues(new Uint8Array(18)).buffer),
    cardFingerprint: fingerprint,
    rideAt: now.toISOString(),
  };
  const signature = await crypto.subtle.sign(OFFLINE_SIGNING_ALGORITHM, key.privateKey, offlineRecordBytes(record));
  const queue = readJson<TSignedOfflineRideRecord[]>(lsKey(deviceId, "queue"), []);
  queue.push({ record, signature: b64url(signature) });
  localStorage.setItem(lsKey(deviceId, "queue"), JSON.stringify(queue));
  rememberCard(deviceId, decision.snapshot);
  return decision;
}

/** Sends the queued records; returns how many are still waiting. */
export async function syncOfflineRides(deviceId: string): Promise<number> {
  const queue = readJson<TSignedOfflineRideRecord[]>(lsKey(deviceId, "queue"), []);
  if (queue.length === 0) return 0;
  const batch = queue.slice(0, 200);
  const res = await fetch("/api/terminal/bus/offline-rides", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    credentials: "same-origin",
    body: JSON.stringify({ records: batch }),
  }).catch(() => null);
  if (!res?.ok) return queue.length;
  const { results } = (await res.json()) as { results: { index: number }[] };
  const answered = new Set(results.map((r) => r.index));
  // Records queued meanwhile (after the batch) stay.
  const latest = readJson<TSignedOfflineRideRecord[]>(lsKey(deviceId, "queue"), []);
  const sent = new Set(batch.filter((_, i) => answered.has(i)).map((r) => r.record.nonce));
  const rest = latest.filter((r) => !sent.has(r.record.nonce));
  localStorage.setItem(lsKey(deviceId, "queue"), JSON.stringify(rest));
  return rest.length;
}

/**
 * Browser-only building blocks for talking to the card agent over webcrypto-socket
 * (docs/card-agent-protocol.md#the-card-login-flow, #nextjs-bundling), shared by the resident card login (/login) and the
 * partner kiosks (/terminal/...): connect → pairing → find the JPKI token → read the
 * user-authentication certificate → crypto login (the agent asks for the PIN) → sign
 * SHA-256(origin) ‖ SHA-256(nonce) as a Web eID token. Runs unchanged against Fortify.
 *
 * `@webcrypto-local/client` is loaded with a dynamic import only when a flow starts: it touches
 * `self` and IndexedDB, and keeping it out of first-load bundles matters for the TV budget.
 */
import type { SocketCrypto, SocketProvider } from "@webcrypto-local/client";

/** Codes the pages map to screens; the server ones are the AppError codes it answers with. */
export type TCardErrorCode =
  | "AGENT_NOT_RUNNING"
  | "AGENT_DISCONNECTED"
  | "PAIRING_REJECTED"
  | "NO_CARD"
  | "CERT_NOT_FOUND"
  | "PIN_INCORRECT"
  | "PIN_LOCKED"
  | "PIN_CANCELLED"
  | "SIGN_CERT_NOT_FOUND"
  | (string & {});

export class CardLoginError extends Error {
  override name = "CardLoginError";
  constructor(
    readonly code: TCardErrorCode,
    readonly triesLeft?: number,
    message?: string,
  ) {
    super(message ?? code);
  }
}

export type TCardChoice = { providerId: string; name: string };

type TClientModule = typeof import("@webcrypto-local/client");

// PKCS#11 return values as node-webcrypto-p11/pkcs11js report them (docs/card-agent-protocol.md#messages-and-actions).
const CKR_PIN_INCORRECT = 0xa0;
/** Wrong PIN format (our agent still counts it as a try, like the card). */
const CKR_PIN_INVALID = 0xa1;
const CKR_PIN_LOCKED = 0xa4;
// CK_TOKEN_INFO flags (PKCS#11 v2.40 §3.2): how many tries are left before the PIN locks.
const CKF_USER_PIN_COUNT_LOW = 0x10000;
const CKF_USER_PIN_FINAL_TRY = 0x20000;
const CKF_USER_PIN_LOCKED = 0x40000;
/** Fortify's and our agent's code for a cancelled or empty PIN prompt. */
const PIN_CANCELLED = 10001;
/** webcrypto-socket "not approved" (pairing rejected). */
const WCL_NOT_APPROVED = 101;

export const RS256 = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" } as const;

export function toBase64(buf: ArrayBuffer | Uint8Array): string {
  const bytes = buf instanceof Uint8Array ? buf : new Uint8Array(buf);
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

export function toHex(buf: ArrayBuffer): string {
  return Array.from(new Uint8Array(buf), (b) => b.toString(16).padStart(2, "0")).join("");
}

async function sha256(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
}

/** SHA-256(origin) ‖ SHA-256(nonce), the 64 bytes the card signs (lib/auth/web-eid-token.ts). */
export async function webEidSignedData(origin: string, nonce: string): Promise<Uint8Array<ArrayBuffer>> {
  const [o, n] = await Promise.all([sha256(origin), sha256(nonce)]);
  const out = new Uint8Array(64);
  out.set(o, 0);
  out.set(n, 32);
  return out;
}

/** Error of a webcrypto-socket call → our code; tries left come from the token flags. */
export function fromAgentError(e: unknown, triesLeft?: number): CardLoginError {
  const err = e as { code?: unknown; message?: unknown };
  const code = typeof err?.code === "number" ? err.code : undefined;
  const message = typeof err?.message === "string" ? err.message : "";
  if (code === CKR_PIN_LOCKED || /PIN_LOCKED/.test(message)) return new CardLoginError("PIN_LOCKED");
  if (code === CKR_PIN_INCORRECT || code === CKR_PIN_INVALID || /PIN_INCORRECT|PIN_INVALID/.test(message)) {
    if (triesLeft === 0) return new CardLoginError("PIN_LOCKED");
    return new CardLoginError("PIN_INCORRECT", triesLeft, message);
  }
  if (code === PIN_CANCELLED) return new CardLoginError("PIN_CANCELLED");
  if (code === WCL_NOT_APPROVED) return new CardLoginError("PAIRING_REJECTED");
  if (/Session was closed|socket/i.test(message)) return new CardLoginError("AGENT_DISCONNECTED", undefined, message);
  return new CardLoginError("AGENT_ERROR", undefined, message);
}

/**
 * Tries left from CK_TOKEN_INFO flags. PKCS#11 only says "low" and "final", so with the card's
 * 3-try auth PIN "low" means 2 and "final" 1; an agent that knows the exact count may add
 * `triesLeft=N` to its error message, which wins.
 */
function triesFromFlags(flags: number | undefined, maxTries: number): number | undefined {
  if (flags === undefined) return undefined;
  if (flags & CKF_USER_PIN_LOCKED) return 0;
  if (flags & CKF_USER_PIN_FINAL_TRY) return 1;
  if (flags & CKF_USER_PIN_COUNT_LOW) return Math.max(1, maxTries - 1);
  return undefined;
}

function triesFromMessage(e: unknown): number | undefined {
  const m = /tries ?left[=: ]+(\d+)/i.exec(String((e as { message?: unknown })?.message ?? ""));
  return m ? Number(m[1]) : undefined;
}

/** CKA_ID (third part of a storage index `x509-<handle>-<id>`, docs/card-agent-protocol.md#messages-and-actions). */
export function ckaId(index: string): string {
  return index.split("-")[2] ?? "";
}

export type TSession = { mod: TClientModule; provider: SocketProvider };

/**
 * `?agent=127.0.0.1:31338` for a second local card agent (tests, two agents) on the login, signing
 * and kiosk pages; loopback only, anything else means the default agent.
 */
export function agentAddressFromLocation(): string | undefined {
  const v = new URLSearchParams(window.location.search).get("agent");
  return v && /^(127\.0\.0\.1|localhost):\d{2,5}$/.test(v) ? v : undefined;
}

/** Connects to the agent at `address` (default the webcrypto-socket default 127.0.0.1:31337). */
export async function connect(address: string | undefined): Promise<TSession> {
  const mod = await import("@webcrypto-local/client");
  const storage = await mod.BrowserStorage.create();
  const provider = new mod.SocketProvider({ storage });
  await new Promise<void>((resolve, reject) => {
    // connect() first: it removes every listener of the provider before it starts.
    provider.connect(address ?? "127.0.0.1:31337");
    const timer = setTimeout(() => reject(new CardLoginError("AGENT_NOT_RUNNING")), 8000);
    provider.once("listening", () => {
      clearTimeout(timer);
      resolve();
    });
    provider.once("error", (e: unknown) => {
      clearTimeout(timer);
      reject(new CardLoginError("AGENT_NOT_RUNNING", undefined, String((e as Error)?.message ?? e)));
    });
  });
  return { mod, provider };
}

/** Pairs this browser profile with the agent once (the page shows the 6-digit code). */
export async function ensurePaired(session: TSession, onPairing: (code: string) => void): Promise<void> {
  if (await session.provider.isLoggedIn()) return;
  onPairing(await session.provider.challenge());
  try {
    await session.provider.login();
  } catch (e) {
    throw fromAgentError(e);
  }
}

export type TProviderInfo = { id: string; name: string; label: string; flags?: number; serial?: string };

export async function jpkiProviders(provider: SocketProvider): Promise<TProviderInfo[]> {
  const info = await provider.info();
  // Pick by token label, not name: Fortify replaces `name` with its card.json entry.
  return info.providers
    .filter((p) => p.token?.label?.startsWith("JPKI"))
    .map((p) => ({
      id: p.id,
      name: p.name || p.token?.label || p.id,
      label: p.token?.label ?? "",
      flags: p.token?.flags,
      serial: p.token?.serialNumber,
    }));
}

export type TSlot = { crypto: SocketCrypto; certIndex: string; der: ArrayBuffer; providerId: string };

/** The provider holding a certificate with CKA_ID `id` (01 = user authentication, 02 = signing). */
export async function findSlot(
  session: TSession,
  providers: TProviderInfo[],
  id: "01" | "02",
): Promise<TSlot | undefined> {
  for (const p of providers) {
    const crypto = await session.provider.getCrypto(p.id);
    const indexes = await crypto.certStorage.keys();
    const certIndex = indexes.find((i) => i.startsWith("x509-") && ckaId(i) === id);
    if (!certIndex) continue;
    const der = await crypto.certStorage.getValue(certIndex);
    if (der) return { crypto, certIndex, der, providerId: p.id };
  }
  return undefined;
}

/** Crypto login of a slot: the agent (not the page) asks for the PIN. */
export async function loginSlot(
  session: TSession,
  slot: TSlot,
  kind: "auth" | "sign",
  onPin: (slot: "auth" | "sign") => void,
): Promise<void> {
  if (await slot.crypto.isLoggedIn()) return;
  onPin(kind);
  try {
    await slot.crypto.login();
  } catch (e) {
    let tries = triesFromMessage(e);
    if (tries === undefined) {
      const after = (await jpkiProviders(session.provider)).find((p) => p.id === slot.providerId);
      tries = triesFromFlags(after?.flags, kind === "auth" ? 3 : 5);
    }
    throw fromAgentError(e, tries);
  }
}

/**
 * The signing slot (certificate with CKA_ID 02) of the first of `providers` that has one. The
 * signing objects of a JPKI card are private: each provider is logged in with the signing PIN
 * (asked by the agent) before its objects are listed. `skip` passes over a provider without a PIN
 * prompt. Rejects with SIGN_CERT_NOT_FOUND when none has one.
 */
export async function findSignSlot(
  session: TSession,
  providers: TProviderInfo[],
  onPin: (slot: "auth" | "sign") => void,
  skip?: (crypto: SocketCrypto, provider: TProviderInfo) => Promise<boolean>,
): Promise<TSlot> {
  for (const p of providers) {
    const crypto = await session.provider.getCrypto(p.id);
    if (skip && (await skip(crypto, p))) continue;
    const probe: TSlot = { crypto, certIndex: "", der: new ArrayBuffer(0), providerId: p.id };
    await loginSlot(session, probe, "sign", onPin);
    const sign = await findSlot(session, [p], "02");
    if (sign) return sign;
  }
  throw new CardLoginError("SIGN_CERT_NOT_FOUND");
}

export async function privateKey(slot: TSlot, id: "01" | "02"): Promise<CryptoKey> {
  const keys = await slot.crypto.keyStorage.keys();
  const index = keys.find((k) => k.startsWith("private-") && ckaId(k) === id);
  if (!index) throw new CardLoginError("CERT_NOT_FOUND", undefined, `No private key with CKA_ID ${id}`);
  return slot.crypto.keyStorage.getItem(index, RS256, false, ["sign"]);
}

/** The Web eID token (lib/auth/web-eid-token.ts): the card's RS256 over hash(origin) ‖ hash(nonce). */
export async function makeToken(
  slot: TSlot,
  key: CryptoKey,
  origin: string,
  nonce: string,
  appVersion: string,
): Promise<string> {
  const data = await webEidSignedData(origin, nonce);
  let signature: ArrayBuffer;
  try {
    signature = await slot.crypto.subtle.sign(RS256, key, data);
  } catch (e) {
    throw fromAgentError(e);
  }
  return JSON.stringify({
    format: "web-eid:1.0",
    unverifiedCertificate: toBase64(slot.der),
    algorithm: "RS256",
    signature: toBase64(signature),
    appVersion,
  });
}

/** Resolves with the JPKI providers once a card is inserted (NO_CARD after `timeoutMs`). */
export function waitForCard(provider: SocketProvider, timeoutMs = 120_000): Promise<TProviderInfo[]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new CardLoginError("NO_CARD")), timeoutMs);
    // provider/event/token is pushed on insert; re-read info() rather than trusting the event body.
    provider.on("token", () => {
      void jpkiProviders(provider).then((list) => {
        if (list.length > 0) {
          clearTimeout(timer);
          resolve(list);
        }
      }, reject);
    });
  });
}

/**
 * The user-authentication slot of the inserted card; when several cards are inserted the person
 * picks one (`choose`). CERT_NOT_FOUND when no inserted token holds a JPKI auth certificate.
 */
export async function pickAuthSlot(
  session: TSession,
  providers: TProviderInfo[],
  choose: (cards: TCardChoice[]) => Promise<string>,
): Promise<TSlot> {
  const authSlots: TSlot[] = [];
  for (const p of providers) {
    const slot = await findSlot(session, [p], "01");
    if (slot) authSlots.push(slot);
  }
  const first = authSlots[0];
  if (!first) throw new CardLoginError("CERT_NOT_FOUND");
  if (authSlots.length === 1) return first;
  const cards = authSlots.map((s) => ({
    providerId: s.providerId,
    name: providers.find((p) => p.id === s.providerId)?.name ?? s.providerId,
  }));
  const picked = await choose(cards);
  return authSlots.find((s) => s.providerId === picked) ?? first;
}

/** Providers of the inserted cards, waiting for one when none is there yet. */
export async function insertedCards(session: TSession, onWaiting: () => void): Promise<TProviderInfo[]> {
  const providers = await jpkiProviders(session.provider);
  if (providers.length > 0) return providers;
  onWaiting();
  return waitForCard(session.provider);
}

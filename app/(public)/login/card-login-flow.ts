/**
 * Browser-only card-login flow over webcrypto-socket (../shared/WEBCRYPTO-SOCKET.md §4, §8).
 * It runs unchanged against our card agent and against Fortify: connect → pairing → find the
 * JPKI token → read the user-authentication certificate → crypto login (the agent asks for the
 * PIN) → fetch a challenge → sign SHA-256(origin) ‖ SHA-256(nonce) → post the Web eID token.
 *
 * `@webcrypto-local/client` is loaded with a dynamic import only when the flow starts: it touches
 * `self` and IndexedDB, and keeping it out of first-load bundles matters for the TV budget.
 */
import type { SocketCrypto, SocketProvider } from "@webcrypto-local/client";
import { bindingConsentText } from "@/lib/auth/binding-consent";

/** Screens the page can show; errors carry a stable code (server codes from lib/errors/codes.ts). */
export type TLoginStep =
  | { kind: "connecting" }
  | { kind: "pairing"; code: string }
  | { kind: "waiting-card" }
  | { kind: "choose-card"; cards: TCardChoice[] }
  | { kind: "pin"; slot: "auth" | "sign" }
  | { kind: "verifying" }
  | { kind: "consent"; statement: string }
  | { kind: "binding" }
  | { kind: "done" };

export type TCardChoice = { providerId: string; name: string };

/** Codes the page maps to screens; the server ones are the AppError codes it answers with. */
export type TLoginErrorCode =
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
    readonly code: TLoginErrorCode,
    readonly triesLeft?: number,
    message?: string,
  ) {
    super(message ?? code);
  }
}

type TClientModule = typeof import("@webcrypto-local/client");

// PKCS#11 return values as node-webcrypto-p11/pkcs11js report them (WEBCRYPTO-SOCKET.md §3).
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

const RS256 = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" } as const;

function toBase64(buf: ArrayBuffer | Uint8Array): string {
  const bytes = buf instanceof Uint8Array ? buf : new Uint8Array(buf);
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

function toHex(buf: ArrayBuffer): string {
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
function fromAgentError(e: unknown, triesLeft?: number): CardLoginError {
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

/** CKA_ID (third part of a storage index `x509-<handle>-<id>`, WEBCRYPTO-SOCKET.md §3). */
function ckaId(index: string): string {
  return index.split("-")[2] ?? "";
}

export type TCardLoginOptions = {
  onStep: (step: TLoginStep) => void;
  /** Resolves with the provider id the resident picked when several cards are present. */
  chooseCard: (cards: TCardChoice[]) => Promise<string>;
  /** Resolves when the resident agreed to link the card (first login). */
  confirmConsent: (statement: string) => Promise<void>;
  /** next-auth `signIn("card", …)`; resolves with the error code, or null on success. */
  signIn: (credentials: { token: string; nonce: string }) => Promise<string | null>;
  /** Agent address (host:port); default the webcrypto-socket default 127.0.0.1:31337. */
  agentAddress?: string;
  /** Portal origin as the card signs it (window.location.origin). */
  origin: string;
};

type TSession = { mod: TClientModule; provider: SocketProvider };

async function connect(address: string | undefined): Promise<TSession> {
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

type TProviderInfo = { id: string; name: string; label: string; flags?: number; serial?: string };

async function jpkiProviders(provider: SocketProvider): Promise<TProviderInfo[]> {
  const info = await provider.info();
  // Pick by token label, not name: Fortify replaces `name` with its card.json entry (§4 step 2).
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

type TSlot = { crypto: SocketCrypto; certIndex: string; der: ArrayBuffer; providerId: string };

/** The provider holding a certificate with CKA_ID `id` (01 = user authentication, 02 = signing). */
async function findSlot(session: TSession, providers: TProviderInfo[], id: "01" | "02"): Promise<TSlot | undefined> {
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

async function loginSlot(
  session: TSession,
  slot: TSlot,
  kind: "auth" | "sign",
  onStep: TCardLoginOptions["onStep"],
): Promise<void> {
  if (await slot.crypto.isLoggedIn()) return;
  onStep({ kind: "pin", slot: kind });
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

async function privateKey(slot: TSlot, id: "01" | "02"): Promise<CryptoKey> {
  const keys = await slot.crypto.keyStorage.keys();
  const index = keys.find((k) => k.startsWith("private-") && ckaId(k) === id);
  if (!index) throw new CardLoginError("CERT_NOT_FOUND", undefined, `No private key with CKA_ID ${id}`);
  return slot.crypto.keyStorage.getItem(index, RS256, false, ["sign"]);
}

async function fetchChallenge(purpose: "login" | "binding"): Promise<string> {
  const res = await fetch("/api/card/challenge", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ purpose }),
    credentials: "same-origin",
  });
  const body = (await res.json()) as { nonce?: string; error?: { code?: string } };
  if (!res.ok || !body.nonce) throw new CardLoginError(body.error?.code ?? "CHALLENGE_FAILED");
  return body.nonce;
}

async function makeToken(slot: TSlot, key: CryptoKey, origin: string, nonce: string): Promise<string> {
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
    appVersion: "ichimai-login/1 (@webcrypto-local/client 1.10.7)",
  });
}

/**
 * Run the whole login. Resolves when next-auth has set the session; rejects with a
 * CardLoginError whose code selects the screen.
 */
export async function runCardLogin(o: TCardLoginOptions): Promise<void> {
  o.onStep({ kind: "connecting" });
  const session = await connect(o.agentAddress);
  try {
    if (!(await session.provider.isLoggedIn())) {
      o.onStep({ kind: "pairing", code: await session.provider.challenge() });
      try {
        await session.provider.login();
      } catch (e) {
        throw fromAgentError(e);
      }
    }
    let providers = await jpkiProviders(session.provider);
    if (providers.length === 0) {
      o.onStep({ kind: "waiting-card" });
      providers = await waitForCard(session.provider);
    }
    const authSlots: TSlot[] = [];
    for (const p of providers) {
      const slot = await findSlot(session, [p], "01");
      if (slot) authSlots.push(slot);
    }
    if (authSlots.length === 0) throw new CardLoginError("CERT_NOT_FOUND");
    let auth = authSlots[0]!;
    if (authSlots.length > 1) {
      const cards = authSlots.map((s) => ({
        providerId: s.providerId,
        name: providers.find((p) => p.id === s.providerId)?.name ?? s.providerId,
      }));
      o.onStep({ kind: "choose-card", cards });
      const picked = await o.chooseCard(cards);
      auth = authSlots.find((s) => s.providerId === picked) ?? auth;
    }
    await loginSlot(session, auth, "auth", o.onStep);
    const authKey = await privateKey(auth, "01");

    o.onStep({ kind: "verifying" });
    let nonce = await fetchChallenge("login");
    let error = await o.signIn({ token: await makeToken(auth, authKey, o.origin, nonce), nonce });
    if (error === "CARD_UNKNOWN") {
      // First login with this card: link it with a consent signed by the signing key.
      await bindCard(o, session, providers, auth, authKey);
      o.onStep({ kind: "verifying" });
      nonce = await fetchChallenge("login");
      error = await o.signIn({ token: await makeToken(auth, authKey, o.origin, nonce), nonce });
    }
    if (error) throw new CardLoginError(error);
    o.onStep({ kind: "done" });
  } finally {
    session.provider.close();
  }
}

function waitForCard(provider: SocketProvider): Promise<TProviderInfo[]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new CardLoginError("NO_CARD")), 120_000);
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

async function bindCard(
  o: TCardLoginOptions,
  session: TSession,
  providers: TProviderInfo[],
  auth: TSlot,
  authKey: CryptoKey,
): Promise<void> {
  const authProvider = providers.find((p) => p.id === auth.providerId);
  // The signing slot of the same card: same token serial (our agent) or, failing that, any other
  // JPKI provider; the server refuses a signing certificate J-LIS does not link to this card.
  const others = providers.filter((p) => p.id !== auth.providerId);
  const sameCard = others.filter((p) => authProvider?.serial && p.serial === authProvider.serial);
  const candidates = sameCard.length > 0 ? sameCard : others.length > 0 ? others : providers;
  const text = bindingConsentText({ origin: o.origin, nonce: "", authCertificateSha256: "" });
  const statement = (JSON.parse(text) as { statement: string }).statement;
  o.onStep({ kind: "consent", statement });
  await o.confirmConsent(statement);

  // The signing certificate is private on the card: log in (signing PIN) before listing it.
  let sign: TSlot | undefined;
  for (const p of candidates) {
    const crypto = await session.provider.getCrypto(p.id);
    const probe: TSlot = { crypto, certIndex: "", der: new ArrayBuffer(0), providerId: p.id };
    const keys = await crypto.keyStorage.keys().catch(() => [] as string[]);
    const visibleSign = (await crypto.certStorage.keys()).some((i) => ckaId(i) === "02");
    if (!visibleSign && !keys.some((k) => ckaId(k) === "02") && p.id === auth.providerId) continue;
    await loginSlot(session, probe, "sign", o.onStep);
    sign = await findSlot(session, [p], "02");
    if (sign) break;
  }
  if (!sign) throw new CardLoginError("SIGN_CERT_NOT_FOUND");
  const signKey = await privateKey(sign, "02");

  o.onStep({ kind: "binding" });
  const nonce = await fetchChallenge("binding");
  const authToken = await makeToken(auth, authKey, o.origin, nonce);
  const consent = bindingConsentText({
    origin: o.origin,
    nonce,
    authCertificateSha256: toHex(await crypto.subtle.digest("SHA-256", auth.der)),
  });
  let consentSignature: ArrayBuffer;
  try {
    consentSignature = await sign.crypto.subtle.sign(RS256, signKey, new TextEncoder().encode(consent));
  } catch (e) {
    throw fromAgentError(e);
  }
  const res = await fetch("/api/card/bind", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    credentials: "same-origin",
    body: JSON.stringify({
      nonce,
      authToken,
      consent,
      consentSignature: toBase64(consentSignature),
      signCertificate: toBase64(sign.der),
    }),
  });
  if (!res.ok) {
    const body = (await res.json().catch(() => ({}))) as { error?: { code?: string } };
    throw new CardLoginError(body.error?.code ?? "BINDING_FAILED");
  }
}

/**
 * Browser-only card-login flow over webcrypto-socket (docs/card-agent-protocol.md#the-card-login-flow, #nextjs-bundling).
 * It runs unchanged against our card agent and against Fortify: connect → pairing → find the
 * JPKI token → read the user-authentication certificate → crypto login (the agent asks for the
 * PIN) → fetch a challenge → sign SHA-256(origin) ‖ SHA-256(nonce) → post the Web eID token.
 * The agent building blocks are shared with the kiosks in app/_lib/card/card-agent-session.ts.
 */
import {
  CardLoginError,
  connect,
  ensurePaired,
  findSignSlot,
  fromAgentError,
  insertedCards,
  loginSlot,
  makeToken as makeAgentToken,
  pickAuthSlot,
  privateKey,
  ckaId,
  RS256,
  type TCardChoice,
  type TCardErrorCode,
  type TProviderInfo,
  type TSession,
  type TSlot,
  toBase64,
  toHex,
} from "@/app/_lib/card/card-agent-session";
import { bindingConsentText } from "@/lib/auth/binding-consent";

export { CardLoginError, type TCardChoice };

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

export type TLoginErrorCode = TCardErrorCode;

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

const APP_VERSION = "ichimai-login/1 (@webcrypto-local/client 1.10.7)";

function makeToken(slot: TSlot, key: CryptoKey, origin: string, nonce: string): Promise<string> {
  return makeAgentToken(slot, key, origin, nonce, APP_VERSION);
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

/**
 * Run the whole login. Resolves when next-auth has set the session; rejects with a
 * CardLoginError whose code selects the screen.
 */
export async function runCardLogin(o: TCardLoginOptions): Promise<void> {
  o.onStep({ kind: "connecting" });
  const session = await connect(o.agentAddress);
  try {
    await ensurePaired(session, (code) => o.onStep({ kind: "pairing", code }));
    const providers = await insertedCards(session, () => o.onStep({ kind: "waiting-card" }));
    const auth = await pickAuthSlot(session, providers, (cards) => {
      o.onStep({ kind: "choose-card", cards });
      return o.chooseCard(cards);
    });
    const onPin = (slot: "auth" | "sign") => o.onStep({ kind: "pin", slot });
    await loginSlot(session, auth, "auth", onPin);
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

  // The auth token itself is tried only when it shows signing objects (no signing PIN prompt on
  // a token that has none).
  const sign = await findSignSlot(
    session,
    candidates,
    (slot) => o.onStep({ kind: "pin", slot }),
    async (crypto, p) => {
      if (p.id !== auth.providerId) return false;
      const keys = await crypto.keyStorage.keys().catch(() => [] as string[]);
      const visibleSign = (await crypto.certStorage.keys()).some((i) => ckaId(i) === "02");
      return !visibleSign && !keys.some((k) => ckaId(k) === "02");
    },
  );
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

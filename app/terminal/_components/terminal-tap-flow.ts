/**
 * Browser-only card tap at a partner kiosk (資格確認): the same agent steps as card login
 * (app/_lib/card/card-agent-session.ts), then the kiosk's server asks the platform:
 * POST /api/terminal/taps (challenge; the binding secret stays in an HttpOnly cookie) → the card
 * signs hash(origin) ‖ hash(nonce) with the user-authentication key (PIN typed at the agent) →
 * POST /api/terminal/checks → member reference and eligibility. The PIN session is closed after
 * every tap, so the next person must enter their own PIN.
 */
import {
  CardLoginError,
  connect,
  ensurePaired,
  insertedCards,
  loginSlot,
  makeToken,
  pickAuthSlot,
  privateKey,
  type TCardChoice,
  type TSession,
  type TSlot,
} from "@/app/_lib/card/card-agent-session";

export type TTapStep =
  | { kind: "connecting" }
  | { kind: "pairing"; code: string }
  | { kind: "waiting-card" }
  | { kind: "choose-card"; cards: TCardChoice[] }
  | { kind: "pin" }
  | { kind: "verifying" };

/** The platform's answer (lib/platform/schemas.ts ZEligibilityCheck). */
export type TTapResult = {
  eligible: boolean;
  reason?: string;
  member?: { reference: string; linkedAt: string };
  checkedAt: string;
};

export type TTapOptions = {
  onStep: (step: TTapStep) => void;
  chooseCard: (cards: TCardChoice[]) => Promise<string>;
  agentAddress?: string;
  /** Where the signed answer goes (default /api/terminal/checks) and extra body fields (e.g. the bus's tap key). */
  check?: { url: string; body?: Record<string, unknown> };
  /** The card's user-authentication certificate (DER), once chosen (a kiosk may remember the card). */
  onCertificate?: (der: ArrayBuffer) => void;
  /** The server cannot be reached (network error) after the PIN was accepted: the kiosk's offline mode. */
  whenOffline?: (certificateDer: ArrayBuffer) => Promise<TTapResult>;
};

const APP_VERSION = "ichimai-terminal/1 (@webcrypto-local/client 1.10.7)";

export async function postJson<T>(url: string, body: unknown): Promise<T> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    credentials: "same-origin",
    body: JSON.stringify(body),
  });
  const json = (await res.json().catch(() => ({}))) as T & { error?: { code?: string } };
  if (!res.ok) throw new CardLoginError(json.error?.code ?? "INTERNAL");
  return json;
}

/** One card tap; rejects with a CardLoginError whose code selects the error screen. */
export function runTerminalTap<R = TTapResult>(o: TTapOptions): Promise<R> {
  return withCardToken(
    o,
    () => postJson<{ nonce: string; origin: string }>("/api/terminal/taps", {}),
    (challenge, token) =>
      postJson<R>(o.check?.url ?? "/api/terminal/checks", { ...o.check?.body, nonce: challenge.nonce, token }),
  );
}

/**
 * The card steps of a tap (agent, card, PIN at the agent) → the card's Web eID token over
 * `challenge()`'s nonce for its origin → `submit`. Also link on first tap, whose challenge is the
 * consent statement's hash (terminal-link-flow.ts). The PIN session is closed afterwards.
 */
export async function withCardToken<T>(
  o: TTapOptions,
  challenge: () => Promise<{ nonce: string; origin: string }>,
  submit: (challenge: { nonce: string; origin: string }, token: string) => Promise<T>,
): Promise<T> {
  return withAuthSlot(o, async (auth, session) => {
    o.onCertificate?.(auth.der);
    await loginSlot(session, auth, "auth", () => o.onStep({ kind: "pin" }));
    const key = await privateKey(auth, "01");
    o.onStep({ kind: "verifying" });
    let c: { nonce: string; origin: string };
    try {
      c = await challenge();
    } catch (e) {
      // fetch rejects with a TypeError only when no answer came at all (offline, server down).
      if (o.whenOffline && e instanceof TypeError) return (await o.whenOffline(auth.der)) as T;
      throw e;
    }
    // Sign for the origin the platform names (the portal's), as any partner terminal would.
    const token = await makeToken(auth, key, c.origin, c.nonce, APP_VERSION);
    return await submit(c, token);
  });
}

/**
 * The agent and card steps every kiosk shares (agent, pairing, card, choice) → `use` with the
 * card's user-authentication slot; no PIN yet (the emergency break-glass path reads the
 * certificate without one). The PIN session is closed and the agent released afterwards.
 */
export async function withAuthSlot<T>(
  o: Pick<TTapOptions, "onStep" | "chooseCard" | "agentAddress">,
  use: (slot: TSlot, session: TSession) => Promise<T>,
): Promise<T> {
  o.onStep({ kind: "connecting" });
  const session = await connect(o.agentAddress);
  let slot: TSlot | undefined;
  try {
    await ensurePaired(session, (code) => o.onStep({ kind: "pairing", code }));
    const providers = await insertedCards(session, () => o.onStep({ kind: "waiting-card" }));
    slot = await pickAuthSlot(session, providers, (cards) => {
      o.onStep({ kind: "choose-card", cards });
      return o.chooseCard(cards);
    });
    return await use(slot, session);
  } finally {
    await slot?.crypto.logout().catch(() => undefined);
    session.provider.close();
  }
}

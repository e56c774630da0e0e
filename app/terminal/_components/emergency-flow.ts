/**
 * Browser-only card steps of the emergency history kiosk (/terminal/ambulance,
 * /terminal/hospital/emergency), over the same agent session as the kiosk tap
 * (app/_lib/card/card-agent-session.ts):
 * - conscious: the patient types the PIN at the agent, the card signs the kiosk's challenge
 *   (POST /api/terminal/taps) → POST /api/terminal/emergency/reads;
 * - break-glass: no PIN and no login: the user-authentication certificate is read as the card
 *   gives it without a PIN, and sent with the reason → POST /api/terminal/emergency/break-glass.
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
  toBase64,
} from "@/app/_lib/card/card-agent-session";
import type { TTapStep } from "./terminal-tap-flow";

/** The history as lib/services/emergency answers it (TEmergencyHistoryDto), as the page uses it. */
export type TEmergencyLineView = {
  text: string;
  detail: string | null;
  severe: boolean;
  source: { kind: "signed"; issuer: string; issuerEn: string; issuedOn: string | null } | { kind: "self" };
};
export type TEmergencyHistoryView = {
  patient: { name: string; nameKana: string; dateOfBirth: string; gender: string; bloodType: string | null };
  parts: string[];
  allergies?: TEmergencyLineView[];
  conditions?: TEmergencyLineView[];
  medications?: TEmergencyLineView[];
  checkups?: {
    facility: string;
    checkedOn: string;
    summary: string;
    items: { name: string; value: string; unit: string | null; flag: string | null }[];
  }[];
  contacts?: TEmergencyLineView[];
  access: { mode: "consent" | "break_glass"; readAt: string; expiresAt?: string; reasonCategory?: string };
  accessToken?: string;
};

export type TEmergencyFlowOptions = {
  onStep: (step: TTapStep) => void;
  chooseCard: (cards: TCardChoice[]) => Promise<string>;
  agentAddress?: string;
};

const APP_VERSION = "ichimai-terminal/1 (@webcrypto-local/client 1.10.7)";

export async function postTerminalJson<T>(url: string, body: unknown): Promise<T> {
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

async function withAuthSlot<T>(
  o: TEmergencyFlowOptions,
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

/** The conscious path: tap + PIN. */
export function runConsciousRead(o: TEmergencyFlowOptions): Promise<TEmergencyHistoryView> {
  return withAuthSlot(o, async (slot, session) => {
    await loginSlot(session, slot, "auth", () => o.onStep({ kind: "pin" }));
    const key = await privateKey(slot, "01");
    o.onStep({ kind: "verifying" });
    const challenge = await postTerminalJson<{ nonce: string; origin: string }>("/api/terminal/taps", {});
    const token = await makeToken(slot, key, challenge.origin, challenge.nonce, APP_VERSION);
    return postTerminalJson<TEmergencyHistoryView>("/api/terminal/emergency/reads", { nonce: challenge.nonce, token });
  });
}

/** The break-glass path: the certificate without PIN, and the reason. */
export function runBreakGlass(
  o: TEmergencyFlowOptions & { reasonCategory: string; reasonText: string },
): Promise<TEmergencyHistoryView> {
  return withAuthSlot(o, async (slot) => {
    o.onStep({ kind: "verifying" });
    return postTerminalJson<TEmergencyHistoryView>("/api/terminal/emergency/break-glass", {
      certificate: toBase64(slot.der),
      reasonCategory: o.reasonCategory,
      reasonText: o.reasonText,
    });
  });
}

/**
 * Browser-only card steps of the emergency history kiosk (/terminal/ambulance,
 * /terminal/hospital/emergency), over the same agent session as the kiosk tap
 * (app/_lib/card/card-agent-session.ts):
 * - conscious: the patient types the PIN at the agent, the card signs the kiosk's challenge
 *   (POST /api/terminal/taps) → POST /api/terminal/emergency/reads;
 * - break-glass: no PIN and no login: the user-authentication certificate is read as the card
 *   gives it without a PIN, and sent with the reason → POST /api/terminal/emergency/break-glass.
 */
import { type TCardChoice, toBase64 } from "@/app/_lib/card/card-agent-session";
import { postJson, runTerminalTap, type TTapStep, withAuthSlot } from "./terminal-tap-flow";

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

/** The conscious path: tap + PIN. */
export function runConsciousRead(o: TEmergencyFlowOptions): Promise<TEmergencyHistoryView> {
  return runTerminalTap<TEmergencyHistoryView>({ ...o, check: { url: "/api/terminal/emergency/reads" } });
}

/** The break-glass path: the certificate without PIN, and the reason. */
export function runBreakGlass(
  o: TEmergencyFlowOptions & { reasonCategory: string; reasonText: string },
): Promise<TEmergencyHistoryView> {
  return withAuthSlot(o, async (slot) => {
    o.onStep({ kind: "verifying" });
    return postJson<TEmergencyHistoryView>("/api/terminal/emergency/break-glass", {
      certificate: toBase64(slot.der),
      reasonCategory: o.reasonCategory,
      reasonText: o.reasonText,
    });
  });
}

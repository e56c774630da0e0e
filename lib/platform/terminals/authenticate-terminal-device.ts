import type { TCredentialMode } from "../../credential-mode/credential-mode";
import type { PrismaClient } from "../../db/client";
import { AppError } from "../../errors/app-error";
import { hashDeviceSecret, TERMINAL_SCOPE, type TTerminalMode } from "./register-terminal-device";

/** An authenticated kiosk: its partner, label, mode and credential mode (never the token). */
export type TTerminalDevice = {
  id: string;
  label: string;
  mode: TTerminalMode;
  /** TEST: the kiosk checks sandbox (JPKI-TEST) cards only; LIVE: real cards only. */
  credentialMode: TCredentialMode;
  partner: { id: string; name: string; nameEn: string };
};

/** Device tokens are 32 random bytes, base64url (43 characters). */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/**
 * The device credential of a partner terminal: the token from the kiosk's HttpOnly cookie →
 * the device. Missing or unknown token → TERMINAL_NOT_ENROLLED; a disabled device, an inactive
 * partner or one no longer approved for eligibility:verify → TERMINAL_DISABLED. Checked on every
 * request, so staff withdrawing the scope stops every kiosk of the partner at once.
 */
export async function authenticateTerminalDevice(
  prisma: PrismaClient,
  options: { token: string | undefined; now?: Date },
): Promise<TTerminalDevice> {
  const token = options.token;
  if (!token || !TOKEN_PATTERN.test(token)) throw new AppError("TERMINAL_NOT_ENROLLED");
  const row = await prisma.terminalDevice.findUnique({
    where: { tokenHash: hashDeviceSecret(token) },
    select: {
      id: true,
      label: true,
      mode: true,
      credentialMode: true,
      active: true,
      lastSeenAt: true,
      partner: { select: { id: true, name: true, nameEn: true, active: true, approvedScopes: true } },
    },
  });
  if (!row) throw new AppError("TERMINAL_NOT_ENROLLED");
  if (!row.active || !row.partner.active || !row.partner.approvedScopes.includes(TERMINAL_SCOPE)) {
    throw new AppError("TERMINAL_DISABLED");
  }
  const now = options.now ?? new Date();
  // At most one write a minute per kiosk: lastSeenAt is for "is it still in use", not an audit.
  if (!row.lastSeenAt || now.getTime() - row.lastSeenAt.getTime() > 60_000) {
    await prisma.terminalDevice.update({ where: { id: row.id }, data: { lastSeenAt: now } });
  }
  return {
    id: row.id,
    label: row.label,
    mode: row.mode,
    credentialMode: row.credentialMode,
    partner: { id: row.partner.id, name: row.partner.name, nameEn: row.partner.nameEn },
  };
}

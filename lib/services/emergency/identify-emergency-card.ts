import { AppError } from "../../errors/app-error";
import { TERMINAL_CHALLENGE_PURPOSE } from "../../platform/eligibility/issue-terminal-challenge";
import { residentOfCardCertificate, verifyTerminalCardTap } from "../../platform/eligibility/verify-terminal-card";
import type { TPlatformContext } from "../../platform/platform-context";
import type { TTerminalDevice } from "../../platform/terminals/authenticate-terminal-device";
import type { TEmergencyAudience } from "./schemas";

/** The partner scope (approved by staff) a terminal's partner needs to read emergency histories. */
export const EMERGENCY_SCOPE = "emergency:read";

/**
 * The audience a terminal reads as: an AMBULANCE-mode device is an ambulance crew, a
 * HOSPITAL-mode device is "another hospital". A bus reader, or a partner without the
 * emergency:read scope (or inactive), is refused with EMERGENCY_SCOPE_MISSING — checked on every
 * read, so staff withdrawing the scope stops the kiosks at once.
 */
export async function emergencyAudienceOf(
  ctx: Pick<TPlatformContext, "prisma">,
  device: TTerminalDevice,
): Promise<TEmergencyAudience> {
  const audience = device.mode === "AMBULANCE" ? "AMBULANCE" : device.mode === "HOSPITAL" ? "HOSPITAL" : null;
  const partner = await ctx.prisma.partner.findUnique({
    where: { id: device.partner.id },
    select: { active: true, approvedScopes: true },
  });
  if (!audience || !partner?.active || !partner.approvedScopes.includes(EMERGENCY_SCOPE)) {
    throw new AppError("EMERGENCY_SCOPE_MISSING");
  }
  return audience;
}

/**
 * The conscious path: the patient tapped and typed the 4-digit PIN, so the card signed the
 * kiosk's terminal challenge (the same challenge as 資格確認: single use, 2 minutes, this
 * partner's, this kiosk's binding cookie) with the user-authentication key. Proves the card and
 * its PIN holder are here.
 */
export async function identifyByTap(
  ctx: TPlatformContext,
  o: { device: TTerminalDevice; terminalBinding: string | undefined; nonce: string; token: string },
): Promise<{ residentId: string; terminal: string }> {
  if (!o.terminalBinding) throw new AppError("TERMINAL_TAP_NOT_STARTED");
  const { terminal, residentId } = await verifyTerminalCardTap(ctx, {
    partnerId: o.device.partner.id,
    mode: o.device.credentialMode,
    purpose: TERMINAL_CHALLENGE_PURPOSE,
    nonce: o.nonce,
    terminalBinding: o.terminalBinding,
    token: o.token,
  });
  if (!residentId) throw new AppError("EMERGENCY_CARD_UNKNOWN");
  return { residentId, terminal: terminal || o.device.label };
}

/**
 * The break-glass path: the patient cannot type the PIN, so nothing is signed. The kiosk read the
 * user-authentication certificate, which a real card gives without any PIN (EF 000A), and sends
 * it. The server checks its path and its status at J-LIS and finds the bound resident. This
 * proves only that someone holds a copy of a valid certificate (a certificate is not secret),
 * not that the card or its holder is present: the reason, the 30-minute window, the notices to
 * the resident and family, and staff review are what stand behind a break-glass read.
 */
export async function identifyByCertificate(
  ctx: TPlatformContext,
  o: { device: TTerminalDevice; certificate: Uint8Array },
): Promise<{ residentId: string }> {
  const residentId = await residentOfCardCertificate(ctx, {
    certificate: o.certificate,
    mode: o.device.credentialMode,
  });
  if (!residentId) throw new AppError("EMERGENCY_CARD_UNKNOWN");
  return { residentId };
}

import { z } from "zod";
import { appendAuditEvent } from "../../audit/append-audit-event";
import type { TRequestMetadata } from "../../audit/schemas";
import { AppError } from "../../errors/app-error";
import { nowOf, type TPlatformContext } from "../../platform/platform-context";
import type { TTerminalDevice } from "../../platform/terminals/authenticate-terminal-device";
import { buildEmergencyHistory } from "./build-emergency-history";
import { emergencyAudienceOf, identifyByTap } from "./identify-emergency-card";
import { EMERGENCY_PARTS, type TEmergencyHistoryDto } from "./schemas";
import { activeEmergencyConsent } from "./set-emergency-consent";

export const ZEmergencyTapRequest = z.strictObject({
  nonce: z.string().min(16).max(200),
  token: z.string().min(2).max(24_000),
});

export type ReadEmergencyHistoryOptions = {
  device: TTerminalDevice;
  /** The kiosk's terminal binding secret of the challenge (HttpOnly cookie). */
  terminalBinding: string | undefined;
  request: unknown;
  requestMetadata?: TRequestMetadata;
};

/**
 * The conscious patient's path at an ambulance or hospital terminal: tap + PIN (the card signs
 * the kiosk's challenge) → the history, limited to the parts the resident consented to for the
 * terminal's audience. No active consent, or one without parts → EMERGENCY_CONSENT_MISSING and
 * nothing is read. The read and its audit event (`emergency.record_read`, in the resident's
 * access log under the partner and terminal) commit together.
 */
export async function readEmergencyHistory(
  ctx: TPlatformContext,
  options: ReadEmergencyHistoryOptions,
): Promise<TEmergencyHistoryDto> {
  const audience = await emergencyAudienceOf(ctx, options.device);
  const input = ZEmergencyTapRequest.parse(options.request);
  const { residentId, terminal } = await identifyByTap(ctx, {
    device: options.device,
    terminalBinding: options.terminalBinding,
    nonce: input.nonce,
    token: input.token,
  });
  const now = nowOf(ctx);
  return ctx.prisma.$transaction(async (tx) => {
    const consent = await activeEmergencyConsent(tx, { residentId, audience });
    const parts = EMERGENCY_PARTS.filter((p) => consent?.parts.includes(p));
    if (parts.length === 0) throw new AppError("EMERGENCY_CONSENT_MISSING");
    const history = await buildEmergencyHistory(tx, { residentId, parts });
    await appendAuditEvent(tx, {
      type: "emergency.record_read",
      actor: { type: "partner", id: options.device.partner.id },
      subjectResidentId: residentId,
      purpose:
        audience === "AMBULANCE" ? "救急搬送時の救急医療情報の閲覧（本人の同意）" : "救急医療情報の閲覧（本人の同意）",
      channel: "terminal",
      requestMetadata: options.requestMetadata,
      data: { terminal, terminalDeviceId: options.device.id, audience, parts, consentId: consent?.id ?? null },
    });
    return { ...history, access: { mode: "consent", readAt: now.toISOString() } };
  });
}

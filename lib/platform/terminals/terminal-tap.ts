import { appendAuditEvent } from "../../audit/append-audit-event";
import type { TRequestMetadata } from "../../audit/schemas";
import { AppError } from "../../errors/app-error";
import { issueTerminalChallenge } from "../eligibility/issue-terminal-challenge";
import { verifyEligibility } from "../eligibility/verify-eligibility";
import type { TPlatformContext } from "../platform-context";
import type { TEligibilityCheckDto, TTerminalChallengeDto } from "../schemas";
import type { TTerminalDevice } from "./authenticate-terminal-device";

/**
 * A card tap at an enrolled kiosk, step 1: the same platform challenge the partner API issues
 * (POST /api/v1/eligibility/challenges), for the device's partner, with the device label as the
 * terminal id. The caller keeps `terminalBinding` away from the page (HttpOnly cookie).
 */
export function startTerminalTap(
  ctx: TPlatformContext,
  options: { device: TTerminalDevice },
): Promise<TTerminalChallengeDto> {
  return issueTerminalChallenge(ctx, {
    partner: { partnerId: options.device.partner.id },
    request: { terminalId: options.device.label },
  });
}

/**
 * Step 2: the card's Web eID token for that challenge → the platform's answer (the same
 * verifyEligibility as POST /api/v1/eligibility/checks): the partner's member reference and
 * `eligible`, never the four facts; the resident's access log names the partner, the terminal
 * label and the device id.
 *
 * The kiosk's credential mode confines it like an API credential's: a TEST kiosk checks only
 * sandbox cards (JPKI-TEST) of sandbox residents, a LIVE one only real ones. A card of the other
 * side is 403 CREDENTIAL_MODE_MISMATCH: nothing about the resident is read or written (only the
 * challenge is spent), and the refusal is audited for the partner (`partner.terminal_tap_refused`,
 * no resident named).
 */
export async function checkTerminalTap(
  ctx: TPlatformContext,
  options: {
    device: TTerminalDevice;
    terminalBinding: string | undefined;
    request: { nonce?: unknown; token?: unknown };
    requestMetadata?: TRequestMetadata;
  },
): Promise<TEligibilityCheckDto> {
  if (!options.terminalBinding) throw new AppError("TERMINAL_TAP_NOT_STARTED");
  const { device } = options;
  try {
    return await verifyEligibility(ctx, {
      partner: { partnerId: device.partner.id, terminalDeviceId: device.id, mode: device.credentialMode },
      request: { nonce: options.request.nonce, token: options.request.token, terminalBinding: options.terminalBinding },
      requestMetadata: options.requestMetadata,
    });
  } catch (err) {
    if (err instanceof AppError && err.code === "CREDENTIAL_MODE_MISMATCH") {
      await ctx.prisma.$transaction((tx) =>
        appendAuditEvent(tx, {
          type: "partner.terminal_tap_refused",
          actor: { type: "partner", id: device.partner.id },
          channel: "terminal",
          requestMetadata: options.requestMetadata,
          data: {
            reason: "CREDENTIAL_MODE_MISMATCH",
            terminal: device.label,
            terminalDeviceId: device.id,
            credentialMode: device.credentialMode,
          },
        }),
      );
    }
    throw err;
  }
}

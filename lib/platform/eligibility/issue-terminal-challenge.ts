import { randomBytes } from "node:crypto";
import { sha256Hex } from "../../crypto/sha256";
import { AppError } from "../../errors/app-error";
import type { TVerifiedPartnerCredential } from "../../partners/verify-partner-credential";
import { nowOf, type TPlatformContext } from "../platform-context";
import { type TTerminalChallengeDto, ZCreateTerminalChallengeRequest } from "../schemas";

/** A terminal challenge lives 2 minutes: a card tap, not a login form. */
export const TERMINAL_CHALLENGE_TTL_MS = 2 * 60 * 1000;
/** LoginChallenge.purpose of terminal challenges (kept apart from login, binding and cross-device). */
export const TERMINAL_CHALLENGE_PURPOSE = "eligibility";

/** SHA-256 of partner + terminal binding: a challenge can only be answered by the partner that asked. */
export function terminalBindingHash(partnerId: string, terminalBinding: string): string {
  return sha256Hex(`${partnerId}\n${terminalBinding}`);
}

/**
 * Issues a challenge for one card tap at a partner terminal (資格確認, docs/jpki.md#eligibility-verification): a 32-byte
 * nonce bound to the calling partner and a fresh terminal binding secret, single use, 2 minutes,
 * stored in the LoginChallenge table under its own purpose. The terminal's card agent signs it
 * with the user-authentication key like a Web eID login (docs/jpki.md#card-login-web-eid), for the portal origin.
 */
export async function issueTerminalChallenge(
  ctx: TPlatformContext,
  options: { partner: Pick<TVerifiedPartnerCredential, "partnerId">; request: unknown },
): Promise<TTerminalChallengeDto> {
  const input = ZCreateTerminalChallengeRequest.parse(options.request);
  if (!ctx.eligibility) throw new AppError("INTERNAL", { message: "Eligibility verification is not configured." });
  const now = nowOf(ctx);
  const nonce = randomBytes(32).toString("base64");
  const terminalBinding = randomBytes(32).toString("base64url");
  const expiresAt = new Date(now.getTime() + TERMINAL_CHALLENGE_TTL_MS);
  await ctx.prisma.loginChallenge.create({
    data: {
      nonce,
      bindingHash: terminalBindingHash(options.partner.partnerId, terminalBinding),
      // The origin the card signs for; the terminal id is kept for the audit entry.
      origin: `${ctx.eligibility.origin}#terminal=${encodeURIComponent(input.terminalId)}`,
      purpose: TERMINAL_CHALLENGE_PURPOSE,
      expiresAt,
      createdAt: now,
    },
  });
  return {
    object: "terminal_challenge",
    nonce,
    origin: ctx.eligibility.origin,
    terminalBinding,
    expiresAt: expiresAt.toISOString(),
  };
}

import type { TCredentialMode } from "../../credential-mode/credential-mode";
import { appendAuditEvent } from "../../audit/append-audit-event";
import type { TRequestMetadata } from "../../audit/schemas";
import type { TVerifiedPartnerCredential } from "../../partners/verify-partner-credential";
import { findActiveLink } from "../../mailbox/link-purposes";
import type { TPlatformContext } from "../platform-context";
import { type TEligibilityCheckDto, ZCreateEligibilityCheckRequest } from "../schemas";
import { TERMINAL_CHALLENGE_PURPOSE } from "./issue-terminal-challenge";
import { verifyTerminalCardTap } from "./verify-terminal-card";

export type VerifyEligibilityOptions = {
  /** The partner: through an API credential, or through one of its enrolled terminal devices. */
  partner: Pick<TVerifiedPartnerCredential, "partnerId"> & {
    credentialId?: string;
    terminalDeviceId?: string;
    /** An API credential's mode: TEST checks JPKI-TEST cards only, LIVE (and terminals) production ones. */
    mode?: TCredentialMode;
  };
  request: unknown;
  requestMetadata?: TRequestMetadata;
};

/**
 * Eligibility verification at a terminal (資格確認, docs/jpki.md#eligibility-verification): "which of our members is this
 * card, and are they eligible now". In order, so a bad tap never costs a J-LIS round trip:
 * the challenge is consumed (single use, 2 minutes, this partner's), the Web eID token parsed,
 * the certificate must be a user-authentication certificate (CERT_WRONG_PURPOSE) with a valid path
 * to the JPKI auth roots now, its RS256 signature over hash(origin) ‖ hash(nonce) must verify,
 * and its status at J-LIS must be good now (OCSP, CRL fallback; no cache).
 *
 * Then the card's issuer + serial must be bound to a resident (CertificateBinding, made at card
 * login) who linked this partner for eligibility checks (PartnerResidentLink with the
 * `eligibility` purpose, lib/mailbox/link-purposes.ts: the resident's consent, under the partner's
 * own member reference). The answer carries that reference and `eligible`, never the four facts
 * (the auth certificate has none, and the registry's stay with the municipality). A resident's
 * check is written to their access log with the terminal id.
 */
export async function verifyEligibility(
  ctx: TPlatformContext,
  options: VerifyEligibilityOptions,
): Promise<TEligibilityCheckDto> {
  return (await verifyEligibilityOfResident(ctx, options)).answer;
}

/**
 * {@link verifyEligibility} for a service of the portal that acts on the verified card in the
 * same request (the bus's ride at an enrolled kiosk): the same answer, plus the resident and the
 * card's certificate fingerprint when the card is bound (never sent to the terminal).
 */
export async function verifyEligibilityOfResident(
  ctx: TPlatformContext,
  options: VerifyEligibilityOptions,
): Promise<{ answer: TEligibilityCheckDto; residentId: string | null; cardFingerprint: string }> {
  const input = ZCreateEligibilityCheckRequest.parse(options.request);
  const { terminal, residentId, cardFingerprint, now } = await verifyTerminalCardTap(ctx, {
    partnerId: options.partner.partnerId,
    mode: options.partner.mode,
    purpose: TERMINAL_CHALLENGE_PURPOSE,
    nonce: input.nonce,
    terminalBinding: input.terminalBinding,
    token: input.token,
  });
  const checkedAt = now.toISOString();
  // The same code for "not a portal user" and for a binding of another certificate under this
  // issuer + serial: the terminal learns nothing about who else uses ichimai.
  if (!residentId) {
    return {
      answer: { object: "eligibility_check", eligible: false, reason: "CARD_UNKNOWN", checkedAt },
      residentId,
      cardFingerprint,
    };
  }
  const binding = { residentId };
  const answer = await ctx.prisma.$transaction(async (tx): Promise<TEligibilityCheckDto> => {
    const link = await findActiveLink(tx, { partnerId: options.partner.partnerId, residentId: binding.residentId });
    // A link given for other purposes only (e.g. delivery) does not answer eligibility checks.
    const linked = link?.purposes.includes("eligibility") ? link : null;
    await appendAuditEvent(tx, {
      type: "partner.api_access",
      actor: { type: "partner", id: options.partner.partnerId },
      subjectResidentId: binding.residentId,
      purpose: "資格確認",
      channel: "terminal",
      requestMetadata: options.requestMetadata,
      data: {
        operation: "eligibility_check",
        terminal,
        eligible: Boolean(linked),
        ...(options.partner.credentialId ? { credentialId: options.partner.credentialId } : {}),
        ...(options.partner.terminalDeviceId ? { terminalDeviceId: options.partner.terminalDeviceId } : {}),
      },
    });
    if (!linked) {
      const reason = link ? "LINK_PURPOSE_NOT_ALLOWED" : "RECIPIENT_NOT_LINKED";
      return { object: "eligibility_check", eligible: false, reason, checkedAt };
    }
    return {
      object: "eligibility_check",
      eligible: true,
      member: { reference: linked.partnerRef, linkedAt: linked.linkedAt.toISOString() },
      checkedAt,
    };
  });
  return { answer, residentId, cardFingerprint };
}

import { assertModeReachesCertificate, type TCredentialMode } from "../../credential-mode/credential-mode";
import { timingSafeEqual } from "node:crypto";
import { appendAuditEvent } from "../../audit/append-audit-event";
import type { TRequestMetadata } from "../../audit/schemas";
import { parseCardCertificate, requireGoodStatus, requireTrustedPath } from "../../auth/card-certificate";
import { bindingKeyOf } from "../../auth/verify-card-login";
import { parseWebEidToken, webEidSignedData } from "../../auth/web-eid-token";
import { AppError } from "../../errors/app-error";
import { verifyRsaPkcs1 } from "../../jpki/signature";
import type { TVerifiedPartnerCredential } from "../../partners/verify-partner-credential";
import { checkRevocationAtJlis } from "../../jlis/revocation";
import { nowOf, type TPlatformContext } from "../platform-context";
import { type TEligibilityCheckDto, ZCreateEligibilityCheckRequest } from "../schemas";
import { TERMINAL_CHALLENGE_PURPOSE, terminalBindingHash } from "./issue-terminal-challenge";

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

/** Consumes a terminal challenge once: unknown (or another partner's), replayed, expired. */
async function consumeTerminalChallenge(
  ctx: TPlatformContext,
  o: { nonce: string; partnerId: string; terminalBinding: string; now: Date },
): Promise<{ terminal: string }> {
  const row = await ctx.prisma.loginChallenge.findUnique({ where: { nonce: o.nonce } });
  if (!row || row.purpose !== TERMINAL_CHALLENGE_PURPOSE) throw new AppError("CHALLENGE_UNKNOWN");
  const expected = Buffer.from(row.bindingHash, "hex");
  const actual = Buffer.from(terminalBindingHash(o.partnerId, o.terminalBinding), "hex");
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) {
    throw new AppError("CHALLENGE_UNKNOWN", { message: "The challenge was issued to another terminal or partner." });
  }
  if (row.usedAt) throw new AppError("CHALLENGE_REPLAYED");
  if (row.expiresAt.getTime() <= o.now.getTime()) throw new AppError("CHALLENGE_EXPIRED");
  const { count } = await ctx.prisma.loginChallenge.updateMany({
    where: { id: row.id, usedAt: null },
    data: { usedAt: o.now },
  });
  if (count !== 1) throw new AppError("CHALLENGE_REPLAYED");
  const terminal = decodeURIComponent(row.origin.split("#terminal=")[1] ?? "");
  return { terminal };
}

/** A verified card tap: the resident bound to the card (absent: CARD_UNKNOWN), the terminal id, the time. */
export type TAuthenticatedTap = { residentId?: string; terminal: string; now: Date; checkedAt: string };

/**
 * The card half of a terminal tap, shared by verifyEligibility and the services that answer more
 * than membership at a kiosk (lib/services/hospital): consumes the challenge, checks the Web eID
 * token, the certificate path, the signature and the status at J-LIS now, and finds the resident
 * bound to the card. Writes nothing but the consumed challenge; the caller logs the access.
 */
export async function authenticateTerminalTap(
  ctx: TPlatformContext,
  options: VerifyEligibilityOptions,
): Promise<TAuthenticatedTap> {
  const input = ZCreateEligibilityCheckRequest.parse(options.request);
  const config = ctx.eligibility;
  if (!config) throw new AppError("INTERNAL", { message: "Eligibility verification is not configured." });
  const now = nowOf(ctx);
  const { terminal } = await consumeTerminalChallenge(ctx, {
    nonce: input.nonce,
    partnerId: options.partner.partnerId,
    terminalBinding: input.terminalBinding,
    now,
  });
  const token = parseWebEidToken(input.token);
  const der = new Uint8Array(Buffer.from(token.unverifiedCertificate, "base64"));
  const jpki = parseCardCertificate(der, "auth");
  const mode = options.partner.mode;
  if (mode) assertModeReachesCertificate(mode, jpki.hierarchy);
  const anchors = mode === "TEST" ? (config.testAuthTrustAnchors ?? []) : config.authTrustAnchors;
  const { issuer } = await requireTrustedPath(der, anchors, now);
  const signatureOk = await verifyRsaPkcs1({
    publicKeySpki: jpki.certificate.spki,
    message: webEidSignedData(config.origin, input.nonce),
    signature: new Uint8Array(Buffer.from(token.signature, "base64")),
    hash: "SHA-256",
  });
  if (!signatureOk)
    throw new AppError("SIGNATURE_INVALID", { message: "The card's signature over the challenge does not verify." });
  // No cache: a card reported lost this morning must not pass at the counter.
  const status = await checkRevocationAtJlis(ctx.jlis, { certificate: der, issuer, now });
  if (status.status === "unavailable") throw new AppError("CERT_STATUS_UNAVAILABLE");
  requireGoodStatus({ status: status.status, reason: status.reason, source: status.source });

  const key = bindingKeyOf(jpki);
  const binding = await ctx.prisma.certificateBinding.findUnique({
    where: { issuerDn_serialNumber: { issuerDn: key.issuerDn, serialNumber: key.serialNumber } },
    select: { residentId: true, kind: true, status: true, fingerprint: true },
  });
  const checkedAt = now.toISOString();
  // The same code for "not a portal user" and for a binding of another certificate under this
  // issuer + serial: the terminal learns nothing about who else uses ichimai.
  if (binding?.kind !== "AUTH" || binding.status !== "ACTIVE" || binding.fingerprint !== key.fingerprint) {
    return { terminal, now, checkedAt };
  }
  return { residentId: binding.residentId, terminal, now, checkedAt };
}

/**
 * Eligibility verification at a terminal (資格確認, docs/jpki.md#eligibility-verification): "which of our members is this
 * card, and are they eligible now". In order, so a bad tap never costs a J-LIS round trip:
 * the challenge is consumed (single use, 2 minutes, this partner's), the Web eID token parsed,
 * the certificate must be a user-authentication certificate (CERT_WRONG_PURPOSE) with a valid path
 * to the JPKI auth roots now, its RS256 signature over hash(origin) ‖ hash(nonce) must verify,
 * and its status at J-LIS must be good now (OCSP, CRL fallback; no cache).
 *
 * Then the card's issuer + serial must be bound to a resident (CertificateBinding, made at card
 * login) who linked this partner (PartnerResidentLink: the resident's consent, under the partner's
 * own member reference). The answer carries that reference and `eligible`, never the four facts
 * (the auth certificate has none, and the registry's stay with the municipality). A resident's
 * check is written to their access log with the terminal id.
 */
export async function verifyEligibility(
  ctx: TPlatformContext,
  options: VerifyEligibilityOptions,
): Promise<TEligibilityCheckDto> {
  const tap = await authenticateTerminalTap(ctx, options);
  const { terminal, checkedAt } = tap;
  if (!tap.residentId) return { object: "eligibility_check", eligible: false, reason: "CARD_UNKNOWN", checkedAt };
  const binding = { residentId: tap.residentId };
  return ctx.prisma.$transaction(async (tx) => {
    const link = await tx.partnerResidentLink.findUnique({
      where: { partnerId_residentId: { partnerId: options.partner.partnerId, residentId: binding.residentId } },
      select: { partnerRef: true, linkedAt: true, revokedAt: true },
    });
    const linked = link && !link.revokedAt;
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
    if (!linked) return { object: "eligibility_check", eligible: false, reason: "RECIPIENT_NOT_LINKED", checkedAt };
    return {
      object: "eligibility_check",
      eligible: true,
      member: { reference: link.partnerRef, linkedAt: link.linkedAt.toISOString() },
      checkedAt,
    };
  });
}

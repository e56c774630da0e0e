import { parseCardCertificate, requireGoodStatus, requireTrustedPath } from "../../auth/card-certificate";
import { bindingKeyOf } from "../../auth/verify-card-login";
import { parseWebEidToken, webEidSignedData } from "../../auth/web-eid-token";
import { AppError } from "../../errors/app-error";
import { checkRevocationAtJlis } from "../../jlis/revocation";
import { verifyRsaPkcs1 } from "../../jpki/signature";
import { consumeTerminalChallenge } from "../../platform/eligibility/verify-eligibility";
import { nowOf, type TPlatformContext } from "../../platform/platform-context";
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
 * The resident of a verified user-authentication certificate: path to the JPKI auth roots now,
 * status good at J-LIS now (OCSP, CRL fallback, no cache: a card reported lost this morning does
 * not open anything), and an ACTIVE binding of exactly this certificate.
 */
async function residentOfCertificate(ctx: TPlatformContext, der: Uint8Array, now: Date): Promise<string> {
  const config = ctx.eligibility;
  if (!config) throw new AppError("INTERNAL", { message: "Terminal card checks are not configured." });
  const jpki = parseCardCertificate(der, "auth");
  const { issuer } = await requireTrustedPath(der, config.authTrustAnchors, now);
  const status = await checkRevocationAtJlis(ctx.jlis, { certificate: der, issuer, now });
  if (status.status === "unavailable") throw new AppError("CERT_STATUS_UNAVAILABLE");
  requireGoodStatus({ status: status.status, reason: status.reason, source: status.source });
  const key = bindingKeyOf(jpki);
  const binding = await ctx.prisma.certificateBinding.findUnique({
    where: { issuerDn_serialNumber: { issuerDn: key.issuerDn, serialNumber: key.serialNumber } },
    select: { residentId: true, kind: true, status: true, fingerprint: true },
  });
  if (binding?.kind !== "AUTH" || binding.status !== "ACTIVE" || binding.fingerprint !== key.fingerprint) {
    throw new AppError("EMERGENCY_CARD_UNKNOWN");
  }
  return binding.residentId;
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
  const config = ctx.eligibility;
  if (!config) throw new AppError("INTERNAL", { message: "Terminal card checks are not configured." });
  const now = nowOf(ctx);
  const { terminal } = await consumeTerminalChallenge(ctx, {
    nonce: o.nonce,
    partnerId: o.device.partner.id,
    terminalBinding: o.terminalBinding,
    now,
  });
  const token = parseWebEidToken(o.token);
  const der = new Uint8Array(Buffer.from(token.unverifiedCertificate, "base64"));
  const jpki = parseCardCertificate(der, "auth");
  const ok = await verifyRsaPkcs1({
    publicKeySpki: jpki.certificate.spki,
    message: webEidSignedData(config.origin, o.nonce),
    signature: new Uint8Array(Buffer.from(token.signature, "base64")),
    hash: "SHA-256",
  });
  if (!ok)
    throw new AppError("SIGNATURE_INVALID", { message: "The card's signature over the challenge does not verify." });
  return { residentId: await residentOfCertificate(ctx, der, now), terminal: terminal || o.device.label };
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
  o: { certificate: Uint8Array },
): Promise<{ residentId: string }> {
  return { residentId: await residentOfCertificate(ctx, o.certificate, nowOf(ctx)) };
}

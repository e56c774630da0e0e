import { timingSafeEqual } from "node:crypto";
import { parseCardCertificate, requireGoodStatus, requireTrustedPath } from "../../auth/card-certificate";
import { bindingKeyOf } from "../../auth/verify-card-login";
import { parseWebEidToken, webEidSignedData } from "../../auth/web-eid-token";
import { assertModeReachesCertificate, type TCredentialMode } from "../../credential-mode/credential-mode";
import { AppError } from "../../errors/app-error";
import { checkRevocationAtJlis } from "../../jlis/revocation";
import { verifyRsaPkcs1 } from "../../jpki/signature";
import { nowOf, type TPlatformContext } from "../platform-context";
import { terminalBindingHash } from "./issue-terminal-challenge";

export type TVerifyTerminalCardOptions = {
  partnerId: string;
  /** An API credential's mode: TEST checks JPKI-TEST cards only, LIVE (and terminals) production ones. */
  mode?: TCredentialMode;
  /** LoginChallenge.purpose the challenge must have been issued under. */
  purpose: string;
  nonce: string;
  terminalBinding: string;
  /** The Web eID token the card agent made (JSON text or object). */
  token: unknown;
};

/** Consumes a terminal challenge once: unknown (or another partner's, or another purpose's), replayed, expired. */
async function consumeTerminalChallenge(
  ctx: TPlatformContext,
  o: { nonce: string; partnerId: string; terminalBinding: string; purpose: string; now: Date },
): Promise<{ terminal: string }> {
  const row = await ctx.prisma.loginChallenge.findUnique({ where: { nonce: o.nonce } });
  if (!row || row.purpose !== o.purpose) throw new AppError("CHALLENGE_UNKNOWN");
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

/**
 * One card tap at a partner terminal, verified (docs/jpki.md#eligibility-verification): in order,
 * so a bad tap never costs a J-LIS round trip — the challenge is consumed (single use, this
 * partner's, this purpose's), the Web eID token parsed, the certificate must be a
 * user-authentication certificate with a valid path to the JPKI auth roots now, its RS256
 * signature over hash(origin) ‖ hash(nonce) must verify, and its status at J-LIS must be good now
 * (no cache). Answers the resident the card is bound to (an ACTIVE AUTH CertificateBinding of
 * exactly this certificate), or null: "not a portal user" and "another certificate under this
 * issuer + serial" look the same. Used by eligibility checks and by link-on-first-tap (lib/links).
 */
export async function verifyTerminalCardTap(
  ctx: TPlatformContext,
  o: TVerifyTerminalCardOptions,
): Promise<{ terminal: string; residentId: string | null; now: Date }> {
  const config = ctx.eligibility;
  if (!config) throw new AppError("INTERNAL", { message: "Eligibility verification is not configured." });
  const now = nowOf(ctx);
  const { terminal } = await consumeTerminalChallenge(ctx, {
    nonce: o.nonce,
    partnerId: o.partnerId,
    terminalBinding: o.terminalBinding,
    purpose: o.purpose,
    now,
  });
  const token = parseWebEidToken(o.token);
  const der = new Uint8Array(Buffer.from(token.unverifiedCertificate, "base64"));
  const jpki = parseCardCertificate(der, "auth");
  if (o.mode) assertModeReachesCertificate(o.mode, jpki.hierarchy);
  const anchors = o.mode === "TEST" ? (config.testAuthTrustAnchors ?? []) : config.authTrustAnchors;
  const { issuer } = await requireTrustedPath(der, anchors, now);
  const signatureOk = await verifyRsaPkcs1({
    publicKeySpki: jpki.certificate.spki,
    message: webEidSignedData(config.origin, o.nonce),
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
  const bound = binding?.kind === "AUTH" && binding.status === "ACTIVE" && binding.fingerprint === key.fingerprint;
  return { terminal, residentId: bound ? binding.residentId : null, now };
}

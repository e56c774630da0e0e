import { timingSafeEqual } from "node:crypto";
import { parseCardCertificate, requireGoodStatus, requireTrustedPath } from "../../auth/card-certificate";
import { bindingKeyOf } from "../../auth/verify-card-login";
import { parseWebEidToken, webEidSignedData } from "../../auth/web-eid-token";
import {
  assertModeReachesCertificate,
  residentModeMismatch,
  type TCredentialMode,
} from "../../credential-mode/credential-mode";
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
export async function consumeTerminalChallenge(
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
 * A user-authentication certificate presented at a terminal, checked: a JPKI auth certificate of
 * the hierarchy the mode allows (TEST: JPKI-TEST; LIVE or unset: production), with a valid path
 * to that hierarchy's auth roots now.
 */
async function trustedCardCertificate(
  ctx: TPlatformContext,
  der: Uint8Array,
  mode: TCredentialMode | undefined,
  now: Date,
) {
  const config = ctx.eligibility;
  if (!config) throw new AppError("INTERNAL", { message: "Eligibility verification is not configured." });
  const jpki = parseCardCertificate(der, "auth");
  if (mode) assertModeReachesCertificate(mode, jpki.hierarchy);
  const anchors = mode === "TEST" ? (config.testAuthTrustAnchors ?? []) : config.authTrustAnchors;
  const { issuer } = await requireTrustedPath(der, anchors, now);
  return { jpki, issuer, origin: config.origin };
}

/**
 * Status good at J-LIS now (OCSP, CRL fallback; no cache: a card reported lost this morning must
 * not pass at the counter), then the resident bound to exactly this certificate (an ACTIVE AUTH
 * CertificateBinding), or null: "not a portal user" and "another certificate under this issuer +
 * serial" look the same. A resident on the other side of the mode is refused
 * (CREDENTIAL_MODE_MISMATCH), before anything about them is read.
 */
async function boundResidentOf(
  ctx: TPlatformContext,
  o: {
    der: Uint8Array;
    jpki: ReturnType<typeof parseCardCertificate>;
    issuer: Uint8Array;
    mode?: TCredentialMode;
    now: Date;
  },
): Promise<{ residentId: string | null; cardFingerprint: string }> {
  const status = await checkRevocationAtJlis(ctx.jlis, { certificate: o.der, issuer: o.issuer, now: o.now });
  if (status.status === "unavailable") throw new AppError("CERT_STATUS_UNAVAILABLE");
  requireGoodStatus({ status: status.status, reason: status.reason, source: status.source });
  const key = bindingKeyOf(o.jpki);
  const binding = await ctx.prisma.certificateBinding.findUnique({
    where: { issuerDn_serialNumber: { issuerDn: key.issuerDn, serialNumber: key.serialNumber } },
    select: { residentId: true, kind: true, status: true, fingerprint: true, resident: { select: { sandbox: true } } },
  });
  const bound = binding?.kind === "AUTH" && binding.status === "ACTIVE" && binding.fingerprint === key.fingerprint;
  if (!bound) return { residentId: null, cardFingerprint: key.fingerprint };
  // The card's hierarchy matched; the resident it is bound to must be on the same side too.
  const refused = o.mode ? residentModeMismatch(o.mode, binding.resident) : undefined;
  if (refused) throw refused;
  return { residentId: binding.residentId, cardFingerprint: key.fingerprint };
}

/**
 * One card tap at a partner terminal, verified (docs/jpki.md#eligibility-verification): in order,
 * so a bad tap never costs a J-LIS round trip — the challenge is consumed (single use, this
 * partner's, this purpose's), the Web eID token parsed, the certificate must be a
 * user-authentication certificate with a valid path to the JPKI auth roots now, its RS256
 * signature over hash(origin) ‖ hash(nonce) must verify, and its status at J-LIS must be good now
 * (no cache). Answers the resident the card is bound to, or null (boundResidentOf), and the card
 * certificate's fingerprint (for a kiosk service that remembers the card, never sent back). Used by
 * eligibility checks, link-on-first-tap (lib/links) and the emergency history read.
 */
export async function verifyTerminalCardTap(
  ctx: TPlatformContext,
  o: TVerifyTerminalCardOptions,
): Promise<{ terminal: string; residentId: string | null; cardFingerprint: string; now: Date }> {
  if (!ctx.eligibility) throw new AppError("INTERNAL", { message: "Eligibility verification is not configured." });
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
  const { jpki, issuer, origin } = await trustedCardCertificate(ctx, der, o.mode, now);
  const signatureOk = await verifyRsaPkcs1({
    publicKeySpki: jpki.certificate.spki,
    message: webEidSignedData(origin, o.nonce),
    signature: new Uint8Array(Buffer.from(token.signature, "base64")),
    hash: "SHA-256",
  });
  if (!signatureOk)
    throw new AppError("SIGNATURE_INVALID", { message: "The card's signature over the challenge does not verify." });
  return { terminal, ...(await boundResidentOf(ctx, { der, jpki, issuer, mode: o.mode, now })), now };
}

/**
 * The resident of a user-authentication certificate presented WITHOUT a signature (a real card
 * gives it without any PIN): the same path, status and binding checks as a tap, but it proves only
 * that someone holds a copy of a valid certificate — callers (the emergency break-glass read)
 * must stand behind it with their own safeguards.
 */
export async function residentOfCardCertificate(
  ctx: TPlatformContext,
  o: { certificate: Uint8Array; mode?: TCredentialMode },
): Promise<string | null> {
  const now = nowOf(ctx);
  const { jpki, issuer } = await trustedCardCertificate(ctx, o.certificate, o.mode, now);
  return (await boundResidentOf(ctx, { der: o.certificate, jpki, issuer, mode: o.mode, now })).residentId;
}

/**
 * Card login, server side (docs/jpki.md#card-login-web-eid, Web eID's validation order adapted to JPKI):
 *
 *  1. the challenge is consumed first (single use even when a later check fails; bound to this
 *     browser through the binding cookie; 5-minute life) and must have been issued to the portal
 *     origin;
 *  2. the token is parsed (web-eid:1, RS256, 100–10,000 characters);
 *  3. the certificate must be a user-authentication certificate (a signing certificate is
 *     CERT_WRONG_PURPOSE) with a valid path to one of the JPKI user-authentication roots;
 *  4. the signature over SHA-256(origin) ‖ SHA-256(nonce) must verify (RSASSA-PKCS1-v1_5 SHA-256)
 *     — checked before the OCSP query so that garbage never costs a J-LIS round trip;
 *  5. the revocation status must be "good" (unknown and unavailable are refusals);
 *  6. issuer + serial must map to a resident through an ACTIVE CertificateBinding, or — after a
 *     renewal — J-LIS's old → new link must lead to a bound predecessor (re-bound silently).
 *
 * Every outcome is written to the audit log (auth.login_succeeded / auth.login_failed).
 * Failures are rate-limited per client address and per certificate (login-rate-limits.ts): the
 * check comes first, so a refused attempt costs neither the challenge nor an OCSP query.
 */
import { z } from "zod";
import { appendAuditEvent } from "../audit/append-audit-event";
import type { TAuditChannel } from "../audit/schemas";
import type { PrismaClient } from "../db/client";
import { AppError } from "../errors/app-error";
import { parseCertificate } from "../jpki/certificate";
import { canonicalSerial, canonicalSerialOrNull } from "../jpki/serial";
import { createLog, errorFields } from "../log/logger";
import type { TJpkiCertificate } from "../jpki/jpki-certificate";
import { verifyRsaPkcs1 } from "../jpki/signature";
import type { TJlisClient } from "../jlis/client";
import { checkRevocationAtJlis } from "../jlis/revocation";
import { parseCardCertificate, requireGoodStatus, requireTrustedPath } from "./card-certificate";
import { type ChallengePurpose, consumeChallenge } from "./challenge";
import { reserveLoginAttempt, type TCertificateKey, type TLoginRateLimits } from "./login-rate-limits";
import { normalizeOrigin, parseWebEidToken, webEidSignedData } from "./web-eid-token";

/** Everything card login needs; built from the environment by getCardLoginContext(). */
export type TCardLoginContext = {
  db: PrismaClient;
  /** The portal's own origin (PORTAL_ORIGIN), the only origin a token may be signed for. */
  portalOrigin: string;
  bindingCookieName: string;
  /** JPKI user-authentication roots, every generation (docs/jpki.md#roots-and-hierarchies). */
  authTrustAnchors: Uint8Array[];
  /** JPKI digital-signature roots, every generation (first-login consent). */
  signTrustAnchors: Uint8Array[];
  /**
   * J-LIS as the portal's registered verifier (lib/jlis): revocation (OCSP, CRL fallback; never
   * cached, a card revoked a minute ago must not log in) and the linking services.
   */
  jlis: TJlisClient;
  now?: () => Date;
  /** Failure limits; default LOGIN_RATE_LIMITS × LOGIN_RATE_LIMIT_FACTOR, null: none. */
  rateLimits?: TLoginRateLimits | null;
};

export type TCardLoginInput = {
  /** The Web eID token as posted (JSON text). */
  token: unknown;
  /** The nonce the page fetched from /api/card/challenge. */
  nonce: unknown;
  /** The binding cookie value of this browser; undefined when the cookie is missing. */
  binding: string | undefined;
  /** The request's Origin header, if the browser sent one. */
  requestOrigin?: string;
  /** Client address (lib/http/client-address.ts): audit rows and the rate limits. */
  ip?: string;
  userAgent?: string;
  channel?: TAuditChannel;
};

export type TCardLoginResult = {
  residentId: string;
  displayName: string;
  bindingId: string;
  /** True when this login re-bound a renewed card through J-LIS's old → new link. */
  rebound: boolean;
  certificate: { issuerDn: string; serialHex: string; fingerprint: string; notAfter: Date };
};

/** A verified user-authentication certificate (steps 1–5). */
export type TVerifiedAuthToken = { jpki: TJpkiCertificate; der: Uint8Array; nonce: string };

const ZNonce = z.string().min(16).max(200);

const log = createLog("auth/card-login");

/** Steps 1–5: challenge, token, purpose, path, signature, revocation. Throws AppError. */
export async function verifyAuthToken(
  ctx: TCardLoginContext,
  input: Pick<TCardLoginInput, "token" | "nonce" | "binding" | "requestOrigin">,
  purpose: ChallengePurpose,
): Promise<TVerifiedAuthToken> {
  const now = ctx.now?.() ?? new Date();
  const portal = normalizeOrigin(ctx.portalOrigin);
  const nonceParsed = ZNonce.safeParse(input.nonce);
  if (!nonceParsed.success || !input.binding) throw new AppError("CHALLENGE_UNKNOWN");
  const nonce = nonceParsed.data;
  const { origin: challengeOrigin } = await consumeChallenge(ctx.db, { nonce, binding: input.binding, purpose, now });
  if (safeOrigin(challengeOrigin) !== portal || (input.requestOrigin && safeOrigin(input.requestOrigin) !== portal)) {
    throw new AppError("ORIGIN_MISMATCH", {
      details: { expected: portal, challengeOrigin, requestOrigin: input.requestOrigin },
    });
  }
  const token = parseWebEidToken(input.token);
  const der = new Uint8Array(Buffer.from(token.unverifiedCertificate, "base64"));
  const jpki = parseCardCertificate(der, "auth");
  const cert = jpki.certificate;
  const { issuer } = await requireTrustedPath(der, ctx.authTrustAnchors, now);
  const ok = await verifyRsaPkcs1({
    publicKeySpki: cert.spki,
    message: webEidSignedData(portal, nonce),
    signature: new Uint8Array(Buffer.from(token.signature, "base64")),
    hash: "SHA-256",
  });
  if (!ok)
    throw new AppError("SIGNATURE_INVALID", { message: "The card's signature over the challenge does not verify." });
  requireGoodStatus(await checkRevocationAtJlis(ctx.jlis, { certificate: der, issuer, now }));
  return { jpki, der, nonce };
}

function safeOrigin(o: string): string {
  try {
    return normalizeOrigin(o);
  } catch {
    return `invalid:${o}`;
  }
}

/** Certificate identity as CertificateBinding stores it. */
export function bindingKeyOf(jpki: TJpkiCertificate): { issuerDn: string; serialNumber: string; fingerprint: string } {
  const cert = jpki.certificate;
  return { issuerDn: cert.issuer.text, serialNumber: cert.serialHex, fingerprint: cert.fingerprint };
}

/** Verify a card-login token and find the resident it belongs to (see the file comment). */
export async function verifyCardLogin(ctx: TCardLoginContext, input: TCardLoginInput): Promise<TCardLoginResult> {
  const meta = { ip: input.ip, userAgent: input.userAgent };
  const channel = input.channel ?? "pc";
  const claimed = claimedCertificate(input.token);
  const attempt = await reserveLoginAttempt(ctx.db, {
    method: "card",
    certificate: claimed?.key,
    meta: { ...meta, channel },
    limits: ctx.rateLimits,
    now: ctx.now?.(),
  });
  let verified: TVerifiedAuthToken | undefined;
  let result: TCardLoginResult;
  try {
    verified = await verifyAuthToken(ctx, input, "login");
    result = await findResident(ctx, verified, meta, channel);
  } catch (e) {
    // A failure counts against the certificate only if it is a genuine JPKI certificate.
    if (claimed && !verified && !(await chainsToAuthRoot(ctx, claimed.der))) await attempt.certificateNotProven();
    const code = e instanceof AppError ? e.code : "INTERNAL";
    if (code === "CERT_STATUS_UNAVAILABLE") log.error({ code, channel }, "card login: revocation status unavailable");
    if (e instanceof AppError) log.warn({ code, channel }, "card login refused");
    else log.error({ code, channel, ...errorFields(e) }, "card login refused");
    await ctx.db.$transaction(async (tx) => {
      await appendAuditEvent(tx, {
        type: "auth.login_failed",
        actor: { type: "resident" },
        channel,
        requestMetadata: meta,
        data: {
          code,
          method: "card",
          ...(verified ? { serialNumber: verified.jpki.serialHex, issuer: verified.jpki.issuer } : {}),
        },
      });
    });
    throw e;
  }
  await attempt.succeeded();
  log.info(
    { channel, residentId: result.residentId, bindingId: result.bindingId, rebound: result.rebound },
    "card login accepted",
  );
  return result;
}

/**
 * The certificate the token claims, parsed but not verified (for the per-certificate limit);
 * undefined when the token or certificate does not parse.
 */
function claimedCertificate(token: unknown): { key: TCertificateKey; der: Uint8Array } | undefined {
  try {
    const der = new Uint8Array(Buffer.from(parseWebEidToken(token).unverifiedCertificate, "base64"));
    const cert = parseCertificate(der);
    return { key: { issuerDn: cert.issuer.text, serialNumber: cert.serialHex }, der };
  } catch {
    return undefined;
  }
}

async function chainsToAuthRoot(ctx: TCardLoginContext, der: Uint8Array): Promise<boolean> {
  try {
    await requireTrustedPath(der, ctx.authTrustAnchors, ctx.now?.() ?? new Date());
    return true;
  } catch {
    return false;
  }
}

async function findResident(
  ctx: TCardLoginContext,
  v: TVerifiedAuthToken,
  meta: { ip?: string; userAgent?: string },
  channel: TAuditChannel,
): Promise<TCardLoginResult> {
  const key = bindingKeyOf(v.jpki);
  const certificate = {
    issuerDn: key.issuerDn,
    serialHex: key.serialNumber,
    fingerprint: key.fingerprint,
    notAfter: v.jpki.notAfter,
  };
  const loginData = {
    method: "card",
    serialNumber: key.serialNumber,
    issuer: key.issuerDn,
    fingerprint: key.fingerprint,
  };
  const existing = await ctx.db.certificateBinding.findUnique({
    where: { issuerDn_serialNumber: { issuerDn: key.issuerDn, serialNumber: key.serialNumber } },
    include: { resident: { select: { id: true, familyName: true, givenName: true } } },
  });
  if (existing) {
    if (existing.kind !== "AUTH" || existing.fingerprint !== key.fingerprint) {
      // Same issuer name and serial, other certificate (e.g. a serial reused by another root
      // generation): never log into the bound resident on a name + serial match alone.
      throw new AppError("CARD_UNKNOWN", { message: "A different certificate is bound under this issuer and serial." });
    }
    if (existing.status === "REVOKED") throw new AppError("CERT_REVOKED", { details: { source: "binding" } });
    if (existing.status !== "ACTIVE")
      throw new AppError("CARD_UNKNOWN", { details: { bindingStatus: existing.status } });
    await ctx.db.$transaction(async (tx) => {
      await appendAuditEvent(tx, {
        type: "auth.login_succeeded",
        actor: { type: "resident", id: existing.residentId },
        subjectResidentId: existing.residentId,
        channel,
        requestMetadata: meta,
        data: loginData,
      });
    });
    return {
      residentId: existing.residentId,
      displayName: `${existing.resident.familyName} ${existing.resident.givenName}`,
      bindingId: existing.id,
      rebound: false,
      certificate,
    };
  }

  // Renewal: J-LIS links old → new (証明書新旧紐付け, docs/jpki.md#linking-services), but a verifier only learns a
  // successor by asking about an old certificate it holds. So: which of our bound auth
  // certificates were revoked "superseded", and does one of them lead to this certificate?
  const old = await findRenewedBinding(ctx, key.serialNumber);
  if (!old) throw new AppError("CARD_UNKNOWN");
  const now = ctx.now?.() ?? new Date();
  const created = await ctx.db.$transaction(async (tx) => {
    if (old.status === "ACTIVE") {
      await tx.certificateBinding.update({
        where: { id: old.id },
        data: { status: "SUPERSEDED", statusReason: "renewed", statusChangedAt: now },
      });
    }
    const row = await tx.certificateBinding.create({
      data: {
        residentId: old.residentId,
        kind: "AUTH",
        ...key,
        tokenType: old.tokenType,
        notBefore: v.jpki.notBefore,
        notAfter: v.jpki.notAfter,
        replacesId: old.id,
        boundAt: now,
      },
    });
    await appendAuditEvent(tx, {
      type: "certificate.bound",
      actor: { type: "system" },
      subjectResidentId: old.residentId,
      channel,
      requestMetadata: meta,
      purpose: "renewal linked by J-LIS (old → new)",
      data: {
        kind: "AUTH",
        serialNumber: key.serialNumber,
        issuer: key.issuerDn,
        replacesSerialNumber: old.serialNumber,
      },
    });
    await appendAuditEvent(tx, {
      type: "auth.login_succeeded",
      actor: { type: "resident", id: old.residentId },
      subjectResidentId: old.residentId,
      channel,
      requestMetadata: meta,
      data: { ...loginData, rebound: true },
    });
    return row;
  });
  return {
    residentId: old.residentId,
    displayName: `${old.resident.familyName} ${old.resident.givenName}`,
    bindingId: created.id,
    rebound: true,
    certificate,
  };
}

/** Most renewal candidates followed per login; beyond that the resident re-consents (first login). */
const MAX_RENEWAL_CANDIDATES = 20;

async function findRenewedBinding(ctx: TCardLoginContext, serial: string) {
  const active = await ctx.db.certificateBinding.findMany({
    where: { kind: "AUTH", status: "ACTIVE" },
    select: { serialNumber: true },
  });
  const superseded = await ctx.jlis.supersededAmong(
    active.map((b) => b.serialNumber),
    { issuers: ctx.authTrustAnchors, now: ctx.now?.() ?? new Date() },
  );
  for (const candidate of superseded.slice(0, MAX_RENEWAL_CANDIDATES)) {
    const link = await ctx.jlis.successorOf(candidate);
    if (!link || (canonicalSerialOrNull(link.latest) !== serial && canonicalSerialOrNull(link.successor) !== serial))
      continue;
    return ctx.db.certificateBinding.findFirst({
      where: { kind: "AUTH", status: "ACTIVE", serialNumber: canonicalSerial(candidate) },
      include: { resident: { select: { id: true, familyName: true, givenName: true } } },
    });
  }
  return null;
}

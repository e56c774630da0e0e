/**
 * First login with a card: link an unknown user-authentication certificate to
 * a resident. In one request the page proves possession of both keys of the card:
 *
 *  - the auth key signs SHA-256(origin) ‖ SHA-256(nonce) of a "binding" challenge (Web eID token,
 *    verified exactly as a login: purpose, path, signature, revocation);
 *  - the signing key signs the canonical consent document (lib/auth/binding-consent.ts) that
 *    names the same nonce, the portal origin and the SHA-256 of that auth certificate.
 *
 * The signing certificate must be a JPKI signing certificate with a valid path and status
 * "good"; if J-LIS's 紐付け service knows which auth certificate goes with it, it must be this
 * one. Its four facts (docs/jpki.md#the-four-basic-facts) must match exactly one resident of the registry (name,
 * address, date of birth, gender, compared after NFKC and whitespace removal). Then an AUTH
 * and a SIGN CertificateBinding are stored with a certificate.bound audit event.
 *
 * A failed binding counts against the client address's failure limit of card login
 * (login-rate-limits.ts `failurePerIp`, reserved before the checks and given back on success),
 * so the route cannot be used to try cards and consents faster than the login itself.
 */
import { z } from "zod";
import { appendAuditEvent } from "../audit/append-audit-event";
import type { TAuditChannel } from "../audit/schemas";
import type { Gender } from "../../generated/prisma/client";
import { AppError } from "../errors/app-error";
import { verifyRsaPkcs1 } from "../jpki/signature";
import { checkRevocationAtJlis } from "../jlis/revocation";
import type { TFourFacts } from "../jpki/verification-report";
import { bindingConsentText } from "./binding-consent";
import { parseCardCertificate, requireGoodStatus, requireTrustedPath } from "./card-certificate";
import { reserveLoginAttempt } from "./login-rate-limits";
import { sha256Hex } from "../crypto/sha256";
import { canonicalSerialOrNull } from "../jpki/serial";
import { bindingKeyOf, type TCardLoginContext, verifyAuthToken } from "./verify-card-login";
import { normalizeOrigin } from "./web-eid-token";

export const ZBindCardRequest = z.object({
  nonce: z.string().min(16).max(200),
  /** Web eID token made by the auth key over the binding nonce. */
  authToken: z.string().min(100).max(10_000),
  /** The exact consent text that was signed. */
  consent: z.string().min(50).max(4_000),
  /** base64 RSASSA-PKCS1-v1_5 SHA-256 signature of the signing key over the consent's UTF-8 bytes. */
  consentSignature: z
    .string()
    .regex(/^[A-Za-z0-9+/]+={0,2}$/)
    .max(2_000),
  /** base64 DER of the signing certificate. */
  signCertificate: z
    .string()
    .regex(/^[A-Za-z0-9+/]+={0,2}$/)
    .max(8_000),
});
export type TBindCardRequest = z.infer<typeof ZBindCardRequest>;

export type TBindCardResult = { residentId: string; authBindingId: string; alreadyBound: boolean };

const GENDER_TO_DB: Record<TFourFacts["gender"], Gender> = { male: "MALE", female: "FEMALE", unknown: "UNKNOWN" };

/** Comparison form of a registry string: NFKC (full-width digits and spaces fold) without any whitespace. */
export function normalizeFact(s: string): string {
  return s.normalize("NFKC").replace(/\s+/gu, "");
}

export type TBindCardInput = {
  body: unknown;
  binding: string | undefined;
  requestOrigin?: string;
  /** Client address (lib/http/client-address.ts): the audit event and the failure limit. */
  ip?: string;
  userAgent?: string;
  channel?: TAuditChannel;
};

/**
 * Link the card's auth certificate to the resident whose registry facts the signing certificate
 * carries. Throws RATE_LIMITED (before any check) once the client address has used up its
 * login failures.
 */
export async function bindCardCertificate(ctx: TCardLoginContext, input: TBindCardInput): Promise<TBindCardResult> {
  const attempt = await reserveLoginAttempt(ctx.db, {
    method: "card_binding",
    meta: { ip: input.ip, userAgent: input.userAgent, channel: input.channel ?? "pc" },
    limits: ctx.rateLimits,
    now: ctx.now?.(),
  });
  const result = await bindCard(ctx, input);
  await attempt.succeeded();
  return result;
}

async function bindCard(ctx: TCardLoginContext, input: TBindCardInput): Promise<TBindCardResult> {
  const req = ZBindCardRequest.parse(input.body);
  const now = ctx.now?.() ?? new Date();
  const portal = normalizeOrigin(ctx.portalOrigin);
  const meta = { ip: input.ip, userAgent: input.userAgent };
  const channel = input.channel ?? "pc";

  const auth = await verifyAuthToken(
    ctx,
    { token: req.authToken, nonce: req.nonce, binding: input.binding, requestOrigin: input.requestOrigin },
    "binding",
  );
  const authKey = bindingKeyOf(auth.jpki);

  const signDer = new Uint8Array(Buffer.from(req.signCertificate, "base64"));
  const signCert = parseCardCertificate(signDer, "sign");
  const expected = bindingConsentText({ origin: portal, nonce: req.nonce, authCertificateSha256: sha256Hex(auth.der) });
  if (req.consent !== expected) {
    throw new AppError("VALIDATION_FAILED", {
      message: "The consent document is not the one for this card and challenge.",
    });
  }
  const { issuer } = await requireTrustedPath(signDer, ctx.signTrustAnchors, now);
  const ok = await verifyRsaPkcs1({
    publicKeySpki: signCert.certificate.spki,
    message: new TextEncoder().encode(req.consent),
    signature: new Uint8Array(Buffer.from(req.consentSignature, "base64")),
    hash: "SHA-256",
  });
  if (!ok) throw new AppError("SIGNATURE_INVALID", { message: "The consent signature does not verify." });
  requireGoodStatus(await checkRevocationAtJlis(ctx.jlis, { certificate: signDer, issuer, now }));
  const linked = await ctx.jlis.authCertificateOf(signDer);
  if (linked && canonicalSerialOrNull(linked.serialHex) !== authKey.serialNumber) {
    throw new AppError("CARD_BINDING_MISMATCH");
  }

  const existing = await ctx.db.certificateBinding.findUnique({
    where: { issuerDn_serialNumber: { issuerDn: authKey.issuerDn, serialNumber: authKey.serialNumber } },
  });

  const facts = signCert.facts;
  if (!facts) throw new AppError("CERT_MALFORMED", { message: "The signing certificate lacks the four facts." });
  const [family, ...given] = facts.name.split("\u3000");
  if (!facts.dateOfBirth || given.length === 0) throw new AppError("CARD_FACTS_MISMATCH");
  const candidates = await ctx.db.resident.findMany({
    where: {
      dateOfBirth: new Date(`${facts.dateOfBirth}T00:00:00Z`),
      gender: GENDER_TO_DB[facts.gender],
      leftAt: null,
    },
    select: { id: true, familyName: true, givenName: true, address: true },
  });
  const matches = candidates.filter(
    (r) =>
      normalizeFact(r.familyName) === normalizeFact(family ?? "") &&
      normalizeFact(r.givenName) === normalizeFact(given.join("")) &&
      normalizeFact(r.address) === normalizeFact(facts.address),
  );
  if (matches.length !== 1) {
    throw new AppError("CARD_FACTS_MISMATCH", { details: { candidates: matches.length } });
  }
  const residentId = matches[0]!.id;
  if (existing) {
    if (existing.residentId !== residentId || existing.status !== "ACTIVE") throw new AppError("CARD_BINDING_MISMATCH");
    return { residentId, authBindingId: existing.id, alreadyBound: true };
  }
  const signKey = bindingKeyOf(signCert);
  const authBinding = await ctx.db.$transaction(async (tx) => {
    const row = await tx.certificateBinding.create({
      data: {
        residentId,
        kind: "AUTH",
        ...authKey,
        tokenType: auth.jpki.tokenType ?? "card",
        notBefore: auth.jpki.notBefore,
        notAfter: auth.jpki.notAfter,
        boundAt: now,
      },
    });
    const signExisting = await tx.certificateBinding.findUnique({
      where: { issuerDn_serialNumber: { issuerDn: signKey.issuerDn, serialNumber: signKey.serialNumber } },
      select: { id: true },
    });
    if (!signExisting) {
      await tx.certificateBinding.create({
        data: {
          residentId,
          kind: "SIGN",
          ...signKey,
          tokenType: signCert.tokenType ?? "card",
          notBefore: signCert.notBefore,
          notAfter: signCert.notAfter,
          boundAt: now,
        },
      });
    }
    await appendAuditEvent(tx, {
      type: "certificate.bound",
      actor: { type: "resident", id: residentId },
      subjectResidentId: residentId,
      channel,
      requestMetadata: meta,
      purpose: "first login: consent signed with the signing certificate",
      data: {
        kind: "AUTH",
        serialNumber: authKey.serialNumber,
        issuer: authKey.issuerDn,
        signSerialNumber: signKey.serialNumber,
        consent: req.consent,
        consentSignature: req.consentSignature,
      },
    });
    return row;
  });
  return { residentId, authBindingId: authBinding.id, alreadyBound: false };
}

import { isProtectedResident } from "@/lib/protection/protection";
import { assertModeReachesCertificate, type TCredentialMode } from "../../credential-mode/credential-mode";
import { appendAuditEvent } from "../../audit/append-audit-event";
import type { TRequestMetadata } from "../../audit/schemas";
import { bindingKeyOf } from "../../auth/verify-card-login";
import { AppError } from "../../errors/app-error";
import type { TErrorCode } from "../../errors/codes";
import { createLog, errorFields } from "../../log/logger";
import { parseJpkiCertificate, type TCheck, verifyCms } from "../../jpki";
import type { TVerifiedPartnerCredential } from "../../partners/verify-partner-credential";
import { checkRevocationAtJlis } from "../../jlis/revocation";
import { sha256Hex } from "../../crypto/sha256";
import { nowOf, type TPlatformContext } from "../platform-context";
import { type TIdentityVerificationDto, ZCreateIdentityVerificationRequest } from "../schemas";
import { identityVerificationSelect, toFourFactsDto, toIdentityVerificationDto } from "./dto";

/** Options of {@link verifyIdentity}. */
export type VerifyIdentityOptions = {
  /** The calling partner, from its verified credential (scope identity:verify checked by the route). */
  partner: Pick<TVerifiedPartnerCredential, "partnerId" | "credentialId" | "scopes"> & {
    /** The credential's mode (the API always gives it): TEST verifies JPKI-TEST cards only, LIVE production ones. */
    mode?: TCredentialMode;
  };
  /** The request body; validated here against ZCreateIdentityVerificationRequest. */
  request: unknown;
  requestMetadata?: TRequestMetadata;
};

/** Checks the platform adds to lib/jpki's report (docs/jpki.md#identity-verification). */
const PlatformCheck = {
  /** The signer certificate is a JPKI signing certificate (an auth certificate carries no facts). */
  CERT_PURPOSE: "CERT_PURPOSE",
  /** The signer certificate is within its validity now, not only at the signing time. */
  CERT_VALIDITY_NOW: "CERT_VALIDITY_NOW",
} as const;

// The first failed check, in this order, names the rejection: a wrong-purpose certificate is
// reported as such even though its path to the signing roots fails too.
const FAILURE_ORDER = [
  "CMS_STRUCTURE",
  "CMS_SIGNER_CERTIFICATE",
  PlatformCheck.CERT_PURPOSE,
  "CERT_KEY_USAGE",
  "CMS_CONTENT_TYPE",
  "CMS_MESSAGE_DIGEST",
  "CMS_SIGNING_CERTIFICATE_V2",
  "CMS_SIGNATURE",
  "CMS_SIGNING_TIME",
  "CERT_PATH",
  PlatformCheck.CERT_VALIDITY_NOW,
  "CERT_REVOCATION",
] as const;

function failureCodeOf(check: TCheck | { code: string; ok: boolean; detail?: string }): TErrorCode {
  const detail = check.detail ?? "";
  switch (check.code) {
    case "CMS_STRUCTURE":
    case "CMS_SIGNER_CERTIFICATE":
      return "CMS_MALFORMED";
    case PlatformCheck.CERT_PURPOSE:
    case "CERT_KEY_USAGE":
      return "CERT_WRONG_PURPOSE";
    case "CERT_PATH":
      if (detail.startsWith("CERT_EXPIRED")) return "CERT_EXPIRED";
      if (detail.startsWith("CERT_NOT_YET_VALID")) return "CERT_NOT_YET_VALID";
      return "CERT_UNTRUSTED";
    case PlatformCheck.CERT_VALIDITY_NOW:
      return detail.startsWith("not yet") ? "CERT_NOT_YET_VALID" : "CERT_EXPIRED";
    case "CERT_REVOCATION":
      return detail.startsWith("unknown") ? "CERT_STATUS_UNKNOWN" : "CERT_REVOKED";
    default:
      return "SIGNATURE_INVALID";
  }
}

function firstFailure(checks: { code: string; ok: boolean; detail?: string }[]) {
  for (const code of FAILURE_ORDER) {
    const c = checks.find((x) => x.code === code && !x.ok);
    if (c) return c;
  }
  return checks.find((c) => !c.ok);
}

function decodeBase64(b64: string): Uint8Array {
  return new Uint8Array(Buffer.from(b64, "base64"));
}

/**
 * The resident a signing certificate belongs to, if any: a SIGN CertificateBinding by issuer +
 * serial, else J-LIS's 証明書紐付け (sign → auth, docs/jpki.md#linking-services) to a bound auth certificate. A J-LIS
 * failure here only means the access log entry is not written to a resident; the verification
 * itself already has its revocation answer.
 */
async function findSignerResident(
  ctx: TPlatformContext,
  key: { issuerDn: string; serialNumber: string },
): Promise<string | undefined> {
  const direct = await ctx.prisma.certificateBinding.findUnique({
    where: { issuerDn_serialNumber: { issuerDn: key.issuerDn, serialNumber: key.serialNumber } },
    select: { residentId: true, kind: true },
  });
  if (direct?.kind === "SIGN") return direct.residentId;
  let authSerial: string | null;
  try {
    authSerial = await ctx.jlis.authSerialOfSign(key.serialNumber);
  } catch (err) {
    // Not fatal (see above), but an unreachable J-LIS must not go unnoticed.
    createLog("platform/identity").warn(
      { code: err instanceof AppError ? err.code : undefined, ...errorFields(err) },
      "J-LIS sign → auth link unavailable; access log entry not attributed to a resident",
    );
    return undefined;
  }
  if (!authSerial) return undefined;
  const bound = await ctx.prisma.certificateBinding.findMany({
    where: { kind: "AUTH", serialNumber: authSerial },
    select: { residentId: true },
    take: 2,
  });
  // Serials are unique per CA, not across CAs: two hits mean we cannot tell, so we do not guess.
  return bound.length === 1 ? bound[0]!.residentId : undefined;
}

/**
 * Identity verification (本人確認, docs/jpki.md#identity-verification): verifies a resident-signed application (CMS
 * SignedData, CAdES-BES; RFC 5652 §5.6) — structure, signature, the path to the JPKI signing
 * roots at the signing time (RFC 5280 §6.1), the certificate's validity now, its purpose (a
 * signing certificate; an auth certificate is CERT_WRONG_PURPOSE) and its revocation status now
 * through J-LIS (OCSP, CRL fallback; never cached: a move an hour ago must show).
 *
 * Stores the result with the parsed four facts and issuer + serial, never the certificate. When
 * the signer is bound to a resident, the resident's access log gets a `partner.api_access` event
 * with the partner and its stated purpose, in the same transaction.
 *
 * Returns the verification (facts only with identity:facts). A signature that fails a check is
 * stored as rejected and thrown as its code (CMS_MALFORMED, CERT_WRONG_PURPOSE, SIGNATURE_INVALID,
 * CERT_UNTRUSTED, CERT_EXPIRED, CERT_NOT_YET_VALID, CERT_REVOKED, CERT_STATUS_UNKNOWN; HTTP 422)
 * with `details.verificationId` and `details.checks`. Input that is not SignedData at all is
 * CMS_MALFORMED (400) and J-LIS being unreachable CERT_STATUS_UNAVAILABLE (503); neither is stored.
 */
export async function verifyIdentity(
  ctx: TPlatformContext,
  options: VerifyIdentityOptions,
): Promise<TIdentityVerificationDto> {
  const input = ZCreateIdentityVerificationRequest.parse(options.request);
  const now = nowOf(ctx);
  const signedData = decodeBase64(input.signedData);
  const content = input.content === undefined ? undefined : decodeBase64(input.content);
  const mode = options.partner.mode;
  const report = await verifyCms({
    signedData,
    detachedContent: content,
    // A TEST credential verifies against the JPKI-TEST roots (the sandbox), any other against production.
    trustAnchors: mode === "TEST" ? (ctx.testSignTrustAnchors ?? []) : ctx.signTrustAnchors,
    time: now,
  });
  const signer = report.signerCertificate;
  if (!signer || !report.content) {
    const failed = report.checks.find((c) => !c.ok);
    throw new AppError("CMS_MALFORMED", {
      message: failed?.detail ?? "No signer certificate.",
      details: { checks: report.checks },
    });
  }
  const jpki = parseJpkiCertificate(signer);
  // The other side's card: refused before anything is stored or any J-LIS query is made.
  if (mode) assertModeReachesCertificate(mode, jpki.hierarchy);
  const checks: { code: string; ok: boolean; detail?: string }[] = [...report.checks];
  checks.push({
    code: PlatformCheck.CERT_PURPOSE,
    ok: jpki.kind === "sign",
    detail: jpki.kind === "sign" ? undefined : `a JPKI ${jpki.kind} certificate, not a signing certificate`,
  });
  const validNow = now >= jpki.notBefore && now <= jpki.notAfter;
  checks.push({
    code: PlatformCheck.CERT_VALIDITY_NOW,
    ok: validNow,
    detail: validNow
      ? undefined
      : now < jpki.notBefore
        ? `not yet valid (notBefore ${jpki.notBefore.toISOString()})`
        : `expired at ${jpki.notAfter.toISOString()}`,
  });

  const issuer = report.path?.[1];
  const issuerFingerprint = issuer ? sha256Hex(issuer) : undefined;
  let revocationSource: string | undefined;
  // Revocation is asked only of a signature that passed everything else: garbage never costs a
  // J-LIS round trip, and J-LIS sees only certificates a partner could otherwise rely on.
  if (checks.every((c) => c.ok) && issuer && issuerFingerprint) {
    // No cache: a move an hour ago must show.
    const r = await checkRevocationAtJlis(ctx.jlis, { certificate: signer, issuer, now });
    if (r.status === "unavailable") {
      throw new AppError("CERT_STATUS_UNAVAILABLE", { details: { failures: r.failures } });
    }
    revocationSource = r.source;
    checks.push({
      code: "CERT_REVOCATION",
      ok: r.status === "good",
      detail:
        r.status === "good"
          ? undefined
          : r.status === "revoked"
            ? `revoked at ${r.revokedAt?.toISOString()} (${r.reason})`
            : "unknown to the revocation service",
    });
  }

  const failed = firstFailure(checks);
  const key = bindingKeyOf(jpki);
  const facts = !failed && jpki.facts ? toFourFactsDto(jpki.facts) : undefined;
  const residentId = failed ? undefined : await findSignerResident(ctx, key);
  // A protected person's four facts (their address) are not disclosed to partners (lib/protection).
  const includeFacts =
    options.partner.scopes.includes("identity:facts") &&
    !(residentId && (await isProtectedResident(ctx.prisma, residentId)));

  const row = await ctx.prisma.$transaction(async (tx) => {
    const created = await tx.identityVerification.create({
      data: {
        partnerId: options.partner.partnerId,
        credentialId: options.partner.credentialId,
        purpose: input.purpose,
        status: failed ? "REJECTED" : "VERIFIED",
        failureCode: failed ? failureCodeOf(failed) : null,
        checks,
        signerIssuerDn: key.issuerDn,
        signerSerialNumber: key.serialNumber,
        signerIssuerFingerprint: issuerFingerprint ?? null,
        signerNotAfter: jpki.notAfter,
        signingTime: report.signingTime ?? null,
        contentHash: sha256Hex(report.content ?? new Uint8Array()),
        facts,
        residentId: residentId ?? null,
        revocationSource: revocationSource ?? null,
        createdAt: now,
      },
      select: identityVerificationSelect,
    });
    if (residentId) {
      await appendAuditEvent(tx, {
        type: "partner.api_access",
        actor: { type: "partner", id: options.partner.partnerId },
        subjectResidentId: residentId,
        purpose: input.purpose,
        channel: "api",
        requestMetadata: options.requestMetadata,
        data: {
          operation: "identity_verification",
          verificationId: created.id,
          credentialId: options.partner.credentialId,
          factsDisclosed: includeFacts,
        },
      });
    }
    return created;
  });

  if (failed) {
    throw new AppError(failureCodeOf(failed), {
      status: 422,
      message: failed.detail ?? `check ${failed.code} failed`,
      details: { verificationId: row.id, checks },
    });
  }
  return toIdentityVerificationDto(row, { includeFacts });
}

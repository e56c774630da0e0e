import { AppError } from "@/lib/errors/app-error";
import { type SignerValidationCache, verifyCms } from "@/lib/jpki";
import type { TStoredVerificationReport } from "./schemas";
import { toStoredVerificationReport } from "./verification-report-dto";

/** What issuer signatures are checked against: roots, and (in the app) the issuers' CRLs. */
export type TIssuerTrust = {
  /** Roots trusted for issuer signatures (getIssuerTrustAnchors() in the app). */
  trustAnchors: Uint8Array[];
  /**
   * The CRLs of those roots (getIssuerCrls() in the app). When given, the signer's certificate
   * must be known good now: revoked is DOCUMENT_ISSUER_REVOKED, undeterminable is
   * DOCUMENT_SIGNATURE_INVALID. Without them the stored report has no revocation entry.
   */
  issuerCrls?: Uint8Array[];
  /**
   * A bulk run's cache of the signer's validated path and revocation answer (until nextUpdate);
   * each document's own signature is still checked. Single deliveries pass none.
   */
  validationCache?: SignerValidationCache;
};

/**
 * The issuer check shared by single and bulk delivery: the detached CMS signature (CAdES-BES,
 * RFC 5652 §5.6) over the RFC 8785 payload, its path to an issuer root, the signer's revocation
 * status now, and the signer's organisation = the sending partner.
 */
export async function verifyIssuerSignature(o: {
  canonicalPayload: Uint8Array;
  signature: Uint8Array;
  partnerSlug: string;
  trust: TIssuerTrust;
  now: Date;
}): Promise<{ stored: TStoredVerificationReport; signedAt: Date | null }> {
  let report: Awaited<ReturnType<typeof verifyCms>>;
  try {
    report = await verifyCms({
      signedData: o.signature,
      detachedContent: o.canonicalPayload,
      trustAnchors: o.trust.trustAnchors,
      time: o.now,
      revocation: o.trust.issuerCrls ? { crls: o.trust.issuerCrls.map((bytes) => ({ bytes })) } : undefined,
      validationCache: o.trust.validationCache,
    });
  } catch (err) {
    if (err instanceof AppError) {
      throw new AppError("DOCUMENT_SIGNATURE_INVALID", {
        message: `The signature is not a CMS SignedData: ${err.message}`,
        details: { cause: err.code },
      });
    }
    throw err;
  }
  if (report.revocation?.status === "revoked") {
    throw new AppError("DOCUMENT_ISSUER_REVOKED", {
      details: {
        reason: report.revocation.reason ?? null,
        revokedAt: report.revocation.revokedAt?.toISOString() ?? null,
      },
    });
  }
  if (!report.valid) {
    throw new AppError("DOCUMENT_SIGNATURE_INVALID", { details: { failedChecks: report.checks.filter((c) => !c.ok) } });
  }
  const stored = toStoredVerificationReport(report, o.now);
  if (stored.signer?.partnerSlug !== o.partnerSlug) {
    throw new AppError("DOCUMENT_ISSUER_MISMATCH", {
      details: { signer: stored.signer?.subject ?? null, sender: o.partnerSlug },
    });
  }
  return { stored, signedAt: report.signingTime ?? null };
}

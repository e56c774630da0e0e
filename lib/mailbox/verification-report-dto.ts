import type { TVerificationReport } from "@/lib/jpki";
import { readOrganizationIdentity } from "@/lib/jpki/organization-certificate";
import type { TStoredVerificationReport } from "./schemas";

/** Subject text of a certificate, or a marker when it cannot be parsed (the report still stores). */
function subjectOf(der: Uint8Array): string {
  try {
    return readOrganizationIdentity(der).subject;
  } catch {
    return "(unparseable certificate)";
  }
}

/**
 * The JSON form of a lib/jpki VerificationReport stored with a document and shown to the
 * resident: the checks with their stable codes, the signer and the path, no raw certificates
 * (the signature bytes are stored beside it and carry them).
 */
export function toStoredVerificationReport(report: TVerificationReport, verifiedAt: Date): TStoredVerificationReport {
  let signer: TStoredVerificationReport["signer"] = null;
  if (report.signerCertificate) {
    try {
      const id = readOrganizationIdentity(report.signerCertificate);
      signer = {
        organizationName: id.organizationName ?? null,
        partnerSlug: id.partnerSlug ?? null,
        subject: id.subject,
        issuer: id.issuer,
        serialNumber: id.serialNumber,
        notBefore: id.notBefore.toISOString(),
        notAfter: id.notAfter.toISOString(),
        fingerprint: id.fingerprint,
      };
    } catch {
      signer = null;
    }
  }
  return {
    valid: report.valid,
    verifiedAt: verifiedAt.toISOString(),
    checks: report.checks.map((c) =>
      c.detail ? { code: c.code, ok: c.ok, detail: c.detail } : { code: c.code, ok: c.ok },
    ),
    signingTime: report.signingTime?.toISOString() ?? null,
    signer,
    path: (report.path ?? []).map(subjectOf),
  };
}

/**
 * The one check of "this CMS is the resident's card signature over exactly these bytes", shared by
 * signing requests and link requests that need a signature (lib/links). In order: the CMS
 * (structure, signature, signed attributes, the path to the JPKI signing roots of the resident's
 * side: JPKI-TEST for a sandbox resident; CMS_MALFORMED, SIGNATURE_INVALID, CERT_UNTRUSTED), a
 * signing certificate (CERT_WRONG_PURPOSE), the signed content byte for byte (`codes.mismatch`),
 * the certificate is the resident's (their SIGN binding, or J-LIS's sign → auth link:
 * `codes.signer`), and its status now at J-LIS (CERT_REVOKED, CERT_STATUS_UNKNOWN,
 * CERT_STATUS_UNAVAILABLE).
 */
import { bindingKeyOf } from "../../auth/verify-card-login";
import { AppError } from "../../errors/app-error";
import type { TErrorCode } from "../../errors/codes";
import { checkRevocationAtJlis } from "../../jlis/revocation";
import { parseJpkiCertificate, verifyCms } from "../../jpki";
import { bytesEqual } from "../../jpki/der";
import type { TPlatformContext } from "../../platform/platform-context";
import { signerBelongsTo } from "../applications/submit-application";

export type TVerifiedResidentCms = {
  signerIssuerDn: string;
  signerSerialNumber: string;
  boundBy: NonNullable<Awaited<ReturnType<typeof signerBelongsTo>>>;
};

export async function verifyResidentCms(
  ctx: TPlatformContext,
  o: {
    residentId: string;
    sandbox: boolean;
    signedData: Uint8Array;
    content: Uint8Array;
    now: Date;
    codes: { mismatch: TErrorCode; signer: TErrorCode };
  },
): Promise<TVerifiedResidentCms> {
  const report = await verifyCms({
    signedData: o.signedData,
    trustAnchors: o.sandbox ? (ctx.testSignTrustAnchors ?? []) : ctx.signTrustAnchors,
    time: o.now,
  });
  const signer = report.signerCertificate;
  if (!signer || !report.content) throw new AppError("CMS_MALFORMED", { details: { checks: report.checks } });
  if (!report.valid) {
    const failed = report.checks.find((c) => !c.ok);
    const code = failed?.code === "CERT_PATH" ? "CERT_UNTRUSTED" : "SIGNATURE_INVALID";
    throw new AppError(code, { message: failed?.detail, details: { checks: report.checks } });
  }
  const jpki = parseJpkiCertificate(signer);
  if (jpki.kind !== "sign" || !jpki.facts) throw new AppError("CERT_WRONG_PURPOSE");
  if (!bytesEqual(report.content, o.content)) throw new AppError(o.codes.mismatch);

  const key = bindingKeyOf(jpki);
  const boundBy = await signerBelongsTo(ctx, o.residentId, key);
  if (!boundBy) throw new AppError(o.codes.signer);
  const issuer = report.path?.[1];
  if (!issuer) throw new AppError("CERT_UNTRUSTED");
  const status = await checkRevocationAtJlis(ctx.jlis, { certificate: signer, issuer, now: o.now });
  if (status.status === "unavailable") throw new AppError("CERT_STATUS_UNAVAILABLE");
  if (status.status === "revoked") throw new AppError("CERT_REVOKED", { details: { reason: status.reason ?? null } });
  if (status.status !== "good") throw new AppError("CERT_STATUS_UNKNOWN");
  return { signerIssuerDn: key.issuerDn, signerSerialNumber: key.serialNumber, boundBy };
}

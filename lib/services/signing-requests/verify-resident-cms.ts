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

/**
 * How the signing certificate is the resident's: an ACTIVE SIGN binding of theirs, or J-LIS's
 * 証明書紐付け (sign → auth) to an ACTIVE AUTH binding of theirs (a signing certificate issued
 * after the first login, e.g. after a move). Undefined when it is not theirs. Used by
 * {@link verifyResidentCms} and by applications (lib/services/applications/submit-application.ts).
 */
export async function signerBelongsTo(
  ctx: Pick<TPlatformContext, "prisma" | "jlis">,
  residentId: string,
  key: { issuerDn: string; serialNumber: string },
): Promise<"binding" | "jlis-link" | undefined> {
  const direct = await ctx.prisma.certificateBinding.findUnique({
    where: { issuerDn_serialNumber: { issuerDn: key.issuerDn, serialNumber: key.serialNumber } },
    select: { residentId: true, kind: true, status: true },
  });
  if (direct) {
    return direct.kind === "SIGN" && direct.status === "ACTIVE" && direct.residentId === residentId
      ? "binding"
      : undefined;
  }
  const authSerial = await ctx.jlis.authSerialOfSign(key.serialNumber);
  if (!authSerial) return undefined;
  const bound = await ctx.prisma.certificateBinding.findMany({
    where: { kind: "AUTH", serialNumber: authSerial, status: "ACTIVE" },
    select: { residentId: true },
    take: 2,
  });
  // Serials are unique per CA only: two hits are not guessed between.
  return bound.length === 1 && bound[0]!.residentId === residentId ? "jlis-link" : undefined;
}

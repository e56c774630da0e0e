import {
  assertModeReachesCertificate,
  hierarchyOfIssuerDn,
  type TCredentialMode,
} from "../../credential-mode/credential-mode";
import { appendAuditEvent } from "../../audit/append-audit-event";
import type { TRequestMetadata } from "../../audit/schemas";
import { AppError } from "../../errors/app-error";
import type { TVerifiedPartnerCredential } from "../../partners/verify-partner-credential";
import type { TPlatformContext } from "../platform-context";
import { type TWatchDto, ZCreateWatchRequest } from "../schemas";
import { toWatchDto, watchSelect } from "./dto";

export type CreateWatchOptions = {
  partner: Pick<TVerifiedPartnerCredential, "partnerId" | "credentialId" | "scopes"> & { mode?: TCredentialMode };
  request: unknown;
  requestMetadata?: TRequestMetadata;
};

/**
 * Registers the signing certificate of one of the partner's verified identity verifications for
 * change verification (変更確認, docs/jpki.md#change-verification). Idempotent per certificate and partner: a second
 * call returns the existing watch (`created: false`); a cancelled one is re-activated. Whether
 * the latest four facts may later travel in the webhook is fixed now, from the registering
 * credential's identity:facts scope. Throws WATCH_VERIFICATION_INVALID for an unknown, another
 * partner's, or a rejected verification.
 */
export async function createWatch(
  ctx: TPlatformContext,
  options: CreateWatchOptions,
): Promise<{ watch: TWatchDto; created: boolean }> {
  const input = ZCreateWatchRequest.parse(options.request);
  const partnerId = options.partner.partnerId;
  return ctx.prisma.$transaction(async (tx) => {
    const v = await tx.identityVerification.findFirst({
      where: { id: input.verificationId, partnerId, status: "VERIFIED" },
      select: {
        id: true,
        signerIssuerDn: true,
        signerSerialNumber: true,
        signerIssuerFingerprint: true,
        residentId: true,
        purpose: true,
      },
    });
    if (!v?.signerIssuerFingerprint) throw new AppError("WATCH_VERIFICATION_INVALID");
    if (options.partner.mode) assertModeReachesCertificate(options.partner.mode, hierarchyOfIssuerDn(v.signerIssuerDn));
    const key = {
      partnerId,
      issuerFingerprint: v.signerIssuerFingerprint,
      serialNumber: v.signerSerialNumber,
    };
    const existing = await tx.certificateWatch.findUnique({
      where: { partnerId_issuerFingerprint_serialNumber: key },
      select: watchSelect,
    });
    if (existing && existing.status !== "CANCELLED") return { watch: toWatchDto(existing), created: false };
    const factsAllowed = options.partner.scopes.includes("identity:facts");
    const row = existing
      ? await tx.certificateWatch.update({
          where: { id: existing.id },
          data: { status: "ACTIVE", verificationId: v.id, credentialId: options.partner.credentialId, factsAllowed },
          select: watchSelect,
        })
      : await tx.certificateWatch.create({
          data: {
            ...key,
            credentialId: options.partner.credentialId,
            verificationId: v.id,
            residentId: v.residentId,
            issuerDn: v.signerIssuerDn,
            factsAllowed,
          },
          select: watchSelect,
        });
    if (v.residentId) {
      await appendAuditEvent(tx, {
        type: "partner.api_access",
        actor: { type: "partner", id: partnerId },
        subjectResidentId: v.residentId,
        purpose: v.purpose,
        channel: "api",
        requestMetadata: options.requestMetadata,
        data: { operation: "certificate_watch_created", watchId: row.id, verificationId: v.id },
      });
    }
    return { watch: toWatchDto(row), created: true };
  });
}

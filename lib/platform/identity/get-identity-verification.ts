import { isProtectedResident } from "@/lib/protection/protection";
import {
  assertModeReachesCertificate,
  hierarchyOfIssuerDn,
  type TCredentialMode,
} from "../../credential-mode/credential-mode";
import { isUuid } from "../../db/ids";
import { appendAuditEvent } from "../../audit/append-audit-event";
import type { TRequestMetadata } from "../../audit/schemas";
import { AppError } from "../../errors/app-error";
import type { TVerifiedPartnerCredential } from "../../partners/verify-partner-credential";
import type { TPlatformContext } from "../platform-context";
import type { TIdentityVerificationDto } from "../schemas";
import { identityVerificationSelect, toIdentityVerificationDto } from "./dto";

export type GetIdentityVerificationOptions = {
  partner: Pick<TVerifiedPartnerCredential, "partnerId" | "credentialId" | "scopes"> & { mode?: TCredentialMode };
  verificationId: string;
  requestMetadata?: TRequestMetadata;
};

/**
 * Returns a verification again to the partner that made it (another partner's id is NOT_FOUND,
 * so ids cannot be probed). Facts only with identity:facts; a read that returns a bound
 * resident's facts is written to their access log (convention 11, docs/architecture.md#conventions).
 */
export async function getIdentityVerificationOrThrow(
  ctx: TPlatformContext,
  options: GetIdentityVerificationOptions,
): Promise<TIdentityVerificationDto> {
  const wantsFacts = options.partner.scopes.includes("identity:facts");
  const wellFormed = isUuid(options.verificationId);
  return ctx.prisma.$transaction(async (tx) => {
    const row = wellFormed
      ? await tx.identityVerification.findFirst({
          where: { id: options.verificationId, partnerId: options.partner.partnerId },
          select: identityVerificationSelect,
        })
      : null;
    if (!row) throw new AppError("NOT_FOUND", { message: "No such identity verification." });
    if (options.partner.mode && row.signerIssuerDn) {
      assertModeReachesCertificate(options.partner.mode, hierarchyOfIssuerDn(row.signerIssuerDn));
    }
    // A protected person's four facts (their address) are not disclosed to partners (lib/protection).
    const includeFacts = wantsFacts && !(row.residentId && (await isProtectedResident(tx, row.residentId)));
    if (includeFacts && row.residentId && row.facts) {
      await appendAuditEvent(tx, {
        type: "partner.api_access",
        actor: { type: "partner", id: options.partner.partnerId },
        subjectResidentId: row.residentId,
        purpose: row.purpose,
        channel: "api",
        requestMetadata: options.requestMetadata,
        data: { operation: "identity_verification_read", verificationId: row.id, factsDisclosed: true },
      });
    }
    return toIdentityVerificationDto(row, { includeFacts });
  });
}

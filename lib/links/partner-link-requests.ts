import { isProtectedResident } from "@/lib/protection/protection";
import { randomUUID } from "node:crypto";
/**
 * The partner's side of member linking (紐付け): propose a link, read its status. The partner
 * cannot know an ichimai resident id, so a request is addressed either through one of its own
 * VERIFIED identity verifications (the verified signer's resident) or not at all: then it gets a
 * one-time claim code to give the person, who enters it in /services.
 */
import { appendAuditEvent } from "../audit/append-audit-event";
import type { TRequestMetadata } from "../audit/schemas";
import {
  assertModeReachesCertificate,
  assertModeReachesResident,
  hierarchyOfIssuerDn,
  type TCredentialMode,
} from "../credential-mode/credential-mode";
import type { PrismaClient } from "../db/client";
import { isUuid } from "../db/ids";
import { AppError } from "../errors/app-error";
import type { TLinkPurpose } from "../mailbox/link-purposes";
import type { TApiScope } from "../partners/scopes";
import { claimCodeHash, newClaimCode, normaliseClaimCode } from "./claim-code";
import { linkConsentContent, linkRequestSelect, toLinkRequestDto } from "./dto";
import {
  LINK_REQUEST_TTL_DAYS,
  type TCreatedLinkRequestDto,
  type TLinkRequestDto,
  ZCreateLinkRequestRequest,
} from "./schemas";

/** The partner scope a purpose needs the partner to be approved for (municipal staff approve scopes). */
export const PURPOSE_SCOPES: Record<TLinkPurpose, TApiScope> = {
  deliver: "documents:deliver",
  eligibility: "eligibility:verify",
  notify: "change:watch",
};

export type TLinkPartner = { partnerId: string; credentialId?: string; mode?: TCredentialMode };

export type CreateLinkRequestOptions = {
  partner: TLinkPartner;
  request: unknown;
  requestMetadata?: TRequestMetadata;
  now?: Date;
};

/**
 * Creates a link request. Refusals write nothing: LINK_PURPOSE_NOT_APPROVED (a purpose whose
 * scope the partner is not approved for), LINK_VERIFICATION_INVALID (unknown, another partner's,
 * not VERIFIED, or no portal resident), CREDENTIAL_MODE_MISMATCH, PARTNER_REF_TAKEN (the
 * reference is linked to another resident, or for a claim-code request to anyone),
 * LINK_ALREADY_EXISTS (the addressed resident is linked to the partner already). A request
 * addressed to a resident is written to their access log (`consent.requested`).
 */
export async function createLinkRequest(
  prisma: PrismaClient,
  options: CreateLinkRequestOptions,
): Promise<TCreatedLinkRequestDto> {
  const input = ZCreateLinkRequestRequest.parse(options.request);
  const now = options.now ?? new Date();
  const expiresAt = new Date(now.getTime() + LINK_REQUEST_TTL_DAYS * 86_400_000);
  const partnerId = options.partner.partnerId;
  const mode = options.partner.mode;
  return prisma.$transaction(async (tx) => {
    const partner = await tx.partner.findUnique({
      where: { id: partnerId },
      select: { approvedScopes: true, name: true },
    });
    if (!partner) throw new AppError("NOT_FOUND", { message: "No such partner." });
    const missing = input.purposes.filter((p) => !partner.approvedScopes.includes(PURPOSE_SCOPES[p]));
    if (missing.length > 0) {
      throw new AppError("LINK_PURPOSE_NOT_APPROVED", {
        message: `Request the scopes ${missing.map((p) => PURPOSE_SCOPES[p]).join(", ")} first.`,
        details: { purposes: missing },
      });
    }

    let residentId: string | null = null;
    if (input.identityVerificationId) {
      const verification = await tx.identityVerification.findFirst({
        where: { id: input.identityVerificationId, partnerId },
        select: {
          status: true,
          residentId: true,
          signerIssuerDn: true,
          resident: { select: { sandbox: true, leftAt: true } },
        },
      });
      if (verification?.status !== "VERIFIED" || !verification.resident || verification.resident.leftAt) {
        throw new AppError("LINK_VERIFICATION_INVALID");
      }
      // A protected person (支援措置): refused exactly as a verification that reaches no resident.
      if (verification.residentId && (await isProtectedResident(tx, verification.residentId))) {
        throw new AppError("LINK_VERIFICATION_INVALID");
      }
      if (mode) {
        assertModeReachesCertificate(mode, hierarchyOfIssuerDn(verification.signerIssuerDn));
        assertModeReachesResident(mode, verification.resident);
      }
      residentId = verification.residentId;
    }

    const holder = await tx.partnerResidentLink.findUnique({
      where: { partnerId_partnerRef: { partnerId, partnerRef: input.partnerRef } },
      select: { residentId: true, revokedAt: true },
    });
    if (holder && (residentId ? holder.residentId !== residentId : !holder.revokedAt)) {
      throw new AppError("PARTNER_REF_TAKEN");
    }
    if (residentId) {
      const existing = await tx.partnerResidentLink.findUnique({
        where: { partnerId_residentId: { partnerId, residentId } },
        select: { revokedAt: true },
      });
      if (existing && !existing.revokedAt) throw new AppError("LINK_ALREADY_EXISTS");
    }

    const claimCode = residentId ? undefined : newClaimCode();
    const id = randomUUID();
    const row = await tx.linkRequest.create({
      data: {
        id,
        partnerId,
        sandbox: mode === "TEST",
        partnerRef: input.partnerRef,
        purposes: input.purposes,
        purposeText: input.purposeText,
        residentId,
        identityVerificationId: input.identityVerificationId ?? null,
        claimCodeHash: claimCode ? claimCodeHash(normaliseClaimCode(claimCode) ?? "") : null,
        claimedAt: residentId ? now : null,
        expiresAt,
        createdAt: now,
        signatureRequired: input.signatureRequired,
        consentContent: input.signatureRequired
          ? new Uint8Array(
              linkConsentContent({
                linkRequestId: id,
                partnerName: partner.name,
                partnerRef: input.partnerRef,
                purposes: input.purposes,
                purposeText: input.purposeText,
              }),
            )
          : null,
      },
      select: linkRequestSelect,
    });
    if (residentId) {
      await appendAuditEvent(tx, {
        type: "consent.requested",
        actor: { type: "partner", id: partnerId },
        subjectResidentId: residentId,
        purpose: input.purposeText,
        channel: "api",
        requestMetadata: options.requestMetadata,
        data: {
          consent: "link",
          linkRequestId: row.id,
          partnerId,
          purposes: input.purposes,
          via: "identity_verification",
          ...(options.partner.credentialId ? { credentialId: options.partner.credentialId } : {}),
        },
      });
    }
    return { ...toLinkRequestDto(row, now), ...(claimCode ? { claimCode } : {}) };
  });
}

/**
 * One link request of the partner (another partner's id, or a malformed one, is NOT_FOUND);
 * a request of the other mode is CREDENTIAL_MODE_MISMATCH.
 */
export async function getLinkRequestOrThrow(
  prisma: PrismaClient,
  o: { partner: TLinkPartner; linkRequestId: string; now?: Date },
): Promise<TLinkRequestDto> {
  const row = isUuid(o.linkRequestId)
    ? await prisma.linkRequest.findFirst({
        where: { id: o.linkRequestId, partnerId: o.partner.partnerId },
        select: linkRequestSelect,
      })
    : null;
  if (!row) throw new AppError("NOT_FOUND", { message: "No such link request." });
  if (o.partner.mode) assertModeReachesResident(o.partner.mode, { sandbox: row.sandbox });
  return toLinkRequestDto(row, o.now ?? new Date());
}

/**
 * The partner's side of signing requests: ask a linked resident to sign an application text with
 * the card, read the request (and, once signed, the CMS). The link only addresses the resident:
 * any active link will do, whatever its purposes, because every request is consented to on its
 * own — the resident reads it and signs it with the card's signing PIN, or declines.
 */
import { randomUUID } from "node:crypto";
import { appendAuditEvent } from "../../audit/append-audit-event";
import type { TRequestMetadata } from "../../audit/schemas";
import { assertModeReachesResident, type TCredentialMode } from "../../credential-mode/credential-mode";
import type { PrismaClient } from "../../db/client";
import { isUuid } from "../../db/ids";
import { AppError, validationFailed } from "../../errors/app-error";
import { findActiveLink } from "../../mailbox/link-purposes";
import { canonicalJsonBytes } from "../../mailbox/canonical-json";
import { signingRequestSelect, toSigningRequestDto } from "./dto";
import {
  SIGNING_REQUEST_DEFAULT_TTL_DAYS,
  SIGNING_REQUEST_FORMAT,
  SIGNING_REQUEST_MAX_TTL_DAYS,
  type TSigningRequestContent,
  type TSigningRequestDto,
  ZCreateSigningRequestRequest,
} from "./schemas";

const DAY_MS = 86_400_000;

export type TSigningPartner = { partnerId: string; credentialId?: string; mode?: TCredentialMode };

/**
 * Creates a pending request for the resident linked under `partnerRef`, with the exact content
 * they will sign. Refusals write nothing: VALIDATION_FAILED, TEXT_CHARACTER_FORBIDDEN,
 * PARTNER_REF_UNKNOWN (no link was ever made under this reference), RECIPIENT_NOT_LINKED (the
 * link was ended), CREDENTIAL_MODE_MISMATCH. The resident's access log gets `consent.requested`.
 */
export async function createSigningRequest(
  prisma: PrismaClient,
  o: { partner: TSigningPartner; request: unknown; requestMetadata?: TRequestMetadata; now?: Date },
): Promise<TSigningRequestDto> {
  const parsed = ZCreateSigningRequestRequest.safeParse(o.request);
  if (!parsed.success) throw validationFailed(parsed.error);
  const input = parsed.data;
  const now = o.now ?? new Date();
  const expiresAt = input.expiresAt
    ? new Date(input.expiresAt)
    : new Date(now.getTime() + SIGNING_REQUEST_DEFAULT_TTL_DAYS * DAY_MS);
  if (
    expiresAt.getTime() <= now.getTime() + 5 * 60_000 ||
    expiresAt.getTime() > now.getTime() + SIGNING_REQUEST_MAX_TTL_DAYS * DAY_MS
  ) {
    throw new AppError("VALIDATION_FAILED", {
      message: `expiresAt must be between 5 minutes and ${SIGNING_REQUEST_MAX_TTL_DAYS} days ahead.`,
      details: { field: "expiresAt" },
    });
  }
  const partnerId = o.partner.partnerId;
  return prisma.$transaction(async (tx) => {
    const partner = await tx.partner.findUnique({ where: { id: partnerId }, select: { name: true } });
    if (!partner) throw new AppError("NOT_FOUND", { message: "No such partner." });
    const link = await findActiveLink(tx, { partnerId, partnerRef: input.partnerRef });
    if (!link) {
      const ended = await tx.partnerResidentLink.findUnique({
        where: { partnerId_partnerRef: { partnerId, partnerRef: input.partnerRef } },
        select: { id: true },
      });
      throw new AppError(ended ? "RECIPIENT_NOT_LINKED" : "PARTNER_REF_UNKNOWN");
    }
    const resident = await tx.resident.findUnique({
      where: { id: link.residentId },
      select: { sandbox: true, leftAt: true },
    });
    if (!resident || resident.leftAt) throw new AppError("RECIPIENT_NOT_LINKED");
    if (o.partner.mode) assertModeReachesResident(o.partner.mode, resident);

    const id = randomUUID();
    const content: TSigningRequestContent = {
      format: SIGNING_REQUEST_FORMAT,
      requestId: id,
      partner: { name: partner.name },
      title: input.title,
      text: input.text,
    };
    const row = await tx.signingRequest.create({
      data: {
        id,
        partnerId,
        residentId: link.residentId,
        partnerRef: link.partnerRef,
        sandbox: resident.sandbox,
        title: input.title,
        text: input.text,
        content: new Uint8Array(canonicalJsonBytes(content)),
        expiresAt,
        createdAt: now,
      },
      select: signingRequestSelect,
    });
    await appendAuditEvent(tx, {
      type: "consent.requested",
      actor: { type: "partner", id: partnerId },
      subjectResidentId: link.residentId,
      purpose: input.title,
      channel: "api",
      requestMetadata: o.requestMetadata,
      data: {
        consent: "signature",
        signingRequestId: id,
        partnerId,
        ...(o.partner.credentialId ? { credentialId: o.partner.credentialId } : {}),
      },
    });
    return toSigningRequestDto(row, now);
  });
}

/**
 * One request of the partner (another partner's id, or a malformed one, is NOT_FOUND); one of the
 * other mode is CREDENTIAL_MODE_MISMATCH. Reading a signed request hands the partner the resident's
 * signature (and the facts in its certificate): that read is in the resident's access log.
 */
export async function getSigningRequestForPartner(
  prisma: PrismaClient,
  o: { partner: TSigningPartner; signingRequestId: string; requestMetadata?: TRequestMetadata; now?: Date },
): Promise<TSigningRequestDto> {
  const now = o.now ?? new Date();
  const row = isUuid(o.signingRequestId)
    ? await prisma.signingRequest.findFirst({
        where: { id: o.signingRequestId, partnerId: o.partner.partnerId },
        select: signingRequestSelect,
      })
    : null;
  if (!row) throw new AppError("NOT_FOUND", { message: "No such signing request." });
  if (o.partner.mode) assertModeReachesResident(o.partner.mode, { sandbox: row.sandbox });
  if (row.status === "SIGNED") {
    await prisma.$transaction((tx) =>
      appendAuditEvent(tx, {
        type: "partner.api_access",
        actor: { type: "partner", id: o.partner.partnerId },
        subjectResidentId: row.residentId,
        purpose: row.title,
        channel: "api",
        requestMetadata: o.requestMetadata,
        data: {
          operation: "signing_request_read",
          signingRequestId: row.id,
          ...(o.partner.credentialId ? { credentialId: o.partner.credentialId } : {}),
        },
      }),
    );
  }
  return toSigningRequestDto(row, now);
}

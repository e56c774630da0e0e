import { modeOfResident } from "../credential-mode/credential-mode";
/**
 * The resident's side of member linking (紐付け): pull a request with its claim code, see the
 * pending requests and the links, approve (the caller demands a fresh card login) or refuse.
 * Ending a link is lib/consent unlinkPartner. Every step is in the consent ledger and the
 * resident's access log: consent.requested (claimed), consent.given (approved), consent.refused.
 */
import { appendAuditEvent } from "../audit/append-audit-event";
import type { TAppendAuditEventInput, TAuditChannel, TRequestMetadata } from "../audit/schemas";
import { Prisma, type PrismaClient } from "../db/client";
import { isUuid } from "../db/ids";
import { AppError, validationFailed } from "../errors/app-error";
import { linkPurposesOf, type TLinkPurpose } from "../mailbox/link-purposes";
import { nowOf, type TPlatformContext } from "../platform/platform-context";
import { enqueueWebhookEvent } from "../platform/webhooks/enqueue-webhook-event";
import { hitRateLimit, rateLimitedError } from "../rate-limit/fixed-window";
import { verifyResidentCms } from "../services/signing-requests/verify-resident-cms";
import { claimCodeHash, normaliseClaimCode } from "./claim-code";
import { ZSignLinkRequest } from "./schemas";

/** Claim codes a resident may enter per window: enough for typos, far too few to guess one. */
export const CLAIM_RATE_LIMIT = { limit: 10, windowMs: 15 * 60_000 } as const;

type TPartnerName = { id: string; name: string; nameEn: string };

/** A pending request as the resident sees it. */
export type TResidentLinkRequest = {
  id: string;
  partner: TPartnerName;
  partnerRef: string;
  purposes: TLinkPurpose[];
  purposeText: string;
  /** Approval only by signing `canonical` (the exact consent text) with the card. */
  signatureRequired: boolean;
  canonical?: string;
  createdAt: string;
  expiresAt: string;
};

/** An active link as the resident sees it: who, under which number, allowed to do what. */
export type TResidentLink = {
  linkId: string;
  partner: TPartnerName;
  partnerRef: string;
  purposes: TLinkPurpose[];
  purposeText: string | null;
  linkedAt: string;
};

type TResidentStep = {
  residentId: string;
  channel: TAuditChannel;
  requestMetadata?: TRequestMetadata;
  now?: Date;
};

const partnerSelect = { select: { id: true, name: true, nameEn: true } } as const;

/**
 * The resident enters a claim code: the pending request it belongs to is now addressed to them.
 * RATE_LIMITED after CLAIM_RATE_LIMIT attempts; LINK_CLAIM_CODE_INVALID for a malformed, unknown,
 * decided or someone else's code (or one of the other mode's partner credential), LINK_REQUEST_EXPIRED.
 * Entering one's own claimed code again is fine (the same request).
 */
export async function claimLinkRequest(
  prisma: PrismaClient,
  o: TResidentStep & { code: string },
): Promise<{ linkRequestId: string }> {
  const now = o.now ?? new Date();
  const hit = await hitRateLimit(prisma, { bucket: "link-claim", key: o.residentId, rule: CLAIM_RATE_LIMIT, now });
  if (!hit.allowed) throw rateLimitedError({ retryAfterSeconds: hit.retryAfterSeconds });
  const normalised = normaliseClaimCode(o.code);
  if (!normalised) throw new AppError("LINK_CLAIM_CODE_INVALID");
  return prisma.$transaction(async (tx) => {
    const row = await tx.linkRequest.findUnique({
      where: { claimCodeHash: claimCodeHash(normalised) },
      select: {
        id: true,
        partnerId: true,
        sandbox: true,
        residentId: true,
        status: true,
        expiresAt: true,
        purposes: true,
        purposeText: true,
      },
    });
    const resident = await tx.resident.findUnique({ where: { id: o.residentId }, select: { sandbox: true } });
    if (!row || !resident || row.status !== "PENDING" || row.sandbox !== resident.sandbox) {
      throw new AppError("LINK_CLAIM_CODE_INVALID");
    }
    if (row.residentId && row.residentId !== o.residentId) throw new AppError("LINK_CLAIM_CODE_INVALID");
    if (row.expiresAt.getTime() <= now.getTime()) throw new AppError("LINK_REQUEST_EXPIRED");
    if (row.residentId === o.residentId) return { linkRequestId: row.id };
    const { count } = await tx.linkRequest.updateMany({
      where: { id: row.id, residentId: null, status: "PENDING" },
      data: { residentId: o.residentId, claimedAt: now },
    });
    if (count !== 1) throw new AppError("LINK_CLAIM_CODE_INVALID");
    await appendAuditEvent(tx, {
      type: "consent.requested",
      actor: { type: "partner", id: row.partnerId },
      subjectResidentId: o.residentId,
      purpose: row.purposeText,
      channel: o.channel,
      requestMetadata: o.requestMetadata,
      data: {
        consent: "link",
        linkRequestId: row.id,
        partnerId: row.partnerId,
        purposes: row.purposes,
        via: "claim_code",
      },
    });
    return { linkRequestId: row.id };
  });
}

/** Pending, unexpired requests addressed to the resident from an active partner. */
function pendingWhere(residentId: string, now: Date) {
  return { residentId, status: "PENDING", expiresAt: { gt: now }, partner: { active: true } } as const;
}

const pendingSelect = {
  id: true,
  partnerRef: true,
  purposes: true,
  purposeText: true,
  signatureRequired: true,
  consentContent: true,
  createdAt: true,
  expiresAt: true,
  partner: partnerSelect,
} as const;

function toResidentLinkRequest(
  r: Prisma.LinkRequestGetPayload<{ select: typeof pendingSelect }>,
): TResidentLinkRequest {
  return {
    id: r.id,
    partner: r.partner,
    partnerRef: r.partnerRef,
    purposes: linkPurposesOf(r.purposes),
    purposeText: r.purposeText,
    signatureRequired: r.signatureRequired,
    ...(r.consentContent ? { canonical: new TextDecoder().decode(r.consentContent) } : {}),
    createdAt: r.createdAt.toISOString(),
    expiresAt: r.expiresAt.toISOString(),
  };
}

/** The resident's pending (unexpired) link requests and active links, for /services. */
export async function listResidentLinks(
  prisma: PrismaClient,
  o: { residentId: string; now?: Date },
): Promise<{ pending: TResidentLinkRequest[]; links: TResidentLink[] }> {
  const now = o.now ?? new Date();
  const [requests, links] = await Promise.all([
    prisma.linkRequest.findMany({
      where: pendingWhere(o.residentId, now),
      orderBy: { createdAt: "desc" },
      select: pendingSelect,
    }),
    prisma.partnerResidentLink.findMany({
      where: { residentId: o.residentId, revokedAt: null, partner: { active: true } },
      orderBy: { linkedAt: "asc" },
      select: { id: true, partnerRef: true, purposes: true, purposeText: true, linkedAt: true, partner: partnerSelect },
    }),
  ]);
  return {
    pending: requests.map(toResidentLinkRequest),
    links: links.map((l) => ({
      linkId: l.id,
      partner: l.partner,
      partnerRef: l.partnerRef,
      purposes: linkPurposesOf(l.purposes),
      purposeText: l.purposeText,
      linkedAt: l.linkedAt.toISOString(),
    })),
  };
}

/**
 * One of the resident's pending, unexpired requests, as {@link listResidentLinks} shows it
 * (/services/links/{id}); undefined when the id is malformed, not theirs, decided or expired.
 */
export async function getResidentLinkRequest(
  prisma: PrismaClient,
  o: { residentId: string; linkRequestId: string; now?: Date },
): Promise<TResidentLinkRequest | undefined> {
  if (!isUuid(o.linkRequestId)) return undefined;
  const row = await prisma.linkRequest.findFirst({
    where: { id: o.linkRequestId, ...pendingWhere(o.residentId, o.now ?? new Date()) },
    select: pendingSelect,
  });
  return row ? toResidentLinkRequest(row) : undefined;
}

type TDecision = TResidentStep & { linkRequestId: string };

/** The resident's pending, unexpired request, locked for the decision; else the stable refusal. */
async function pendingRequestOf(tx: Prisma.TransactionClient, o: TDecision, now: Date) {
  if (!isUuid(o.linkRequestId)) throw new AppError("NOT_FOUND");
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT "id" FROM "LinkRequest" WHERE "id" = ${o.linkRequestId}::uuid AND "residentId" = ${o.residentId}::uuid FOR UPDATE`;
  if (rows.length === 0) throw new AppError("NOT_FOUND");
  const row = await tx.linkRequest.findUniqueOrThrow({
    where: { id: o.linkRequestId },
    select: {
      id: true,
      partnerId: true,
      partnerRef: true,
      purposes: true,
      purposeText: true,
      status: true,
      expiresAt: true,
      sandbox: true,
      signatureRequired: true,
      partner: { select: { active: true } },
    },
  });
  if (row.status !== "PENDING") throw new AppError("LINK_REQUEST_DECIDED");
  if (row.expiresAt.getTime() <= now.getTime()) throw new AppError("LINK_REQUEST_EXPIRED");
  if (!row.partner.active) throw new AppError("NOT_FOUND", { message: "The partner is no longer active." });
  return row;
}

/** The resident's decision in the consent ledger (consent.given / consent.refused) under the request's purpose text. */
async function residentDecisionLedger(
  tx: Prisma.TransactionClient,
  o: TDecision,
  row: { purposeText: string },
  type: "consent.given" | "consent.refused",
  data: TAppendAuditEventInput["data"],
): Promise<void> {
  await appendAuditEvent(tx, {
    type,
    actor: { type: "resident", id: o.residentId },
    subjectResidentId: o.residentId,
    purpose: row.purposeText,
    channel: o.channel,
    requestMetadata: o.requestMetadata,
    data,
  });
}

/** `link_request.decided` to the partner, on the resident's side (TEST for a sandbox resident). */
async function tellPartnerDecided(
  tx: Prisma.TransactionClient,
  row: { id: string; partnerId: string; partnerRef: string; sandbox: boolean },
  d: { status: "approved" | "refused"; purposes: readonly string[]; now: Date },
): Promise<void> {
  await enqueueWebhookEvent(tx, {
    partnerId: row.partnerId,
    mode: modeOfResident(row),
    type: "link_request.decided",
    data: {
      linkRequestId: row.id,
      status: d.status,
      partnerRef: row.partnerRef,
      purposes: [...d.purposes],
      decidedAt: d.now.toISOString(),
    },
    now: d.now,
  });
}

/**
 * The resident approves a pending request (the caller demanded a fresh card login): the link is
 * made (or an ended one renewed) with the request's reference, purposes and purpose text, the
 * request is APPROVED, `consent.given` is logged and the partner gets `link_request.decided`.
 * Refusals write nothing: NOT_FOUND (not theirs), LINK_REQUEST_DECIDED, LINK_REQUEST_EXPIRED,
 * PARTNER_REF_TAKEN (the reference is now another resident's), LINK_ALREADY_EXISTS.
 */
export async function approveLinkRequest(prisma: PrismaClient, o: TDecision): Promise<{ linkId: string }> {
  return approveInTransaction(prisma, { ...o, now: o.now ?? new Date() });
}

async function approveInTransaction(
  prisma: PrismaClient,
  o: TDecision & { now: Date; signature?: TSignatureApproval },
): Promise<{ linkId: string }> {
  try {
    return await prisma.$transaction(async (tx) => {
      const { linkId } = await approvePendingInTx(tx, o);
      return { linkId };
    });
  } catch (err) {
    // Two approvals racing for one reference: the unique (partnerId, partnerRef) decides.
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002") {
      throw new AppError("PARTNER_REF_TAKEN");
    }
    throw err;
  }
}

/**
 * The approval inside the caller's transaction (also link-on-first-tap, lib/links/terminal-link.ts):
 * the same checks and writes as {@link approveLinkRequest}; `auditData` is added to consent.given.
 */
export async function approvePendingInTx(
  tx: Prisma.TransactionClient,
  o: TDecision & { now: Date; auditData?: Prisma.InputJsonObject; signature?: TSignatureApproval },
): Promise<{ linkId: string; partnerRef: string; linkedAt: Date }> {
  const now = o.now;
  const row = await pendingRequestOf(tx, o, now);
  if (row.signatureRequired && !o.signature) throw new AppError("LINK_SIGNATURE_REQUIRED");
  if (!row.signatureRequired && o.signature) throw new AppError("LINK_SIGNATURE_NOT_REQUESTED");
  const holder = await tx.partnerResidentLink.findUnique({
    where: { partnerId_partnerRef: { partnerId: row.partnerId, partnerRef: row.partnerRef } },
    select: { residentId: true },
  });
  if (holder && holder.residentId !== o.residentId) throw new AppError("PARTNER_REF_TAKEN");
  const existing = await tx.partnerResidentLink.findUnique({
    where: { partnerId_residentId: { partnerId: row.partnerId, residentId: o.residentId } },
    select: { revokedAt: true },
  });
  if (existing && !existing.revokedAt) throw new AppError("LINK_ALREADY_EXISTS");
  const purposes = linkPurposesOf(row.purposes);
  const link = await tx.partnerResidentLink.upsert({
    where: { partnerId_residentId: { partnerId: row.partnerId, residentId: o.residentId } },
    create: {
      partnerId: row.partnerId,
      residentId: o.residentId,
      partnerRef: row.partnerRef,
      purposes,
      purposeText: row.purposeText,
      linkedAt: now,
    },
    update: { partnerRef: row.partnerRef, purposes, purposeText: row.purposeText, revokedAt: null, linkedAt: now },
    select: { id: true },
  });
  await tx.linkRequest.update({
    where: { id: row.id },
    data: {
      status: "APPROVED",
      decidedAt: now,
      linkId: link.id,
      ...(o.signature ? { signedData: o.signature.signedData } : {}),
    },
  });
  await residentDecisionLedger(tx, o, row, "consent.given", {
    consent: "link",
    linkRequestId: row.id,
    partnerId: row.partnerId,
    linkId: link.id,
    purposes,
    ...(o.signature
      ? {
          via: "signature",
          signerSerialNumber: o.signature.signerSerialNumber,
          boundBy: o.signature.boundBy,
        }
      : {}),
    ...(o.auditData ?? {}),
  });
  await tellPartnerDecided(tx, row, { status: "approved", purposes, now });
  return { linkId: link.id, partnerRef: row.partnerRef, linkedAt: now };
}

type TSignatureApproval = { signedData: Uint8Array<ArrayBuffer>; signerSerialNumber: string; boundBy: string };

/**
 * The resident approves a request that asks for a signature (`signatureRequired`) by signing its
 * consent content with the card's signing certificate. Before anything is written the CMS is
 * verified as a signing request's is (lib/services/signing-requests/verify-resident-cms.ts): over
 * exactly the stored content (LINK_CONSENT_CONTENT_MISMATCH), by this resident's card
 * (LINK_CONSENT_SIGNER_MISMATCH), not revoked; then the approval is the plain one (link, ledger,
 * webhook) and the CMS is kept for the partner. LINK_SIGNATURE_NOT_REQUESTED for a request that
 * does not ask for a signature; the other refusals as {@link approveLinkRequest}.
 */
export async function approveLinkRequestWithSignature(
  ctx: TPlatformContext,
  o: TDecision & { request: unknown },
): Promise<{ linkId: string }> {
  const parsed = ZSignLinkRequest.safeParse(o.request);
  if (!parsed.success) throw validationFailed(parsed.error);
  const now = o.now ?? nowOf(ctx);
  const row = isUuid(o.linkRequestId)
    ? await ctx.prisma.linkRequest.findFirst({
        where: { id: o.linkRequestId, residentId: o.residentId },
        select: { signatureRequired: true, consentContent: true, status: true, expiresAt: true },
      })
    : null;
  if (!row) throw new AppError("NOT_FOUND");
  if (row.status !== "PENDING") throw new AppError("LINK_REQUEST_DECIDED");
  if (row.expiresAt.getTime() <= now.getTime()) throw new AppError("LINK_REQUEST_EXPIRED");
  if (!row.signatureRequired || !row.consentContent) throw new AppError("LINK_SIGNATURE_NOT_REQUESTED");
  const resident = await ctx.prisma.resident.findUniqueOrThrow({
    where: { id: o.residentId },
    select: { sandbox: true },
  });
  const signedData = new Uint8Array(Buffer.from(parsed.data.signedData, "base64"));
  const verified = await verifyResidentCms(ctx, {
    residentId: o.residentId,
    sandbox: resident.sandbox,
    signedData,
    content: row.consentContent,
    now,
    codes: { mismatch: "LINK_CONSENT_CONTENT_MISMATCH", signer: "LINK_CONSENT_SIGNER_MISMATCH" },
  });
  return approveInTransaction(ctx.prisma, {
    ...o,
    now,
    signature: { signedData, signerSerialNumber: verified.signerSerialNumber, boundBy: verified.boundBy },
  });
}

/**
 * The resident refuses a pending request: REFUSED, `consent.refused` in the ledger, and the
 * partner gets `link_request.decided` (status refused). Same refusals as approval, minus the link ones.
 */
export async function refuseLinkRequest(prisma: PrismaClient, o: TDecision): Promise<void> {
  const now = o.now ?? new Date();
  await prisma.$transaction(async (tx) => {
    const row = await pendingRequestOf(tx, o, now);
    await tx.linkRequest.update({ where: { id: row.id }, data: { status: "REFUSED", decidedAt: now } });
    await residentDecisionLedger(tx, o, row, "consent.refused", {
      consent: "link",
      linkRequestId: row.id,
      partnerId: row.partnerId,
      purposes: row.purposes,
    });
    await tellPartnerDecided(tx, row, { status: "refused", purposes: row.purposes, now });
  });
}

/** How many pending, unexpired link requests wait for the resident (the /services hub's badge). */
export async function countPendingLinkRequests(
  prisma: PrismaClient,
  o: { residentId: string; now?: Date },
): Promise<number> {
  return prisma.linkRequest.count({ where: pendingWhere(o.residentId, o.now ?? new Date()) });
}

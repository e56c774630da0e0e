import { z } from "zod";
import { appendAuditEvent } from "../audit/append-audit-event";
import { ZRequestMetadata } from "../audit/schemas";
import type { PrismaClient } from "../db/client";
import { AppError } from "../errors/app-error";
import { assertPartnerRole, ZPartnerActingUser } from "./partner-roles";
import { API_SCOPES, ZApiScope } from "./scopes";

/** Staff roles that may approve or reject scope requests. */
export const SCOPE_DECIDER_ROLES = ["ADMIN", "SUPERVISOR", "PARTNER_OFFICER"] as const;

export const ZRequestPartnerScopes = z.object({
  partnerId: z.uuid(),
  /** The console user who asks; only an OWNER may ("scope.request"). */
  partnerUser: ZPartnerActingUser,
  scopes: z.array(ZApiScope).min(1).max(API_SCOPES.length),
  reason: z.string().trim().min(1).max(1000),
  requestMetadata: ZRequestMetadata.optional(),
});
export type TRequestPartnerScopes = z.input<typeof ZRequestPartnerScopes>;

export type TScopeRequestDto = {
  id: string;
  partnerId: string;
  partnerName: string;
  partnerNameEn: string;
  partnerSlug: string;
  scopes: string[];
  reason: string;
  status: "PENDING" | "APPROVED" | "REJECTED";
  createdAt: Date;
  decidedAt: Date | null;
  decisionNote: string | null;
};

const dtoSelect = {
  id: true,
  partnerId: true,
  scopes: true,
  reason: true,
  status: true,
  createdAt: true,
  decidedAt: true,
  decisionNote: true,
  partner: { select: { name: true, nameEn: true, slug: true } },
} as const;

function toDto(r: {
  id: string;
  partnerId: string;
  scopes: string[];
  reason: string;
  status: "PENDING" | "APPROVED" | "REJECTED";
  createdAt: Date;
  decidedAt: Date | null;
  decisionNote: string | null;
  partner: { name: string; nameEn: string; slug: string };
}): TScopeRequestDto {
  const { partner, ...rest } = r;
  return { ...rest, partnerName: partner.name, partnerNameEn: partner.nameEn, partnerSlug: partner.slug };
}

/**
 * A partner asks municipal staff for more API scopes. Scopes it already holds are dropped; asking
 * only for those is VALIDATION_FAILED. Only an OWNER may ask (PARTNER_ROLE_FORBIDDEN otherwise). Audited
 * (partner.scope_requested).
 */
export async function requestPartnerScopes(prisma: PrismaClient, options: TRequestPartnerScopes) {
  const input = ZRequestPartnerScopes.parse(options);
  await assertPartnerRole(prisma, {
    partnerId: input.partnerId,
    partnerUser: input.partnerUser,
    action: "scope.request",
    requestMetadata: input.requestMetadata,
  });
  return prisma.$transaction(async (tx) => {
    const partner = await tx.partner.findUnique({
      where: { id: input.partnerId },
      select: { id: true, active: true, approvedScopes: true },
    });
    if (!partner) throw new AppError("NOT_FOUND", { message: "No such partner." });
    if (!partner.active) throw new AppError("PARTNER_INACTIVE");
    const scopes = API_SCOPES.filter((s) => input.scopes.includes(s) && !partner.approvedScopes.includes(s));
    if (scopes.length === 0) {
      throw new AppError("VALIDATION_FAILED", { message: "All of these scopes are already approved." });
    }
    const row = await tx.scopeRequest.create({
      data: { partnerId: partner.id, scopes, reason: input.reason, requestedBy: input.partnerUser.id },
      select: dtoSelect,
    });
    await appendAuditEvent(tx, {
      type: "partner.scope_requested",
      actor: { type: "partner", id: partner.id },
      channel: "console",
      requestMetadata: input.requestMetadata,
      data: { scopeRequestId: row.id, scopes, partnerUserId: input.partnerUser.id },
    });
    return toDto(row);
  });
}

export const ZDecideScopeRequest = z.object({
  requestId: z.uuid(),
  staffId: z.uuid(),
  decision: z.enum(["APPROVE", "REJECT"]),
  note: z.string().trim().max(1000).optional(),
  requestMetadata: ZRequestMetadata.optional(),
  now: z.date().optional(),
});
export type TDecideScopeRequest = z.input<typeof ZDecideScopeRequest>;

/**
 * Staff approve or reject a pending request. Approval adds the scopes to Partner.approvedScopes
 * (kept in API_SCOPES order) under a row lock on the partner, in the same transaction as the
 * decision and its audit event. Only active staff with an ADMIN, SUPERVISOR or PARTNER_OFFICER role may decide
 * (FORBIDDEN otherwise); a decided request is SCOPE_REQUEST_NOT_PENDING.
 */
export async function decideScopeRequest(prisma: PrismaClient, options: TDecideScopeRequest) {
  const input = ZDecideScopeRequest.parse(options);
  const now = input.now ?? new Date();
  return prisma.$transaction(async (tx) => {
    const staff = await tx.staffMember.findUnique({
      where: { id: input.staffId },
      select: { active: true, roles: true },
    });
    if (!staff?.active || !staff.roles.some((r) => (SCOPE_DECIDER_ROLES as readonly string[]).includes(r))) {
      throw new AppError("FORBIDDEN", { message: "Only an administrator or supervisor may decide scope requests." });
    }
    const status = input.decision === "APPROVE" ? "APPROVED" : "REJECTED";
    const decided = await tx.scopeRequest.updateManyAndReturn({
      where: { id: input.requestId, status: "PENDING" },
      data: { status, decidedById: input.staffId, decidedAt: now, decisionNote: input.note || null },
      select: { id: true, partnerId: true, scopes: true },
    });
    const req = decided[0];
    if (!req) {
      const exists = await tx.scopeRequest.count({ where: { id: input.requestId } });
      throw new AppError(exists ? "SCOPE_REQUEST_NOT_PENDING" : "NOT_FOUND");
    }
    let approvedScopes: string[] | undefined;
    if (status === "APPROVED") {
      await tx.$queryRaw`SELECT 1 FROM "Partner" WHERE "id" = ${req.partnerId}::uuid FOR UPDATE`;
      const partner = await tx.partner.findUniqueOrThrow({
        where: { id: req.partnerId },
        select: { approvedScopes: true },
      });
      const union = new Set([...partner.approvedScopes, ...req.scopes]);
      approvedScopes = [
        ...API_SCOPES.filter((s) => union.has(s)),
        ...[...union].filter((s) => !(API_SCOPES as readonly string[]).includes(s)),
      ];
      await tx.partner.update({ where: { id: req.partnerId }, data: { approvedScopes } });
    }
    await appendAuditEvent(tx, {
      type: "partner.scope_decided",
      actor: { type: "staff", id: input.staffId },
      channel: "console",
      requestMetadata: input.requestMetadata,
      data: {
        scopeRequestId: req.id,
        partnerId: req.partnerId,
        decision: status,
        scopes: req.scopes,
        ...(approvedScopes ? { approvedScopes } : {}),
      },
    });
    return toDto(await tx.scopeRequest.findUniqueOrThrow({ where: { id: req.id }, select: dtoSelect }));
  });
}

/** Scope requests, pending first then newest first; optionally of one partner or one status. */
export async function listScopeRequests(
  prisma: PrismaClient,
  options: { partnerId?: string; status?: "PENDING" | "APPROVED" | "REJECTED"; limit?: number } = {},
): Promise<TScopeRequestDto[]> {
  const rows = await prisma.scopeRequest.findMany({
    where: {
      ...(options.partnerId ? { partnerId: options.partnerId } : {}),
      ...(options.status ? { status: options.status } : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
    take: Math.min(Math.max(options.limit ?? 100, 1), 500),
    select: dtoSelect,
  });
  return rows.map(toDto);
}

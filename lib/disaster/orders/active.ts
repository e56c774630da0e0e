import { z } from "zod";
import { appendAuditEvent } from "../../audit/append-audit-event";
import type { TAuditChannel, TRequestMetadata } from "../../audit/schemas";
import { AppError } from "../../errors/app-error";
import { disasterNow, type TDisasterContext } from "../context";
import type { TSafetyStatus } from "../safety";
import {
  instructionLanguage,
  LEVEL_ACTIONS,
  nearestSuitedShelters,
  type TDisasterHazard,
  type TSuitedShelter,
} from "./targeting";

/** An order in force for one resident, with what she is told and the ladder's receipts. */
export type TResidentOrder = {
  orderId: string;
  districtId: string;
  districtName: string;
  districtNameEn: string;
  hazard: TDisasterHazard;
  level: 1 | 2 | 3 | 4 | 5;
  issuedAt: Date;
  /** The language of her instruction (ja, or en for every other language). */
  language: "ja" | "en";
  /** What to do at this level, then the staff's message, in her language. */
  instruction: string;
  /** The nearest open shelters that suit her (top 3). */
  shelters: TSuitedShelter[];
  /** Her signed 避難指示 document, when the order is at level 3 or above. */
  documentId: string | null;
  readAt: Date | null;
  /** Escalated (level ≥ 4, unread in time): show the banner as urgent. */
  urgent: boolean;
  /** Her latest safety reply to this order. */
  safety: { status: TSafetyStatus; repliedAt: Date } | null;
};

/**
 * Every ACTIVE order for the district the resident lives in, highest level first, with her
 * personal instruction and shelters (the same targeting as her document). Empty for a resident
 * who left or is unknown. Reads her own data for her: no audit event here (the caller's page
 * or the TV records its own view, e.g. through markOrderRead / recordTvBanner).
 */
export async function activeOrdersForResident(ctx: TDisasterContext, residentId: string): Promise<TResidentOrder[]> {
  if (!z.uuid().safeParse(residentId).success) return [];
  const resident = await ctx.prisma.resident.findUnique({
    where: { id: residentId },
    select: {
      districtId: true,
      leftAt: true,
      language: true,
      needs: true,
      household: { select: { latitude: true, longitude: true } },
    },
  });
  if (!resident || resident.leftAt) return [];
  const orders = await ctx.prisma.evacuationOrder.findMany({
    where: { districtId: resident.districtId, status: "ACTIVE" },
    orderBy: [{ level: "desc" }, { issuedAt: "asc" }],
    include: {
      district: { select: { name: true, nameEn: true } },
      notices: { where: { residentId }, select: { documentId: true, readAt: true, escalatedAt: true } },
      safetyReplies: { where: { residentId }, select: { status: true, repliedAt: true } },
    },
  });
  if (orders.length === 0) return [];
  const shelters = await ctx.prisma.shelter.findMany({ where: { open: true } });
  const { latitude, longitude } = resident.household;
  const home = latitude !== null && longitude !== null ? { latitude, longitude } : null;
  const language = instructionLanguage(resident.language);
  return orders.map((o) => {
    const level = o.level as TResidentOrder["level"];
    const notice = o.notices[0];
    const message = language === "en" && o.messageEn ? o.messageEn : o.message;
    return {
      orderId: o.id,
      districtId: o.districtId,
      districtName: o.district.name,
      districtNameEn: o.district.nameEn,
      hazard: o.hazard,
      level,
      issuedAt: o.issuedAt,
      language,
      instruction: `${LEVEL_ACTIONS[level][language]}\n${message}`,
      shelters: nearestSuitedShelters({ needs: resident.needs, language: resident.language, home }, shelters, o.hazard),
      documentId: notice?.documentId ?? null,
      readAt: notice?.readAt ?? null,
      urgent: notice?.escalatedAt != null,
      safety: o.safetyReplies[0] ?? null,
    };
  });
}

/** The order the TV (and the banner) shows a resident: her highest-level active order, or null. */
export async function activeOrderForResident(
  ctx: TDisasterContext,
  residentId: string,
): Promise<TResidentOrder | null> {
  return (await activeOrdersForResident(ctx, residentId))[0] ?? null;
}

async function noticeOf(ctx: TDisasterContext, orderId: string, residentId: string) {
  if (!z.uuid().safeParse(orderId).success) throw new AppError("DISASTER_ORDER_NOT_FOUND");
  const notice = await ctx.prisma.evacuationNotice.findUnique({
    where: { orderId_residentId: { orderId, residentId } },
    select: { id: true, readAt: true, tvBannerAt: true },
  });
  if (!notice) throw new AppError("DISASTER_ORDER_NOT_FOUND");
  return notice;
}

/**
 * She read her notice (the disaster page or the document): sets readAt once, so escalation
 * stops; audited `disaster.notice_read` in her access log. Idempotent.
 */
export async function markOrderRead(
  ctx: TDisasterContext,
  o: { orderId: string; residentId: string; channel?: TAuditChannel; requestMetadata?: TRequestMetadata },
): Promise<{ readAt: Date; changed: boolean }> {
  const notice = await noticeOf(ctx, o.orderId, o.residentId);
  if (notice.readAt) return { readAt: notice.readAt, changed: false };
  const now = disasterNow(ctx);
  return ctx.prisma.$transaction(async (tx) => {
    const updated = await tx.evacuationNotice.updateMany({
      where: { id: notice.id, readAt: null },
      data: { readAt: now },
    });
    if (updated.count === 0) return { readAt: now, changed: false };
    await appendAuditEvent(tx, {
      type: "disaster.notice_read",
      actor: { type: "resident", id: o.residentId },
      subjectResidentId: o.residentId,
      purpose: "避難情報の確認",
      channel: o.channel ?? "pc",
      requestMetadata: o.requestMetadata,
      data: { orderId: o.orderId },
    });
    return { readAt: now, changed: true };
  });
}

/** The TV showed her the banner (H3's /tv calls this): the ladder's TV receipt, set once. */
export async function recordTvBanner(
  ctx: TDisasterContext,
  o: { orderId: string; residentId: string },
): Promise<{ tvBannerAt: Date }> {
  const notice = await noticeOf(ctx, o.orderId, o.residentId);
  if (notice.tvBannerAt) return { tvBannerAt: notice.tvBannerAt };
  const now = disasterNow(ctx);
  await ctx.prisma.evacuationNotice.updateMany({
    where: { id: notice.id, tvBannerAt: null },
    data: { tvBannerAt: now },
  });
  return { tvBannerAt: now };
}

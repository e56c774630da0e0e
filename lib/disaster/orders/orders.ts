import { z } from "zod";
import { appendAuditEvent } from "../../audit/append-audit-event";
import type { TRequestMetadata } from "../../audit/schemas";
import { Prisma } from "../../db/client";
import { AppError, validationFailed } from "../../errors/app-error";
import { unsafeTextFieldOf, ZSafeText } from "../../http/safe-text";
import { disasterNow, type TDisasterContext } from "../context";
import { DISASTER_HAZARDS, isAlertLevel } from "./targeting";

/** Staff who may issue, raise, lower and lift orders. */
export const ORDER_ROLES = ["DISASTER_OFFICER", "ADMIN"] as const;

export type TOrderStaff = { staffId: string; roles: readonly string[] };

export function assertOrderStaff(staff: TOrderStaff): void {
  if (!staff.roles.some((r) => (ORDER_ROLES as readonly string[]).includes(r))) throw new AppError("FORBIDDEN");
}

const ZLevel = z.union([z.number(), z.string().max(10)]);

export const ZIssueOrderInput = z.strictObject({
  /** District id (uuid) or code (e.g. 36999-01). */
  district: ZSafeText.pipe(z.string().trim().min(1).max(100)),
  hazard: z.enum(DISASTER_HAZARDS),
  level: ZLevel,
  message: ZSafeText.pipe(z.string().trim().min(1).max(2000)),
  messageEn: ZSafeText.pipe(z.string().trim().max(2000)).optional(),
  escalateAfterMinutes: z.coerce.number().int().min(1).max(1440).default(15),
});
export type TIssueOrderInput = z.input<typeof ZIssueOrderInput>;

export type TOrderChange = {
  orderId: string;
  eventId: string;
  districtId: string;
  level: number;
  status: "ACTIVE" | "LIFTED";
};

function levelOf(n: number): 1 | 2 | 3 | 4 | 5 {
  if (!isAlertLevel(n)) throw new AppError("DISASTER_LEVEL_INVALID", { details: { level: n } });
  return n;
}

function parseInput<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const field = unsafeTextFieldOf(parsed.error);
    if (field) throw new AppError("TEXT_CHARACTER_FORBIDDEN", { message: field, details: { field } });
    throw validationFailed(parsed.error.issues);
  }
  return parsed.data;
}

/** A unique violation of the one-active-order-per-district-and-hazard index (a concurrent issue). */
function isUniqueViolation(err: unknown): boolean {
  return err instanceof Prisma.PrismaClientKnownRequestError && (err.code === "P2002" || err.code === "P2010");
}

/**
 * Issues an order for one district and hazard at alert level 1–5. Unknown district →
 * DISASTER_DISTRICT_UNKNOWN; a level outside 1–5 → DISASTER_LEVEL_INVALID (422); a district that
 * already has an ACTIVE order for the hazard → DISASTER_ORDER_ALREADY_ACTIVE naming that order
 * (raise or lower it instead). Writes the order, its ISSUED event and `disaster.order_issued`
 * together. The residents' notices are delivered afterwards (deliverOrderNotices).
 */
export async function issueOrder(
  ctx: TDisasterContext,
  o: { staff: TOrderStaff; input: TIssueOrderInput; requestMetadata?: TRequestMetadata },
): Promise<TOrderChange> {
  assertOrderStaff(o.staff);
  const input = parseInput(ZIssueOrderInput, o.input);
  const level = levelOf(Number(input.level));
  const now = disasterNow(ctx);
  const byId = z.uuid().safeParse(input.district).success;
  const district = await ctx.prisma.district.findFirst({
    where: byId ? { id: input.district } : { code: input.district },
    select: { id: true, code: true },
  });
  if (!district) throw new AppError("DISASTER_DISTRICT_UNKNOWN", { details: { district: input.district } });
  try {
    return await ctx.prisma.$transaction(async (tx) => {
      const active = await tx.evacuationOrder.findFirst({
        where: { districtId: district.id, hazard: input.hazard, status: "ACTIVE" },
        select: { id: true, level: true },
      });
      if (active) {
        throw new AppError("DISASTER_ORDER_ALREADY_ACTIVE", { details: { orderId: active.id, level: active.level } });
      }
      const order = await tx.evacuationOrder.create({
        data: {
          districtId: district.id,
          hazard: input.hazard,
          level,
          message: input.message,
          messageEn: input.messageEn || null,
          escalateAfterMinutes: input.escalateAfterMinutes,
          issuedById: o.staff.staffId,
          issuedAt: now,
        },
      });
      const event = await tx.evacuationOrderEvent.create({
        data: { orderId: order.id, kind: "ISSUED", level, staffId: o.staff.staffId, at: now },
      });
      await appendAuditEvent(tx, {
        type: "disaster.order_issued",
        actor: { type: "staff", id: o.staff.staffId },
        purpose: "避難情報の発令",
        channel: "console",
        requestMetadata: o.requestMetadata,
        data: { orderId: order.id, district: district.code, hazard: input.hazard, level },
      });
      return { orderId: order.id, eventId: event.id, districtId: district.id, level, status: "ACTIVE" as const };
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError("DISASTER_ORDER_ALREADY_ACTIVE", { cause: err });
    throw err;
  }
}

async function lockOrder(tx: Prisma.TransactionClient, orderId: string) {
  if (!z.uuid().safeParse(orderId).success) throw new AppError("DISASTER_ORDER_NOT_FOUND");
  const [order] = await tx.$queryRaw<{ id: string; status: string; level: number; districtId: string }[]>`
    SELECT "id", "status"::text AS "status", "level", "districtId" FROM "EvacuationOrder" WHERE "id" = ${orderId}::uuid FOR UPDATE`;
  if (!order) throw new AppError("DISASTER_ORDER_NOT_FOUND");
  if (order.status !== "ACTIVE") throw new AppError("DISASTER_ORDER_LIFTED");
  return order;
}

/**
 * Raises or lowers an active order to `level` (1–5): a RAISED or LOWERED event and
 * `disaster.order_changed`. A lifted order → DISASTER_ORDER_LIFTED; the same level →
 * DISASTER_LEVEL_UNCHANGED. Residents get a new notice at the new level (deliverOrderNotices).
 */
export async function changeOrderLevel(
  ctx: TDisasterContext,
  o: { staff: TOrderStaff; orderId: string; level: number | string; requestMetadata?: TRequestMetadata },
): Promise<TOrderChange> {
  assertOrderStaff(o.staff);
  const level = levelOf(Number(o.level));
  const now = disasterNow(ctx);
  return ctx.prisma.$transaction(async (tx) => {
    const order = await lockOrder(tx, o.orderId);
    if (order.level === level) throw new AppError("DISASTER_LEVEL_UNCHANGED", { details: { level } });
    const kind = level > order.level ? "RAISED" : "LOWERED";
    await tx.evacuationOrder.update({ where: { id: order.id }, data: { level } });
    const event = await tx.evacuationOrderEvent.create({
      data: { orderId: order.id, kind, level, staffId: o.staff.staffId, at: now },
    });
    await appendAuditEvent(tx, {
      type: "disaster.order_changed",
      actor: { type: "staff", id: o.staff.staffId },
      purpose: "避難情報の変更",
      channel: "console",
      requestMetadata: o.requestMetadata,
      data: { orderId: order.id, kind, from: order.level, level },
    });
    return { orderId: order.id, eventId: event.id, districtId: order.districtId, level, status: "ACTIVE" as const };
  });
}

/** Lifts (解除) an active order: LIFTED event, `disaster.order_lifted`; a lifted one → DISASTER_ORDER_LIFTED. */
export async function liftOrder(
  ctx: TDisasterContext,
  o: { staff: TOrderStaff; orderId: string; requestMetadata?: TRequestMetadata },
): Promise<TOrderChange> {
  assertOrderStaff(o.staff);
  const now = disasterNow(ctx);
  return ctx.prisma.$transaction(async (tx) => {
    const order = await lockOrder(tx, o.orderId);
    await tx.evacuationOrder.update({ where: { id: order.id }, data: { status: "LIFTED", liftedAt: now } });
    const event = await tx.evacuationOrderEvent.create({
      data: { orderId: order.id, kind: "LIFTED", level: order.level, staffId: o.staff.staffId, at: now },
    });
    await appendAuditEvent(tx, {
      type: "disaster.order_lifted",
      actor: { type: "staff", id: o.staff.staffId },
      purpose: "避難情報の解除",
      channel: "console",
      requestMetadata: o.requestMetadata,
      data: { orderId: order.id, level: order.level },
    });
    return {
      orderId: order.id,
      eventId: event.id,
      districtId: order.districtId,
      level: order.level,
      status: "LIFTED" as const,
    };
  });
}

import { z } from "zod";
import { appendAuditEvent } from "../audit/append-audit-event";
import type { TAuditChannel, TRequestMetadata } from "../audit/schemas";
import { AppError } from "../errors/app-error";
import { type TDisasterContext, disasterNow } from "./context";

export const ZSafetyStatus = z.enum(["SAFE", "NEEDS_HELP"]);
export type TSafetyStatus = z.infer<typeof ZSafetyStatus>;
export const ZSafetyChannel = z.enum(["WEB", "TV", "STAFF"]);
export type TSafetyChannel = z.infer<typeof ZSafetyChannel>;

export type RecordSafetyReplyOptions = {
  orderId: string;
  /** Whose safety this is. */
  residentId: string;
  status: TSafetyStatus;
  channel: TSafetyChannel;
  /** Who answered: the resident, a proxy for them, or staff on the phone. */
  actor: { type: "resident" | "proxy" | "staff"; id: string };
  requestMetadata?: TRequestMetadata;
};

export type TSafetyReply = {
  orderId: string;
  residentId: string;
  status: TSafetyStatus;
  repliedAt: Date;
  changed: boolean;
};

const AUDIT_CHANNEL: Record<TSafetyChannel, TAuditChannel> = { WEB: "pc", TV: "tv", STAFF: "console" };

/**
 * "I am safe" / "I need help" for an order of the resident's own district. One row per order and
 * resident: a repeated answer updates it (never a second row, so nothing is counted twice); each
 * change is a `disaster.safety_replied` audit event in the resident's access log. An order that
 * was lifted takes no more replies (DISASTER_ORDER_LIFTED); an order of another district is
 * refused (DISASTER_NOT_IN_ORDER_AREA), as is an unknown one (DISASTER_ORDER_NOT_FOUND).
 */
export async function recordSafetyReply(ctx: TDisasterContext, o: RecordSafetyReplyOptions): Promise<TSafetyReply> {
  const status = ZSafetyStatus.parse(o.status);
  const channel = ZSafetyChannel.parse(o.channel);
  if (!z.uuid().safeParse(o.orderId).success) throw new AppError("DISASTER_ORDER_NOT_FOUND");
  const now = disasterNow(ctx);
  return ctx.prisma.$transaction(async (tx) => {
    // Row lock: a concurrent lift waits for this reply, or this reply sees the lift.
    const [order] = await tx.$queryRaw<{ id: string; status: string; districtId: string }[]>`
      SELECT "id", "status"::text AS "status", "districtId" FROM "EvacuationOrder" WHERE "id" = ${o.orderId}::uuid FOR SHARE`;
    if (!order) throw new AppError("DISASTER_ORDER_NOT_FOUND");
    if (order.status !== "ACTIVE") throw new AppError("DISASTER_ORDER_LIFTED");
    const resident = await tx.resident.findUnique({
      where: { id: o.residentId },
      select: { districtId: true, leftAt: true },
    });
    if (!resident || resident.leftAt || resident.districtId !== order.districtId) {
      throw new AppError("DISASTER_NOT_IN_ORDER_AREA");
    }
    const before = await tx.safetyReply.findUnique({
      where: { orderId_residentId: { orderId: order.id, residentId: o.residentId } },
      select: { status: true },
    });
    const row = await tx.safetyReply.upsert({
      where: { orderId_residentId: { orderId: order.id, residentId: o.residentId } },
      create: { orderId: order.id, residentId: o.residentId, status, channel, repliedAt: now },
      update: { status, channel, repliedAt: now },
    });
    const changed = before?.status !== status;
    if (changed) {
      await appendAuditEvent(tx, {
        type: "disaster.safety_replied",
        actor: o.actor,
        subjectResidentId: o.residentId,
        purpose: "災害時の安否確認",
        channel: AUDIT_CHANNEL[channel],
        requestMetadata: o.requestMetadata,
        data: { orderId: order.id, status, channel },
      });
    }
    return { orderId: row.orderId, residentId: row.residentId, status: row.status, repliedAt: row.repliedAt, changed };
  });
}

import type { TCredentialMode } from "../../credential-mode/credential-mode";
import { isUuid } from "../../db/ids";
import { AppError } from "../../errors/app-error";
import type { TPlatformContext } from "../platform-context";
import type { TWebhookDeliveryDto } from "../schemas";
import { toWebhookDeliveryDto, webhookDeliverySelect } from "./dto";

/**
 * One delivery of the partner (of one endpoint, when given) with its attempt log; another
 * partner's id, or (with `mode`, an API credential's) a delivery to an endpoint of the other mode,
 * is NOT_FOUND.
 */
export async function getWebhookDeliveryOrThrow(
  ctx: TPlatformContext,
  options: { partnerId: string; deliveryId: string; endpointId?: string; mode?: TCredentialMode },
): Promise<TWebhookDeliveryDto> {
  // Delivery ids are text (msg_…); endpoint ids are uuid columns.
  if (options.endpointId !== undefined && !isUuid(options.endpointId)) {
    throw new AppError("NOT_FOUND", { message: "No such webhook delivery." });
  }
  const row = await ctx.prisma.webhookDelivery.findFirst({
    where: {
      id: options.deliveryId,
      partnerId: options.partnerId,
      ...(options.endpointId ? { endpointId: options.endpointId } : {}),
      ...(options.mode ? { endpoint: { mode: options.mode } } : {}),
    },
    select: webhookDeliverySelect,
  });
  if (!row) throw new AppError("NOT_FOUND", { message: "No such webhook delivery." });
  const [event, log] = await Promise.all([
    ctx.prisma.webhookEvent.findUniqueOrThrow({ where: { id: row.eventId }, select: { type: true } }),
    ctx.prisma.webhookAttempt.findMany({
      where: { deliveryId: row.id },
      orderBy: [{ attempt: "asc" }, { startedAt: "asc" }],
      select: { attempt: true, startedAt: true, durationMs: true, statusCode: true, error: true, replay: true },
    }),
  ]);
  return toWebhookDeliveryDto(row, event.type, log);
}

/** The delivery log of one endpoint of the partner, newest first (at most `limit`, default 50). */
export async function listWebhookDeliveries(
  ctx: TPlatformContext,
  options: { partnerId: string; endpointId: string; limit?: number; mode?: TCredentialMode },
): Promise<TWebhookDeliveryDto[]> {
  if (!isUuid(options.endpointId)) throw new AppError("NOT_FOUND", { message: "No such webhook endpoint." });
  const endpoint = await ctx.prisma.webhookEndpoint.findFirst({
    where: { id: options.endpointId, partnerId: options.partnerId, ...(options.mode ? { mode: options.mode } : {}) },
    select: { id: true },
  });
  if (!endpoint) throw new AppError("NOT_FOUND", { message: "No such webhook endpoint." });
  const rows = await ctx.prisma.webhookDelivery.findMany({
    where: { endpointId: endpoint.id },
    orderBy: { createdAt: "desc" },
    take: Math.min(Math.max(options.limit ?? 50, 1), 200),
    select: webhookDeliverySelect,
  });
  const events = await ctx.prisma.webhookEvent.findMany({
    where: { id: { in: [...new Set(rows.map((r) => r.eventId))] } },
    select: { id: true, type: true },
  });
  const typeOf = new Map(events.map((e) => [e.id, e.type]));
  return rows.map((r) => toWebhookDeliveryDto(r, typeOf.get(r.eventId) ?? "unknown"));
}

import type { TCredentialMode } from "../../credential-mode/credential-mode";
import { isUuid } from "../../db/ids";
import { AppError } from "../../errors/app-error";
import type { TPlatformContext } from "../platform-context";
import type { TWebhookEndpointDto } from "../schemas";
import { toWebhookEndpointDto, webhookEndpointSelect } from "./dto";

/**
 * Disables a partner's endpoint (DELETE): no further deliveries are made or sent to it. Deliveries
 * already queued are kept as they are (never dropped, so no event is lost) and stay in the log.
 * Another partner's endpoint, or (with `mode`, an API credential's) one of the other mode, is NOT_FOUND.
 */
export async function disableWebhookEndpoint(
  ctx: TPlatformContext,
  options: { partnerId: string; endpointId: string; mode?: TCredentialMode },
): Promise<TWebhookEndpointDto> {
  if (!isUuid(options.endpointId)) throw new AppError("NOT_FOUND", { message: "No such webhook endpoint." });
  const found = await ctx.prisma.webhookEndpoint.updateMany({
    where: { id: options.endpointId, partnerId: options.partnerId, ...(options.mode ? { mode: options.mode } : {}) },
    data: { active: false, disabledAt: new Date() },
  });
  if (found.count === 0) throw new AppError("NOT_FOUND", { message: "No such webhook endpoint." });
  const row = await ctx.prisma.webhookEndpoint.findUniqueOrThrow({
    where: { id: options.endpointId },
    select: webhookEndpointSelect,
  });
  return toWebhookEndpointDto(row);
}

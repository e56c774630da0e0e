import type { TCredentialMode } from "../../credential-mode/credential-mode";
import type { TPlatformContext } from "../platform-context";
import type { TWebhookEndpointDto } from "../schemas";
import { toWebhookEndpointDto, webhookEndpointSelect } from "./dto";

/**
 * The partner's webhook endpoints, newest first (disabled ones included, marked inactive); with
 * `mode` (an API credential's), only the endpoints of that mode.
 */
export async function listWebhookEndpoints(
  ctx: TPlatformContext,
  options: { partnerId: string; mode?: TCredentialMode },
): Promise<TWebhookEndpointDto[]> {
  const rows = await ctx.prisma.webhookEndpoint.findMany({
    where: { partnerId: options.partnerId, ...(options.mode ? { mode: options.mode } : {}) },
    orderBy: { createdAt: "desc" },
    select: webhookEndpointSelect,
  });
  return rows.map(toWebhookEndpointDto);
}

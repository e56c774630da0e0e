import type { TPlatformContext } from "../platform-context";
import type { TWebhookEndpointDto } from "../schemas";
import { toWebhookEndpointDto, webhookEndpointSelect } from "./dto";

/** The partner's webhook endpoints, newest first (disabled ones included, marked inactive). */
export async function listWebhookEndpoints(
  ctx: TPlatformContext,
  options: { partnerId: string },
): Promise<TWebhookEndpointDto[]> {
  const rows = await ctx.prisma.webhookEndpoint.findMany({
    where: { partnerId: options.partnerId },
    orderBy: { createdAt: "desc" },
    select: webhookEndpointSelect,
  });
  return rows.map(toWebhookEndpointDto);
}

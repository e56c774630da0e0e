import { getPlatformContext, platformApiDeps } from "@/lib/platform/get-platform-context";
import { createDisableWebhookEndpointHandler } from "../handlers";

export const dynamic = "force-dynamic";

// POST /api/v1/webhook-endpoints/{id}/disable – stop sending to an endpoint (see ../schema.ts)
export const POST = createDisableWebhookEndpointHandler(platformApiDeps(getPlatformContext));

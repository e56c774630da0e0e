import { getPlatformContext, platformApiDeps } from "@/lib/platform/get-platform-context";
import { createCreateWebhookEndpointHandler, createListWebhookEndpointsHandler } from "./handlers";

export const dynamic = "force-dynamic";

const deps = platformApiDeps(getPlatformContext);

// POST /api/v1/webhook-endpoints – register a webhook receiver (see ./schema.ts)
export const POST = createCreateWebhookEndpointHandler(deps);
// GET /api/v1/webhook-endpoints – list them
export const GET = createListWebhookEndpointsHandler(deps);

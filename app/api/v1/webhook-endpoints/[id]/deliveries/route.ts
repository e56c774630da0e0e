import { getPlatformContext, platformApiDeps } from "@/lib/platform/get-platform-context";
import { createListWebhookDeliveriesHandler } from "../handlers";

export const dynamic = "force-dynamic";

// GET /api/v1/webhook-endpoints/{id}/deliveries – delivery log (see ../schema.ts)
export const GET = createListWebhookDeliveriesHandler(platformApiDeps(getPlatformContext));

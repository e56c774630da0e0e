import { getPlatformContext, platformApiDeps } from "@/lib/platform/get-platform-context";
import { createGetWebhookDeliveryHandler } from "../../handlers";

export const dynamic = "force-dynamic";

// GET /api/v1/webhook-endpoints/{id}/deliveries/{deliveryId} – one delivery (see ../../schema.ts)
export const GET = createGetWebhookDeliveryHandler(platformApiDeps(getPlatformContext));

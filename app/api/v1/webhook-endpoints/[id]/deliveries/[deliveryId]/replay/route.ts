import { getPlatformContext, platformApiDeps } from "@/lib/platform/get-platform-context";
import { createReplayWebhookDeliveryHandler } from "../../../handlers";

export const dynamic = "force-dynamic";

// POST /api/v1/webhook-endpoints/{id}/deliveries/{deliveryId}/replay – replay a dead message (see ../../../schema.ts)
export const POST = createReplayWebhookDeliveryHandler(platformApiDeps(getPlatformContext));

import { getDb } from "@/lib/db/client";
import { getIssuerTrustAnchors } from "@/lib/mailbox/issuer-trust";
import { createListDeliveryFailuresHandler } from "./handlers";

export const dynamic = "force-dynamic";

// GET /api/v1/delivery-failures – refused deliveries of the calling partner (see ./schema.ts)
export const GET = createListDeliveryFailuresHandler({ getPrisma: getDb, getTrustAnchors: getIssuerTrustAnchors });

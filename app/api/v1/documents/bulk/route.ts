import { getDb } from "@/lib/db/client";
import { getIssuerTrustAnchors } from "@/lib/mailbox/issuer-trust";
import { createDeliverDocumentsBulkHandler } from "./handlers";

export const dynamic = "force-dynamic";

// POST /api/v1/documents/bulk – NDJSON bulk delivery (see ./schema.ts and /api/v1/openapi.json)
export const POST = createDeliverDocumentsBulkHandler({ getPrisma: getDb, getTrustAnchors: getIssuerTrustAnchors });

import { getDb } from "@/lib/db/client";
import { getIssuerTrustAnchors } from "@/lib/mailbox/issuer-trust";
import { createGetDocumentReceiptHandler } from "./handlers";

export const dynamic = "force-dynamic";

// GET /api/v1/documents/{id} – delivery status and receipt (see ./schema.ts)
export const GET = createGetDocumentReceiptHandler({ getPrisma: getDb, getTrustAnchors: getIssuerTrustAnchors });

import { getDb } from "@/lib/db/client";
import { getIssuerTrustAnchors } from "@/lib/mailbox/issuer-trust";
import { createGetSharedDocumentHandler } from "./handlers";

export const dynamic = "force-dynamic";

// GET /api/v1/shares/{id} – a document shared with the calling partner (see ./schema.ts)
export const GET = createGetSharedDocumentHandler({ getPrisma: getDb, getTrustAnchors: getIssuerTrustAnchors });

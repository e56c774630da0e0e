import { getDb } from "@/lib/db/client";
import { getIssuerTrustAnchors } from "@/lib/mailbox/issuer-trust";
import { createListSharesHandler } from "./handlers";

export const dynamic = "force-dynamic";

// GET /api/v1/shares – documents residents shared with the calling partner (see ./schema.ts)
export const GET = createListSharesHandler({ getPrisma: getDb, getTrustAnchors: getIssuerTrustAnchors });

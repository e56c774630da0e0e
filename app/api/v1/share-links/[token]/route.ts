import { getDb } from "@/lib/db/client";
import { getIssuerTrustAnchors } from "@/lib/mailbox/issuer-trust";
import { createRedeemShareLinkHandler } from "./handlers";

export const dynamic = "force-dynamic";

// GET /api/v1/share-links/{token} – redeem a one-time share link (see ./schema.ts)
export const GET = createRedeemShareLinkHandler({ getPrisma: getDb, getTrustAnchors: getIssuerTrustAnchors });

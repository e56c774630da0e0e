import { getDb } from "@/lib/db/client";
import { getIssuerCrls, getIssuerTrustAnchors } from "@/lib/mailbox/issuer-trust";
import { createDeliverDocumentHandler } from "./handlers";

export const dynamic = "force-dynamic";

// POST /api/v1/documents – deliver one signed document (see ./schema.ts and /api/v1/openapi.json)
export const POST = createDeliverDocumentHandler({
  getPrisma: getDb,
  getTrustAnchors: getIssuerTrustAnchors,
  getIssuerCrls: () => getIssuerCrls(),
});

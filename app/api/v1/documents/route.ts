import { getDb } from "@/lib/db/client";
import { getIssuerCrls, getIssuerTrustAnchors } from "@/lib/mailbox/issuer-trust";
import { kickNotificationMail } from "@/lib/notifications/smtp-transport";
import { createDeliverDocumentHandler } from "./handlers";

export const dynamic = "force-dynamic";

// POST /api/v1/documents – deliver one signed document (see ./schema.ts and /api/v1/openapi.json)
export const POST = createDeliverDocumentHandler(
  { getPrisma: getDb, getTrustAnchors: getIssuerTrustAnchors, getIssuerCrls: () => getIssuerCrls() },
  // The "document arrived" e-mail was queued in the delivering transaction; send it now (as bulk does).
  { afterCommit: () => kickNotificationMail(getDb) },
);

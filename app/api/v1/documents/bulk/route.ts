import { getDb } from "@/lib/db/client";
import { getIssuerCrls, getIssuerTrustAnchors } from "@/lib/mailbox/issuer-trust";
import { kickNotificationMail } from "@/lib/notifications/smtp-transport";
import { createDeliverDocumentsBulkHandler } from "./handlers";

export const dynamic = "force-dynamic";

// POST /api/v1/documents/bulk – NDJSON bulk delivery (see ./schema.ts and /api/v1/openapi.json)
export const POST = createDeliverDocumentsBulkHandler(
  { getPrisma: getDb, getTrustAnchors: getIssuerTrustAnchors, getIssuerCrls: () => getIssuerCrls() },
  // The "document arrived" e-mails were queued in the delivering transactions; send them now.
  { afterCommit: () => kickNotificationMail(getDb) },
);

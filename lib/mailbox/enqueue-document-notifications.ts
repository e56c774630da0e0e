import type { Prisma } from "@/lib/db/client";

export type TDocumentNotificationInput = {
  residentId: string;
  documentId: string;
  documentType: string;
  issuerName: string;
  issuerNameEn: string;
};

const INSERT_SQL = `
INSERT INTO "NotificationOutbox" ("id", "residentId", "documentId", "documentType", "issuerName", "issuerNameEn",
  "status", "attempts", "nextAttemptAt", "createdAt")
SELECT gen_random_uuid(), x."residentId", x."documentId", x."documentType", x."issuerName", x."issuerNameEn",
  'pending', 0, (x."at"::timestamptz AT TIME ZONE 'UTC'), (x."at"::timestamptz AT TIME ZONE 'UTC')
FROM jsonb_to_recordset($1::jsonb) AS x("residentId" uuid, "documentId" uuid, "documentType" text,
  "issuerName" text, "issuerNameEn" text, "at" text)`;

/**
 * Queues the "a document arrived" e-mails of freshly delivered documents, inside the delivering
 * transaction (transactional outbox): the mail exists exactly when the document does, and
 * delivery never waits for, or fails because of, the SMTP server. processNotificationOutbox
 * sends them after commit and applies the resident's per-type choice at sending time.
 *
 * One statement for any number of documents (bulk delivery writes 200 per transaction).
 */
export async function enqueueDocumentNotifications(
  tx: Prisma.TransactionClient,
  items: readonly TDocumentNotificationInput[],
  now: Date = new Date(),
): Promise<void> {
  if (items.length === 0) return;
  await tx.$executeRawUnsafe(INSERT_SQL, JSON.stringify(items.map((i) => ({ ...i, at: now.toISOString() }))));
}

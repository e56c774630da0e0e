-- DropIndex
DROP INDEX "MailboxDocument_residentId_createdAt_id_idx";

-- CreateIndex
CREATE INDEX "MailboxDocument_residentId_createdAt_id_idx" ON "MailboxDocument"("residentId", "createdAt" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "MailboxDocument_residentId_issuerPartnerId_idx" ON "MailboxDocument"("residentId", "issuerPartnerId");

-- Partial indexes of the resident inbox (not expressible in schema.prisma; the drift check skips
-- partial indexes). Measured with bench/mailbox-inbox.ts (1,000,000 documents, 10,000 residents).

-- Unread count and the "unread only" page: only the resident's unread, not archived rows.
CREATE INDEX "MailboxDocument_unread_idx" ON "MailboxDocument"("residentId", "createdAt" DESC, "id" DESC)
  WHERE "readAt" IS NULL AND "archivedAt" IS NULL;

-- Search within one resident's inbox: GIN over (residentId, searchGrams) intersects the resident's
-- short posting list with the grams' long ones, instead of scanning every document holding a
-- common bigram (せい, 保険) across all residents. btree_gin gives GIN the uuid equality.
CREATE EXTENSION IF NOT EXISTS btree_gin;
CREATE INDEX "MailboxDocument_inbox_search_idx" ON "MailboxDocument" USING GIN ("residentId", "searchGrams")
  WHERE "archivedAt" IS NULL;

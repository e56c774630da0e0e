-- The archive view (archivedAt IS NOT NULL, newest first) reads its page straight from this
-- partial index instead of skipping the ~80 % not-archived rows of the resident's main index.
-- Partial, so not expressible in schema.prisma (the drift check skips partial indexes).
CREATE INDEX "MailboxDocument_archived_idx" ON "MailboxDocument"("residentId", "createdAt" DESC, "id" DESC)
  WHERE "archivedAt" IS NOT NULL;

-- CreateIndex
CREATE INDEX "MailboxDocument_residentId_domain_createdAt_id_idx" ON "MailboxDocument"("residentId", "domain", "createdAt" DESC, "id" DESC);

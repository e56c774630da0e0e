-- CreateIndex
CREATE INDEX "ServiceApplication_decidedById_idx" ON "ServiceApplication"("decidedById");

-- CreateIndex
CREATE INDEX "ServiceApplication_resultDocumentId_idx" ON "ServiceApplication"("resultDocumentId");

-- AddForeignKey
ALTER TABLE "ServiceApplication" ADD CONSTRAINT "ServiceApplication_resultDocumentId_fkey" FOREIGN KEY ("resultDocumentId") REFERENCES "MailboxDocument"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- CreateTable
CREATE TABLE "EvacuationNotice" (
    "id" UUID NOT NULL,
    "orderId" UUID NOT NULL,
    "residentId" UUID NOT NULL,
    "level" INTEGER NOT NULL,
    "documentId" UUID,
    "deliveredAt" TIMESTAMP(3),
    "readAt" TIMESTAMP(3),
    "emailQueuedAt" TIMESTAMP(3),
    "emailSentAt" TIMESTAMP(3),
    "tvBannerAt" TIMESTAMP(3),
    "escalatedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "EvacuationNotice_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "EvacuationNotice_residentId_idx" ON "EvacuationNotice"("residentId");

-- CreateIndex
CREATE INDEX "EvacuationNotice_orderId_readAt_idx" ON "EvacuationNotice"("orderId", "readAt");

-- CreateIndex
CREATE INDEX "EvacuationNotice_documentId_idx" ON "EvacuationNotice"("documentId");

-- CreateIndex
CREATE UNIQUE INDEX "EvacuationNotice_orderId_residentId_key" ON "EvacuationNotice"("orderId", "residentId");

-- AddForeignKey
ALTER TABLE "EvacuationNotice" ADD CONSTRAINT "EvacuationNotice_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "EvacuationOrder"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EvacuationNotice" ADD CONSTRAINT "EvacuationNotice_residentId_fkey" FOREIGN KEY ("residentId") REFERENCES "Resident"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EvacuationNotice" ADD CONSTRAINT "EvacuationNotice_documentId_fkey" FOREIGN KEY ("documentId") REFERENCES "MailboxDocument"("id") ON DELETE SET NULL ON UPDATE CASCADE;

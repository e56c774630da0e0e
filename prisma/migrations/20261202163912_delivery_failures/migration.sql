-- CreateTable
CREATE TABLE "DeliveryFailure" (
    "id" UUID NOT NULL,
    "partnerId" UUID NOT NULL,
    "idempotencyKey" TEXT,
    "documentType" TEXT,
    "recipientPartnerRef" TEXT,
    "recipientRegistryNumber" TEXT,
    "errorCode" TEXT NOT NULL,
    "httpStatus" INTEGER NOT NULL,
    "bulkLine" INTEGER,
    "bulkId" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DeliveryFailure_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "DeliveryFailure_partnerId_createdAt_id_idx" ON "DeliveryFailure"("partnerId", "createdAt" DESC, "id" DESC);

-- AddForeignKey
ALTER TABLE "DeliveryFailure" ADD CONSTRAINT "DeliveryFailure_partnerId_fkey" FOREIGN KEY ("partnerId") REFERENCES "Partner"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- CreateTable
CREATE TABLE "PartnerResidentLink" (
    "id" UUID NOT NULL,
    "partnerId" UUID NOT NULL,
    "residentId" UUID NOT NULL,
    "partnerRef" TEXT NOT NULL,
    "linkedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "PartnerResidentLink_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MailboxDocument" (
    "id" UUID NOT NULL,
    "residentId" UUID NOT NULL,
    "issuerPartnerId" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "domain" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "payloadHash" TEXT NOT NULL,
    "signature" BYTEA NOT NULL,
    "verificationReport" JSONB NOT NULL,
    "signatureValid" BOOLEAN NOT NULL,
    "signedAt" TIMESTAMP(3),
    "actions" JSONB NOT NULL DEFAULT '[]',
    "deadline" TIMESTAMP(3),
    "expiresAt" TIMESTAMP(3),
    "language" TEXT NOT NULL DEFAULT 'ja',
    "keepAfterRelationshipEnds" BOOLEAN NOT NULL DEFAULT false,
    "labels" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "searchText" TEXT NOT NULL,
    "searchGrams" TEXT[],
    "readAt" TIMESTAMP(3),
    "archivedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MailboxDocument_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DocumentAttachment" (
    "id" UUID NOT NULL,
    "documentId" UUID NOT NULL,
    "filename" TEXT NOT NULL,
    "mimeType" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "content" BYTEA NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DocumentAttachment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DeliveryRequest" (
    "id" UUID NOT NULL,
    "partnerId" UUID NOT NULL,
    "idempotencyKey" TEXT NOT NULL,
    "requestHash" TEXT NOT NULL,
    "responseStatus" INTEGER NOT NULL,
    "response" JSONB NOT NULL,
    "documentId" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DeliveryRequest_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "PartnerResidentLink_residentId_idx" ON "PartnerResidentLink"("residentId");

-- CreateIndex
CREATE UNIQUE INDEX "PartnerResidentLink_partnerId_partnerRef_key" ON "PartnerResidentLink"("partnerId", "partnerRef");

-- CreateIndex
CREATE UNIQUE INDEX "PartnerResidentLink_partnerId_residentId_key" ON "PartnerResidentLink"("partnerId", "residentId");

-- CreateIndex
CREATE INDEX "MailboxDocument_residentId_createdAt_id_idx" ON "MailboxDocument"("residentId", "createdAt" DESC, "id");

-- CreateIndex
CREATE INDEX "MailboxDocument_issuerPartnerId_createdAt_idx" ON "MailboxDocument"("issuerPartnerId", "createdAt");

-- CreateIndex
CREATE INDEX "MailboxDocument_searchGrams_idx" ON "MailboxDocument" USING GIN ("searchGrams");

-- CreateIndex
CREATE INDEX "DocumentAttachment_documentId_idx" ON "DocumentAttachment"("documentId");

-- CreateIndex
CREATE UNIQUE INDEX "DeliveryRequest_partnerId_idempotencyKey_key" ON "DeliveryRequest"("partnerId", "idempotencyKey");

-- AddForeignKey
ALTER TABLE "PartnerResidentLink" ADD CONSTRAINT "PartnerResidentLink_partnerId_fkey" FOREIGN KEY ("partnerId") REFERENCES "Partner"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PartnerResidentLink" ADD CONSTRAINT "PartnerResidentLink_residentId_fkey" FOREIGN KEY ("residentId") REFERENCES "Resident"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MailboxDocument" ADD CONSTRAINT "MailboxDocument_residentId_fkey" FOREIGN KEY ("residentId") REFERENCES "Resident"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MailboxDocument" ADD CONSTRAINT "MailboxDocument_issuerPartnerId_fkey" FOREIGN KEY ("issuerPartnerId") REFERENCES "Partner"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DocumentAttachment" ADD CONSTRAINT "DocumentAttachment_documentId_fkey" FOREIGN KEY ("documentId") REFERENCES "MailboxDocument"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DeliveryRequest" ADD CONSTRAINT "DeliveryRequest_partnerId_fkey" FOREIGN KEY ("partnerId") REFERENCES "Partner"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

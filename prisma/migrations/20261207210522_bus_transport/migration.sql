-- CreateEnum
CREATE TYPE "BusProductKind" AS ENUM ('TICKET_BOOK', 'PASS');

-- CreateEnum
CREATE TYPE "BusEligibility" AS ENUM ('NONE', 'AGE_70_PLUS', 'DISABILITY');

-- CreateEnum
CREATE TYPE "BusRideStatus" AS ENUM ('CHARGED', 'DEBT');

-- CreateEnum
CREATE TYPE "BusRideSource" AS ENUM ('ONLINE', 'OFFLINE');

-- CreateTable
CREATE TABLE "BusProduct" (
    "id" UUID NOT NULL,
    "partnerId" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "kind" "BusProductKind" NOT NULL,
    "nameJa" TEXT NOT NULL,
    "nameEn" TEXT NOT NULL,
    "rides" INTEGER,
    "validDays" INTEGER,
    "priceYen" INTEGER NOT NULL,
    "fareYen" INTEGER NOT NULL,
    "eligibility" "BusEligibility" NOT NULL DEFAULT 'NONE',
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "BusProduct_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BusTicket" (
    "id" UUID NOT NULL,
    "residentId" UUID NOT NULL,
    "partnerId" UUID NOT NULL,
    "productId" UUID NOT NULL,
    "kind" "BusProductKind" NOT NULL,
    "ridesTotal" INTEGER,
    "ridesRemaining" INTEGER,
    "validFrom" TIMESTAMP(3) NOT NULL,
    "validUntil" TIMESTAMP(3),
    "priceYen" INTEGER NOT NULL,
    "fareYen" INTEGER NOT NULL,
    "eligibility" "BusEligibility" NOT NULL,
    "eligibilityEvidence" JSONB,
    "paidVia" TEXT NOT NULL,
    "issuedBy" TEXT NOT NULL,
    "purchasedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "BusTicket_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BusEligibilityShare" (
    "id" UUID NOT NULL,
    "residentId" UUID NOT NULL,
    "partnerId" UUID NOT NULL,
    "predicate" "BusEligibility" NOT NULL,
    "grantedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "BusEligibilityShare_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BusRide" (
    "id" UUID NOT NULL,
    "partnerId" UUID NOT NULL,
    "residentId" UUID NOT NULL,
    "ticketId" UUID,
    "deviceId" UUID NOT NULL,
    "source" "BusRideSource" NOT NULL,
    "status" "BusRideStatus" NOT NULL,
    "tapKey" TEXT,
    "deviceSeq" INTEGER,
    "nonce" TEXT,
    "rideAt" TIMESTAMP(3) NOT NULL,
    "recordedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "fareYen" INTEGER NOT NULL,
    "paidYen" INTEGER NOT NULL,
    "discountYen" INTEGER NOT NULL,
    "subsidyYen" INTEGER NOT NULL,
    "eligibility" "BusEligibility" NOT NULL,
    "receiptDocumentId" UUID,

    CONSTRAINT "BusRide_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BusDeviceKey" (
    "id" UUID NOT NULL,
    "deviceId" UUID NOT NULL,
    "publicKey" BYTEA NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "retiredAt" TIMESTAMP(3),

    CONSTRAINT "BusDeviceKey_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BusOperatorSigner" (
    "partnerId" UUID NOT NULL,
    "certificate" BYTEA NOT NULL,
    "sealedPrivateKey" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "BusOperatorSigner_pkey" PRIMARY KEY ("partnerId")
);

-- CreateIndex
CREATE UNIQUE INDEX "BusProduct_partnerId_code_key" ON "BusProduct"("partnerId", "code");

-- CreateIndex
CREATE INDEX "BusTicket_residentId_partnerId_idx" ON "BusTicket"("residentId", "partnerId");

-- CreateIndex
CREATE INDEX "BusTicket_productId_idx" ON "BusTicket"("productId");

-- CreateIndex
CREATE INDEX "BusTicket_partnerId_idx" ON "BusTicket"("partnerId");

-- CreateIndex
CREATE INDEX "BusEligibilityShare_partnerId_idx" ON "BusEligibilityShare"("partnerId");

-- CreateIndex
CREATE UNIQUE INDEX "BusEligibilityShare_residentId_partnerId_predicate_key" ON "BusEligibilityShare"("residentId", "partnerId", "predicate");

-- CreateIndex
CREATE UNIQUE INDEX "BusRide_receiptDocumentId_key" ON "BusRide"("receiptDocumentId");

-- CreateIndex
CREATE INDEX "BusRide_residentId_rideAt_idx" ON "BusRide"("residentId", "rideAt");

-- CreateIndex
CREATE INDEX "BusRide_partnerId_rideAt_idx" ON "BusRide"("partnerId", "rideAt");

-- CreateIndex
CREATE INDEX "BusRide_ticketId_idx" ON "BusRide"("ticketId");

-- CreateIndex
CREATE UNIQUE INDEX "BusRide_deviceId_tapKey_key" ON "BusRide"("deviceId", "tapKey");

-- CreateIndex
CREATE UNIQUE INDEX "BusRide_deviceId_deviceSeq_key" ON "BusRide"("deviceId", "deviceSeq");

-- CreateIndex
CREATE UNIQUE INDEX "BusRide_deviceId_nonce_key" ON "BusRide"("deviceId", "nonce");

-- CreateIndex
CREATE INDEX "BusDeviceKey_deviceId_idx" ON "BusDeviceKey"("deviceId");

-- AddForeignKey
ALTER TABLE "BusProduct" ADD CONSTRAINT "BusProduct_partnerId_fkey" FOREIGN KEY ("partnerId") REFERENCES "Partner"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BusTicket" ADD CONSTRAINT "BusTicket_residentId_fkey" FOREIGN KEY ("residentId") REFERENCES "Resident"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BusTicket" ADD CONSTRAINT "BusTicket_partnerId_fkey" FOREIGN KEY ("partnerId") REFERENCES "Partner"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BusTicket" ADD CONSTRAINT "BusTicket_productId_fkey" FOREIGN KEY ("productId") REFERENCES "BusProduct"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BusEligibilityShare" ADD CONSTRAINT "BusEligibilityShare_residentId_fkey" FOREIGN KEY ("residentId") REFERENCES "Resident"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BusEligibilityShare" ADD CONSTRAINT "BusEligibilityShare_partnerId_fkey" FOREIGN KEY ("partnerId") REFERENCES "Partner"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BusRide" ADD CONSTRAINT "BusRide_partnerId_fkey" FOREIGN KEY ("partnerId") REFERENCES "Partner"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BusRide" ADD CONSTRAINT "BusRide_residentId_fkey" FOREIGN KEY ("residentId") REFERENCES "Resident"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BusRide" ADD CONSTRAINT "BusRide_ticketId_fkey" FOREIGN KEY ("ticketId") REFERENCES "BusTicket"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BusRide" ADD CONSTRAINT "BusRide_deviceId_fkey" FOREIGN KEY ("deviceId") REFERENCES "TerminalDevice"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BusRide" ADD CONSTRAINT "BusRide_receiptDocumentId_fkey" FOREIGN KEY ("receiptDocumentId") REFERENCES "MailboxDocument"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BusDeviceKey" ADD CONSTRAINT "BusDeviceKey_deviceId_fkey" FOREIGN KEY ("deviceId") REFERENCES "TerminalDevice"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BusOperatorSigner" ADD CONSTRAINT "BusOperatorSigner_partnerId_fkey" FOREIGN KEY ("partnerId") REFERENCES "Partner"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- A ticket book never goes below zero rides (defence in depth under the conditional UPDATE).
ALTER TABLE "BusTicket" ADD CONSTRAINT "BusTicket_ridesRemaining_nonnegative" CHECK ("ridesRemaining" IS NULL OR "ridesRemaining" >= 0);

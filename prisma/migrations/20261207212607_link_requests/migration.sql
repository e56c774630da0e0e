-- CreateEnum
CREATE TYPE "LinkRequestStatus" AS ENUM ('PENDING', 'APPROVED', 'REFUSED');

-- AlterTable
ALTER TABLE "PartnerResidentLink" ADD COLUMN     "purposeText" TEXT,
ADD COLUMN     "purposes" TEXT[] DEFAULT ARRAY['deliver', 'eligibility']::TEXT[];

-- CreateTable
CREATE TABLE "LinkRequest" (
    "id" UUID NOT NULL,
    "partnerId" UUID NOT NULL,
    "sandbox" BOOLEAN NOT NULL,
    "partnerRef" TEXT NOT NULL,
    "purposes" TEXT[],
    "purposeText" TEXT NOT NULL,
    "residentId" UUID,
    "identityVerificationId" UUID,
    "claimCodeHash" TEXT,
    "claimedAt" TIMESTAMP(3),
    "status" "LinkRequestStatus" NOT NULL DEFAULT 'PENDING',
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "decidedAt" TIMESTAMP(3),
    "terminalDeviceId" UUID,
    "consentStatement" TEXT,
    "consentNonce" TEXT,
    "linkId" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LinkRequest_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "LinkRequest_claimCodeHash_key" ON "LinkRequest"("claimCodeHash");

-- CreateIndex
CREATE UNIQUE INDEX "LinkRequest_consentNonce_key" ON "LinkRequest"("consentNonce");

-- CreateIndex
CREATE INDEX "LinkRequest_residentId_status_idx" ON "LinkRequest"("residentId", "status");

-- CreateIndex
CREATE INDEX "LinkRequest_partnerId_createdAt_idx" ON "LinkRequest"("partnerId", "createdAt");

-- CreateIndex
CREATE INDEX "LinkRequest_identityVerificationId_idx" ON "LinkRequest"("identityVerificationId");

-- CreateIndex
CREATE INDEX "LinkRequest_linkId_idx" ON "LinkRequest"("linkId");

-- CreateIndex
CREATE INDEX "LinkRequest_terminalDeviceId_idx" ON "LinkRequest"("terminalDeviceId");

-- AddForeignKey
ALTER TABLE "LinkRequest" ADD CONSTRAINT "LinkRequest_partnerId_fkey" FOREIGN KEY ("partnerId") REFERENCES "Partner"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LinkRequest" ADD CONSTRAINT "LinkRequest_residentId_fkey" FOREIGN KEY ("residentId") REFERENCES "Resident"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LinkRequest" ADD CONSTRAINT "LinkRequest_identityVerificationId_fkey" FOREIGN KEY ("identityVerificationId") REFERENCES "IdentityVerification"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LinkRequest" ADD CONSTRAINT "LinkRequest_terminalDeviceId_fkey" FOREIGN KEY ("terminalDeviceId") REFERENCES "TerminalDevice"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LinkRequest" ADD CONSTRAINT "LinkRequest_linkId_fkey" FOREIGN KEY ("linkId") REFERENCES "PartnerResidentLink"("id") ON DELETE SET NULL ON UPDATE CASCADE;

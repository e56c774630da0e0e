-- CreateEnum
CREATE TYPE "ServiceApplicationKind" AS ENUM ('MOVE', 'RESIDENCE_CERTIFICATE');

-- CreateEnum
CREATE TYPE "ServiceApplicationStatus" AS ENUM ('SUBMITTED', 'RETURNED', 'APPROVED');

-- CreateTable
CREATE TABLE "ServiceApplication" (
    "id" UUID NOT NULL,
    "residentId" UUID NOT NULL,
    "kind" "ServiceApplicationKind" NOT NULL,
    "status" "ServiceApplicationStatus" NOT NULL DEFAULT 'SUBMITTED',
    "content" JSONB NOT NULL,
    "signedData" BYTEA NOT NULL,
    "contentHash" TEXT NOT NULL,
    "signerIssuerDn" TEXT NOT NULL,
    "signerSerialNumber" TEXT NOT NULL,
    "signingTime" TIMESTAMP(3) NOT NULL,
    "verification" JSONB NOT NULL,
    "revision" INTEGER NOT NULL DEFAULT 1,
    "submittedAt" TIMESTAMP(3) NOT NULL,
    "returnReason" TEXT,
    "decidedById" UUID,
    "decidedAt" TIMESTAMP(3),
    "fulfilledAt" TIMESTAMP(3),
    "resultDocumentId" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ServiceApplication_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ServiceApplication_contentHash_key" ON "ServiceApplication"("contentHash");

-- CreateIndex
CREATE INDEX "ServiceApplication_status_submittedAt_idx" ON "ServiceApplication"("status", "submittedAt");

-- CreateIndex
CREATE INDEX "ServiceApplication_residentId_submittedAt_idx" ON "ServiceApplication"("residentId", "submittedAt");

-- AddForeignKey
ALTER TABLE "ServiceApplication" ADD CONSTRAINT "ServiceApplication_residentId_fkey" FOREIGN KEY ("residentId") REFERENCES "Resident"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ServiceApplication" ADD CONSTRAINT "ServiceApplication_decidedById_fkey" FOREIGN KEY ("decidedById") REFERENCES "StaffMember"("id") ON DELETE SET NULL ON UPDATE CASCADE;

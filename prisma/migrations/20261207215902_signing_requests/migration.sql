-- CreateEnum
CREATE TYPE "SigningRequestStatus" AS ENUM ('PENDING', 'SIGNED', 'DECLINED');

-- CreateTable
CREATE TABLE "SigningRequest" (
    "id" UUID NOT NULL,
    "partnerId" UUID NOT NULL,
    "residentId" UUID NOT NULL,
    "partnerRef" TEXT NOT NULL,
    "sandbox" BOOLEAN NOT NULL,
    "title" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "content" BYTEA NOT NULL,
    "status" "SigningRequestStatus" NOT NULL DEFAULT 'PENDING',
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "decidedAt" TIMESTAMP(3),
    "signedData" BYTEA,
    "signerIssuerDn" TEXT,
    "signerSerialNumber" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SigningRequest_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "SigningRequest_residentId_status_idx" ON "SigningRequest"("residentId", "status");

-- CreateIndex
CREATE INDEX "SigningRequest_partnerId_createdAt_idx" ON "SigningRequest"("partnerId", "createdAt");

-- AddForeignKey
ALTER TABLE "SigningRequest" ADD CONSTRAINT "SigningRequest_partnerId_fkey" FOREIGN KEY ("partnerId") REFERENCES "Partner"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SigningRequest" ADD CONSTRAINT "SigningRequest_residentId_fkey" FOREIGN KEY ("residentId") REFERENCES "Resident"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

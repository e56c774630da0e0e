-- CreateEnum
CREATE TYPE "PartnerUserRole" AS ENUM ('OWNER', 'DEVELOPER');

-- CreateEnum
CREATE TYPE "ScopeRequestStatus" AS ENUM ('PENDING', 'APPROVED', 'REJECTED');

-- AlterTable
ALTER TABLE "PartnerCredential" ADD COLUMN     "replacedById" UUID;

-- CreateTable
CREATE TABLE "PartnerUser" (
    "id" UUID NOT NULL,
    "partnerId" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "displayName" TEXT NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "role" "PartnerUserRole" NOT NULL DEFAULT 'DEVELOPER',
    "active" BOOLEAN NOT NULL DEFAULT true,
    "failedLogins" INTEGER NOT NULL DEFAULT 0,
    "lockedUntil" TIMESTAMP(3),
    "lastLoginAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PartnerUser_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ScopeRequest" (
    "id" UUID NOT NULL,
    "partnerId" UUID NOT NULL,
    "scopes" TEXT[],
    "reason" TEXT NOT NULL,
    "status" "ScopeRequestStatus" NOT NULL DEFAULT 'PENDING',
    "requestedBy" UUID,
    "decidedById" UUID,
    "decidedAt" TIMESTAMP(3),
    "decisionNote" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ScopeRequest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PartnerApiUsage" (
    "credentialId" UUID NOT NULL,
    "windowStart" TIMESTAMP(3) NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "PartnerApiUsage_pkey" PRIMARY KEY ("credentialId","windowStart")
);

-- CreateIndex
CREATE UNIQUE INDEX "PartnerUser_email_key" ON "PartnerUser"("email");

-- CreateIndex
CREATE INDEX "PartnerUser_partnerId_idx" ON "PartnerUser"("partnerId");

-- CreateIndex
CREATE INDEX "ScopeRequest_status_createdAt_idx" ON "ScopeRequest"("status", "createdAt");

-- CreateIndex
CREATE INDEX "ScopeRequest_partnerId_idx" ON "ScopeRequest"("partnerId");

-- CreateIndex
CREATE INDEX "PartnerApiUsage_windowStart_idx" ON "PartnerApiUsage"("windowStart");

-- AddForeignKey
ALTER TABLE "PartnerUser" ADD CONSTRAINT "PartnerUser_partnerId_fkey" FOREIGN KEY ("partnerId") REFERENCES "Partner"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ScopeRequest" ADD CONSTRAINT "ScopeRequest_partnerId_fkey" FOREIGN KEY ("partnerId") REFERENCES "Partner"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ScopeRequest" ADD CONSTRAINT "ScopeRequest_decidedById_fkey" FOREIGN KEY ("decidedById") REFERENCES "StaffMember"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PartnerApiUsage" ADD CONSTRAINT "PartnerApiUsage_credentialId_fkey" FOREIGN KEY ("credentialId") REFERENCES "PartnerCredential"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

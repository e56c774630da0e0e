-- CreateEnum
CREATE TYPE "EmergencyAudience" AS ENUM ('AMBULANCE', 'HOSPITAL');

-- AlterEnum
ALTER TYPE "TerminalMode" ADD VALUE 'AMBULANCE';

-- CreateTable
CREATE TABLE "EmergencyConsent" (
    "id" UUID NOT NULL,
    "residentId" UUID NOT NULL,
    "audience" "EmergencyAudience" NOT NULL,
    "parts" TEXT[],
    "breakGlass" BOOLEAN NOT NULL DEFAULT true,
    "grantedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "EmergencyConsent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EmergencySelfEntry" (
    "id" UUID NOT NULL,
    "residentId" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "detail" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "removedAt" TIMESTAMP(3),

    CONSTRAINT "EmergencySelfEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BreakGlassAccess" (
    "id" UUID NOT NULL,
    "residentId" UUID NOT NULL,
    "partnerId" UUID NOT NULL,
    "terminalDeviceId" UUID NOT NULL,
    "audience" "EmergencyAudience" NOT NULL,
    "reasonCategory" TEXT NOT NULL,
    "reasonText" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "grantedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "reads" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "BreakGlassAccess_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "EmergencyConsent_residentId_audience_idx" ON "EmergencyConsent"("residentId", "audience");

-- CreateIndex
CREATE INDEX "EmergencySelfEntry_residentId_kind_idx" ON "EmergencySelfEntry"("residentId", "kind");

-- CreateIndex
CREATE UNIQUE INDEX "BreakGlassAccess_tokenHash_key" ON "BreakGlassAccess"("tokenHash");

-- CreateIndex
CREATE INDEX "BreakGlassAccess_residentId_grantedAt_idx" ON "BreakGlassAccess"("residentId", "grantedAt");

-- CreateIndex
CREATE INDEX "BreakGlassAccess_grantedAt_idx" ON "BreakGlassAccess"("grantedAt");

-- CreateIndex
CREATE INDEX "BreakGlassAccess_partnerId_idx" ON "BreakGlassAccess"("partnerId");

-- CreateIndex
CREATE INDEX "BreakGlassAccess_terminalDeviceId_idx" ON "BreakGlassAccess"("terminalDeviceId");

-- AddForeignKey
ALTER TABLE "EmergencyConsent" ADD CONSTRAINT "EmergencyConsent_residentId_fkey" FOREIGN KEY ("residentId") REFERENCES "Resident"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EmergencySelfEntry" ADD CONSTRAINT "EmergencySelfEntry_residentId_fkey" FOREIGN KEY ("residentId") REFERENCES "Resident"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BreakGlassAccess" ADD CONSTRAINT "BreakGlassAccess_residentId_fkey" FOREIGN KEY ("residentId") REFERENCES "Resident"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BreakGlassAccess" ADD CONSTRAINT "BreakGlassAccess_partnerId_fkey" FOREIGN KEY ("partnerId") REFERENCES "Partner"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BreakGlassAccess" ADD CONSTRAINT "BreakGlassAccess_terminalDeviceId_fkey" FOREIGN KEY ("terminalDeviceId") REFERENCES "TerminalDevice"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- At most one active consent per resident and audience (not expressible in the Prisma schema).
CREATE UNIQUE INDEX "EmergencyConsent_active_key" ON "EmergencyConsent"("residentId", "audience") WHERE "revokedAt" IS NULL;

-- CreateEnum
CREATE TYPE "HospitalVisitStatus" AS ENUM ('RECEIVED', 'RECORDED');

-- CreateTable
CREATE TABLE "HospitalVisit" (
    "id" UUID NOT NULL,
    "hospitalId" UUID NOT NULL,
    "residentId" UUID NOT NULL,
    "patientRef" TEXT NOT NULL,
    "terminalDeviceId" UUID,
    "terminalLabel" TEXT NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL,
    "insuranceStatus" TEXT NOT NULL,
    "insurerId" UUID,
    "copayTenths" INTEGER,
    "status" "HospitalVisitStatus" NOT NULL DEFAULT 'RECEIVED',
    "department" TEXT,
    "points" INTEGER,
    "uninsuredYen" INTEGER,
    "copayYen" INTEGER,
    "totalYen" INTEGER,
    "medications" JSONB,
    "recordedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "HospitalVisit_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "HospitalVisit_hospitalId_receivedAt_idx" ON "HospitalVisit"("hospitalId", "receivedAt");

-- CreateIndex
CREATE INDEX "HospitalVisit_residentId_idx" ON "HospitalVisit"("residentId");

-- CreateIndex
CREATE INDEX "HospitalVisit_insurerId_idx" ON "HospitalVisit"("insurerId");

-- CreateIndex
CREATE INDEX "HospitalVisit_terminalDeviceId_idx" ON "HospitalVisit"("terminalDeviceId");

-- AddForeignKey
ALTER TABLE "HospitalVisit" ADD CONSTRAINT "HospitalVisit_hospitalId_fkey" FOREIGN KEY ("hospitalId") REFERENCES "Partner"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HospitalVisit" ADD CONSTRAINT "HospitalVisit_residentId_fkey" FOREIGN KEY ("residentId") REFERENCES "Resident"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HospitalVisit" ADD CONSTRAINT "HospitalVisit_terminalDeviceId_fkey" FOREIGN KEY ("terminalDeviceId") REFERENCES "TerminalDevice"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HospitalVisit" ADD CONSTRAINT "HospitalVisit_insurerId_fkey" FOREIGN KEY ("insurerId") REFERENCES "Partner"("id") ON DELETE SET NULL ON UPDATE CASCADE;

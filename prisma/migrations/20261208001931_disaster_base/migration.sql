-- CreateEnum
CREATE TYPE "DisasterHazard" AS ENUM ('FLOOD', 'LANDSLIDE', 'TSUNAMI', 'STORM_SURGE', 'EARTHQUAKE', 'FIRE');

-- CreateEnum
CREATE TYPE "ShelterKind" AS ENUM ('DESIGNATED', 'WELFARE', 'HOSPITAL');

-- CreateEnum
CREATE TYPE "EvacuationOrderStatus" AS ENUM ('ACTIVE', 'LIFTED');

-- CreateEnum
CREATE TYPE "EvacuationOrderEventKind" AS ENUM ('ISSUED', 'RAISED', 'LOWERED', 'LIFTED');

-- CreateEnum
CREATE TYPE "SafetyStatus" AS ENUM ('SAFE', 'NEEDS_HELP');

-- CreateEnum
CREATE TYPE "SafetyChannel" AS ENUM ('WEB', 'TV', 'STAFF');

-- CreateEnum
CREATE TYPE "SetTopBoxActivity" AS ENUM ('POWER_ON', 'POWER_OFF', 'REMOTE');

-- AlterEnum
ALTER TYPE "PartnerKind" ADD VALUE 'CATV_OPERATOR';

-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "StaffRole" ADD VALUE 'PARTNER_OFFICER';
ALTER TYPE "StaffRole" ADD VALUE 'AUDITOR';

-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "TerminalMode" ADD VALUE 'SHELTER';
ALTER TYPE "TerminalMode" ADD VALUE 'SET_TOP_BOX';

-- AlterTable
ALTER TABLE "District" ADD COLUMN     "geometry" JSONB;

-- AlterTable
ALTER TABLE "Household" ADD COLUMN     "latitude" DOUBLE PRECISION,
ADD COLUMN     "longitude" DOUBLE PRECISION;

-- CreateTable
CREATE TABLE "Shelter" (
    "id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "nameEn" TEXT NOT NULL,
    "kind" "ShelterKind" NOT NULL,
    "districtId" UUID NOT NULL,
    "address" TEXT NOT NULL,
    "latitude" DOUBLE PRECISION NOT NULL,
    "longitude" DOUBLE PRECISION NOT NULL,
    "capacity" INTEGER NOT NULL,
    "features" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "languages" TEXT[] DEFAULT ARRAY['ja']::TEXT[],
    "hazards" "DisasterHazard"[] DEFAULT ARRAY[]::"DisasterHazard"[],
    "partnerId" UUID,
    "open" BOOLEAN NOT NULL DEFAULT false,
    "openedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Shelter_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EvacuationOrder" (
    "id" UUID NOT NULL,
    "districtId" UUID NOT NULL,
    "hazard" "DisasterHazard" NOT NULL,
    "level" INTEGER NOT NULL,
    "status" "EvacuationOrderStatus" NOT NULL DEFAULT 'ACTIVE',
    "message" TEXT NOT NULL,
    "messageEn" TEXT,
    "escalateAfterMinutes" INTEGER NOT NULL DEFAULT 15,
    "issuedById" UUID NOT NULL,
    "issuedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "liftedAt" TIMESTAMP(3),

    CONSTRAINT "EvacuationOrder_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EvacuationOrderEvent" (
    "id" UUID NOT NULL,
    "orderId" UUID NOT NULL,
    "kind" "EvacuationOrderEventKind" NOT NULL,
    "level" INTEGER NOT NULL,
    "staffId" UUID NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "EvacuationOrderEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SafetyReply" (
    "id" UUID NOT NULL,
    "orderId" UUID NOT NULL,
    "residentId" UUID NOT NULL,
    "status" "SafetyStatus" NOT NULL,
    "channel" "SafetyChannel" NOT NULL,
    "repliedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SafetyReply_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ShelterCheckIn" (
    "id" UUID NOT NULL,
    "shelterId" UUID NOT NULL,
    "residentId" UUID NOT NULL,
    "orderId" UUID,
    "terminalId" UUID,
    "checkedInAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "checkedOutAt" TIMESTAMP(3),
    "transferredFromId" UUID,

    CONSTRAINT "ShelterCheckIn_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SetTopBox" (
    "id" UUID NOT NULL,
    "terminalId" UUID NOT NULL,
    "householdId" UUID NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SetTopBox_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SetTopBoxOptIn" (
    "id" UUID NOT NULL,
    "boxId" UUID NOT NULL,
    "residentId" UUID NOT NULL,
    "optedInAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "withdrawnAt" TIMESTAMP(3),

    CONSTRAINT "SetTopBoxOptIn_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SetTopBoxHeartbeat" (
    "id" BIGSERIAL NOT NULL,
    "boxId" UUID NOT NULL,
    "activity" "SetTopBoxActivity" NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SetTopBoxHeartbeat_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Shelter_code_key" ON "Shelter"("code");

-- CreateIndex
CREATE INDEX "Shelter_districtId_idx" ON "Shelter"("districtId");

-- CreateIndex
CREATE INDEX "Shelter_partnerId_idx" ON "Shelter"("partnerId");

-- CreateIndex
CREATE INDEX "EvacuationOrder_districtId_status_idx" ON "EvacuationOrder"("districtId", "status");

-- CreateIndex
CREATE INDEX "EvacuationOrder_issuedById_idx" ON "EvacuationOrder"("issuedById");

-- CreateIndex
CREATE INDEX "EvacuationOrderEvent_orderId_at_idx" ON "EvacuationOrderEvent"("orderId", "at");

-- CreateIndex
CREATE INDEX "EvacuationOrderEvent_staffId_idx" ON "EvacuationOrderEvent"("staffId");

-- CreateIndex
CREATE INDEX "SafetyReply_residentId_idx" ON "SafetyReply"("residentId");

-- CreateIndex
CREATE UNIQUE INDEX "SafetyReply_orderId_residentId_key" ON "SafetyReply"("orderId", "residentId");

-- CreateIndex
CREATE UNIQUE INDEX "ShelterCheckIn_transferredFromId_key" ON "ShelterCheckIn"("transferredFromId");

-- CreateIndex
CREATE INDEX "ShelterCheckIn_shelterId_checkedOutAt_idx" ON "ShelterCheckIn"("shelterId", "checkedOutAt");

-- CreateIndex
CREATE INDEX "ShelterCheckIn_residentId_idx" ON "ShelterCheckIn"("residentId");

-- CreateIndex
CREATE INDEX "ShelterCheckIn_orderId_idx" ON "ShelterCheckIn"("orderId");

-- CreateIndex
CREATE INDEX "ShelterCheckIn_terminalId_idx" ON "ShelterCheckIn"("terminalId");

-- CreateIndex
CREATE UNIQUE INDEX "SetTopBox_terminalId_key" ON "SetTopBox"("terminalId");

-- CreateIndex
CREATE INDEX "SetTopBox_householdId_idx" ON "SetTopBox"("householdId");

-- CreateIndex
CREATE INDEX "SetTopBoxOptIn_boxId_idx" ON "SetTopBoxOptIn"("boxId");

-- CreateIndex
CREATE INDEX "SetTopBoxOptIn_residentId_idx" ON "SetTopBoxOptIn"("residentId");

-- CreateIndex
CREATE INDEX "SetTopBoxHeartbeat_boxId_at_idx" ON "SetTopBoxHeartbeat"("boxId", "at");

-- CreateIndex
CREATE INDEX "SetTopBoxHeartbeat_at_idx" ON "SetTopBoxHeartbeat"("at");

-- AddForeignKey
ALTER TABLE "Shelter" ADD CONSTRAINT "Shelter_districtId_fkey" FOREIGN KEY ("districtId") REFERENCES "District"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Shelter" ADD CONSTRAINT "Shelter_partnerId_fkey" FOREIGN KEY ("partnerId") REFERENCES "Partner"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EvacuationOrder" ADD CONSTRAINT "EvacuationOrder_districtId_fkey" FOREIGN KEY ("districtId") REFERENCES "District"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EvacuationOrder" ADD CONSTRAINT "EvacuationOrder_issuedById_fkey" FOREIGN KEY ("issuedById") REFERENCES "StaffMember"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EvacuationOrderEvent" ADD CONSTRAINT "EvacuationOrderEvent_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "EvacuationOrder"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EvacuationOrderEvent" ADD CONSTRAINT "EvacuationOrderEvent_staffId_fkey" FOREIGN KEY ("staffId") REFERENCES "StaffMember"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SafetyReply" ADD CONSTRAINT "SafetyReply_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "EvacuationOrder"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SafetyReply" ADD CONSTRAINT "SafetyReply_residentId_fkey" FOREIGN KEY ("residentId") REFERENCES "Resident"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ShelterCheckIn" ADD CONSTRAINT "ShelterCheckIn_shelterId_fkey" FOREIGN KEY ("shelterId") REFERENCES "Shelter"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ShelterCheckIn" ADD CONSTRAINT "ShelterCheckIn_residentId_fkey" FOREIGN KEY ("residentId") REFERENCES "Resident"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ShelterCheckIn" ADD CONSTRAINT "ShelterCheckIn_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "EvacuationOrder"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ShelterCheckIn" ADD CONSTRAINT "ShelterCheckIn_terminalId_fkey" FOREIGN KEY ("terminalId") REFERENCES "TerminalDevice"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ShelterCheckIn" ADD CONSTRAINT "ShelterCheckIn_transferredFromId_fkey" FOREIGN KEY ("transferredFromId") REFERENCES "ShelterCheckIn"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SetTopBox" ADD CONSTRAINT "SetTopBox_terminalId_fkey" FOREIGN KEY ("terminalId") REFERENCES "TerminalDevice"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SetTopBox" ADD CONSTRAINT "SetTopBox_householdId_fkey" FOREIGN KEY ("householdId") REFERENCES "Household"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SetTopBoxOptIn" ADD CONSTRAINT "SetTopBoxOptIn_boxId_fkey" FOREIGN KEY ("boxId") REFERENCES "SetTopBox"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SetTopBoxOptIn" ADD CONSTRAINT "SetTopBoxOptIn_residentId_fkey" FOREIGN KEY ("residentId") REFERENCES "Resident"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SetTopBoxHeartbeat" ADD CONSTRAINT "SetTopBoxHeartbeat_boxId_fkey" FOREIGN KEY ("boxId") REFERENCES "SetTopBox"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- At most one ACTIVE order per district and hazard: raising or lowering changes the level.
CREATE UNIQUE INDEX "EvacuationOrder_one_active_per_district_hazard"
    ON "EvacuationOrder"("districtId", "hazard") WHERE "status" = 'ACTIVE';
ALTER TABLE "EvacuationOrder" ADD CONSTRAINT "EvacuationOrder_level_check" CHECK ("level" BETWEEN 1 AND 5);
ALTER TABLE "EvacuationOrderEvent" ADD CONSTRAINT "EvacuationOrderEvent_level_check" CHECK ("level" BETWEEN 1 AND 5);

-- A resident is checked in at one shelter at a time: a second tap is refused, never double-counted.
CREATE UNIQUE INDEX "ShelterCheckIn_one_open_per_resident"
    ON "ShelterCheckIn"("residentId") WHERE "checkedOutAt" IS NULL;
ALTER TABLE "Shelter" ADD CONSTRAINT "Shelter_capacity_check" CHECK ("capacity" >= 0);

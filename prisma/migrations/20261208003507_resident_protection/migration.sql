-- CreateEnum
CREATE TYPE "ProtectionKind" AS ENUM ('DOMESTIC_VIOLENCE', 'STALKING', 'CHILD_ABUSE', 'ELDER_ABUSE', 'OTHER');

-- CreateTable
CREATE TABLE "ResidentProtection" (
    "id" UUID NOT NULL,
    "residentId" UUID NOT NULL,
    "kind" "ProtectionKind" NOT NULL,
    "reason" TEXT NOT NULL,
    "setById" UUID NOT NULL,
    "setAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "liftedById" UUID,
    "liftedAt" TIMESTAMP(3),
    "liftReason" TEXT,

    CONSTRAINT "ResidentProtection_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ResidentProtection_residentId_idx" ON "ResidentProtection"("residentId");

-- CreateIndex
CREATE INDEX "ResidentProtection_setById_idx" ON "ResidentProtection"("setById");

-- CreateIndex
CREATE INDEX "ResidentProtection_liftedById_idx" ON "ResidentProtection"("liftedById");

-- AddForeignKey
ALTER TABLE "ResidentProtection" ADD CONSTRAINT "ResidentProtection_residentId_fkey" FOREIGN KEY ("residentId") REFERENCES "Resident"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ResidentProtection" ADD CONSTRAINT "ResidentProtection_setById_fkey" FOREIGN KEY ("setById") REFERENCES "StaffMember"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ResidentProtection" ADD CONSTRAINT "ResidentProtection_liftedById_fkey" FOREIGN KEY ("liftedById") REFERENCES "StaffMember"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- One open protection period per resident (lib/protection relies on it).
CREATE UNIQUE INDEX "ResidentProtection_open_key" ON "ResidentProtection"("residentId") WHERE "liftedAt" IS NULL;

-- A lifted period names who lifted it and when, together.
ALTER TABLE "ResidentProtection" ADD CONSTRAINT "ResidentProtection_lift_check" CHECK (("liftedAt" IS NULL) = ("liftedById" IS NULL));

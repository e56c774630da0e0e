-- CreateEnum
CREATE TYPE "InsuranceMemberStatus" AS ENUM ('VALID', 'LAPSED');

-- CreateTable
CREATE TABLE "InsuranceMember" (
    "id" UUID NOT NULL,
    "insurerId" UUID NOT NULL,
    "memberNumber" TEXT NOT NULL,
    "mode" "CredentialMode" NOT NULL,
    "status" "InsuranceMemberStatus" NOT NULL,
    "insurerNumber" TEXT NOT NULL,
    "symbol" TEXT NOT NULL,
    "number" TEXT NOT NULL,
    "branch" TEXT,
    "validFrom" DATE NOT NULL,
    "validUntil" DATE,
    "copayTenths" INTEGER NOT NULL,
    "confirmedAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "InsuranceMember_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "InsuranceMember_insurerId_mode_memberNumber_key" ON "InsuranceMember"("insurerId", "mode", "memberNumber");

-- AddForeignKey
ALTER TABLE "InsuranceMember" ADD CONSTRAINT "InsuranceMember_insurerId_fkey" FOREIGN KEY ("insurerId") REFERENCES "Partner"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

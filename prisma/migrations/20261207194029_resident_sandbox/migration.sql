-- AlterTable
ALTER TABLE "Resident" ADD COLUMN     "sandbox" BOOLEAN NOT NULL DEFAULT false;

-- The partner sandbox's synthetic residents were marked only by their registry number.
UPDATE "Resident" SET "sandbox" = true WHERE "registryNumber" LIKE 'SANDBOX-%';

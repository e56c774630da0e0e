-- AlterTable
ALTER TABLE "Partner" ADD COLUMN     "actionOrigins" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- AlterTable
ALTER TABLE "LinkRequest" ADD COLUMN     "consentContent" BYTEA,
ADD COLUMN     "signatureRequired" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "signedData" BYTEA;

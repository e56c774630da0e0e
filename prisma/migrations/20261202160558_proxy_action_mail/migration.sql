-- AlterTable
ALTER TABLE "NotificationOutbox" ADD COLUMN     "kind" TEXT NOT NULL DEFAULT 'document',
ADD COLUMN     "proxyAction" TEXT;

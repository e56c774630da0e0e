-- CreateEnum
CREATE TYPE "NoticeBatchStatus" AS ENUM ('AWAITING_APPROVAL', 'QUEUED', 'RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "NoticeLineStatus" AS ENUM ('PENDING', 'DELIVERED', 'REFUSED');

-- CreateTable
CREATE TABLE "NoticeBatch" (
    "id" UUID NOT NULL,
    "uploadHash" TEXT NOT NULL,
    "status" "NoticeBatchStatus" NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "titleEn" TEXT,
    "bodyEn" TEXT,
    "fileName" TEXT NOT NULL,
    "variables" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "totalLines" INTEGER NOT NULL,
    "createdById" UUID NOT NULL,
    "approvedById" UUID,
    "approvedAt" TIMESTAMP(3),
    "leaseUntil" TIMESTAMP(3),
    "failureCode" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "NoticeBatch_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "NoticeLine" (
    "id" UUID NOT NULL,
    "batchId" UUID NOT NULL,
    "lineNumber" INTEGER NOT NULL,
    "registryNumber" TEXT NOT NULL,
    "values" JSONB NOT NULL DEFAULT '{}',
    "status" "NoticeLineStatus" NOT NULL DEFAULT 'PENDING',
    "refusalCode" TEXT,
    "documentId" UUID,
    "decidedAt" TIMESTAMP(3),

    CONSTRAINT "NoticeLine_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "NoticeBatch_uploadHash_key" ON "NoticeBatch"("uploadHash");

-- CreateIndex
CREATE INDEX "NoticeBatch_createdAt_idx" ON "NoticeBatch"("createdAt");

-- CreateIndex
CREATE INDEX "NoticeBatch_status_idx" ON "NoticeBatch"("status");

-- CreateIndex
CREATE INDEX "NoticeBatch_createdById_idx" ON "NoticeBatch"("createdById");

-- CreateIndex
CREATE INDEX "NoticeBatch_approvedById_idx" ON "NoticeBatch"("approvedById");

-- CreateIndex
CREATE UNIQUE INDEX "NoticeLine_documentId_key" ON "NoticeLine"("documentId");

-- CreateIndex
CREATE INDEX "NoticeLine_batchId_status_idx" ON "NoticeLine"("batchId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "NoticeLine_batchId_lineNumber_key" ON "NoticeLine"("batchId", "lineNumber");

-- AddForeignKey
ALTER TABLE "NoticeBatch" ADD CONSTRAINT "NoticeBatch_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "StaffMember"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "NoticeBatch" ADD CONSTRAINT "NoticeBatch_approvedById_fkey" FOREIGN KEY ("approvedById") REFERENCES "StaffMember"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "NoticeLine" ADD CONSTRAINT "NoticeLine_batchId_fkey" FOREIGN KEY ("batchId") REFERENCES "NoticeBatch"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "NoticeLine" ADD CONSTRAINT "NoticeLine_documentId_fkey" FOREIGN KEY ("documentId") REFERENCES "MailboxDocument"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- CreateEnum
CREATE TYPE "IdentityVerificationStatus" AS ENUM ('VERIFIED', 'REJECTED');

-- CreateEnum
CREATE TYPE "CertificateWatchStatus" AS ENUM ('ACTIVE', 'REVOKED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "WebhookDeliveryStatus" AS ENUM ('PENDING', 'SENDING', 'DELIVERED', 'DEAD');

-- CreateTable
CREATE TABLE "IdentityVerification" (
    "id" UUID NOT NULL,
    "partnerId" UUID NOT NULL,
    "credentialId" UUID NOT NULL,
    "purpose" TEXT NOT NULL,
    "status" "IdentityVerificationStatus" NOT NULL,
    "failureCode" TEXT,
    "checks" JSONB NOT NULL,
    "signerIssuerDn" TEXT NOT NULL,
    "signerSerialNumber" TEXT NOT NULL,
    "signerIssuerFingerprint" TEXT,
    "signerNotAfter" TIMESTAMP(3) NOT NULL,
    "signingTime" TIMESTAMP(3),
    "contentHash" TEXT NOT NULL,
    "facts" JSONB,
    "residentId" UUID,
    "revocationSource" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "IdentityVerification_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CertificateWatch" (
    "id" UUID NOT NULL,
    "partnerId" UUID NOT NULL,
    "credentialId" UUID NOT NULL,
    "verificationId" UUID NOT NULL,
    "residentId" UUID,
    "issuerDn" TEXT NOT NULL,
    "issuerFingerprint" TEXT NOT NULL,
    "serialNumber" TEXT NOT NULL,
    "factsAllowed" BOOLEAN NOT NULL DEFAULT false,
    "status" "CertificateWatchStatus" NOT NULL DEFAULT 'ACTIVE',
    "revokedAt" TIMESTAMP(3),
    "revocationReason" TEXT,
    "lastCheckedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CertificateWatch_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ChangeCheckRun" (
    "id" UUID NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),
    "watched" INTEGER NOT NULL DEFAULT 0,
    "crlEntries" INTEGER NOT NULL DEFAULT 0,
    "crlHits" INTEGER NOT NULL DEFAULT 0,
    "confirmed" INTEGER NOT NULL DEFAULT 0,
    "failures" JSONB NOT NULL DEFAULT '[]',

    CONSTRAINT "ChangeCheckRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebhookEndpoint" (
    "id" UUID NOT NULL,
    "partnerId" UUID NOT NULL,
    "url" TEXT NOT NULL,
    "description" TEXT,
    "eventTypes" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "secret" TEXT NOT NULL,
    "secretHint" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "disabledAt" TIMESTAMP(3),

    CONSTRAINT "WebhookEndpoint_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebhookEvent" (
    "id" TEXT NOT NULL,
    "partnerId" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WebhookEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebhookDelivery" (
    "id" TEXT NOT NULL,
    "eventId" TEXT NOT NULL,
    "endpointId" UUID NOT NULL,
    "partnerId" UUID NOT NULL,
    "status" "WebhookDeliveryStatus" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lockedUntil" TIMESTAMP(3),
    "lastStatusCode" INTEGER,
    "lastError" TEXT,
    "deliveredAt" TIMESTAMP(3),
    "deadAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WebhookDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebhookAttempt" (
    "id" UUID NOT NULL,
    "deliveryId" TEXT NOT NULL,
    "attempt" INTEGER NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "durationMs" INTEGER NOT NULL,
    "statusCode" INTEGER,
    "error" TEXT,
    "replay" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "WebhookAttempt_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ResidentNotice" (
    "id" UUID NOT NULL,
    "residentId" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "data" JSONB NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "readAt" TIMESTAMP(3),

    CONSTRAINT "ResidentNotice_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "IdentityVerification_partnerId_createdAt_idx" ON "IdentityVerification"("partnerId", "createdAt");

-- CreateIndex
CREATE INDEX "IdentityVerification_signerIssuerDn_signerSerialNumber_idx" ON "IdentityVerification"("signerIssuerDn", "signerSerialNumber");

-- CreateIndex
CREATE INDEX "CertificateWatch_status_issuerFingerprint_idx" ON "CertificateWatch"("status", "issuerFingerprint");

-- CreateIndex
CREATE INDEX "CertificateWatch_issuerFingerprint_serialNumber_idx" ON "CertificateWatch"("issuerFingerprint", "serialNumber");

-- CreateIndex
CREATE UNIQUE INDEX "CertificateWatch_partnerId_issuerFingerprint_serialNumber_key" ON "CertificateWatch"("partnerId", "issuerFingerprint", "serialNumber");

-- CreateIndex
CREATE INDEX "WebhookEndpoint_partnerId_idx" ON "WebhookEndpoint"("partnerId");

-- CreateIndex
CREATE INDEX "WebhookEvent_partnerId_createdAt_idx" ON "WebhookEvent"("partnerId", "createdAt");

-- CreateIndex
CREATE INDEX "WebhookDelivery_status_nextAttemptAt_idx" ON "WebhookDelivery"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "WebhookDelivery_partnerId_createdAt_idx" ON "WebhookDelivery"("partnerId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "WebhookDelivery_eventId_endpointId_key" ON "WebhookDelivery"("eventId", "endpointId");

-- CreateIndex
CREATE INDEX "WebhookAttempt_deliveryId_attempt_idx" ON "WebhookAttempt"("deliveryId", "attempt");

-- CreateIndex
CREATE INDEX "ResidentNotice_residentId_createdAt_idx" ON "ResidentNotice"("residentId", "createdAt");

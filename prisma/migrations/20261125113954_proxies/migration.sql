-- CreateEnum
CREATE TYPE "ProxyAccess" AS ENUM ('READ', 'READ_ACT');

-- CreateTable
CREATE TABLE "ProxyGrant" (
    "id" UUID NOT NULL,
    "principalId" UUID NOT NULL,
    "proxyId" UUID NOT NULL,
    "access" "ProxyAccess" NOT NULL,
    "domains" TEXT[],
    "endsAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "ProxyGrant_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProxyNotice" (
    "id" UUID NOT NULL,
    "principalId" UUID NOT NULL,
    "grantId" UUID NOT NULL,
    "proxyId" UUID NOT NULL,
    "action" TEXT NOT NULL,
    "documentId" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ProxyNotice_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProxyProtection" (
    "residentId" UUID NOT NULL,
    "frozenAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ProxyProtection_pkey" PRIMARY KEY ("residentId")
);

-- CreateIndex
CREATE INDEX "ProxyGrant_principalId_createdAt_idx" ON "ProxyGrant"("principalId", "createdAt");

-- CreateIndex
CREATE INDEX "ProxyGrant_proxyId_principalId_idx" ON "ProxyGrant"("proxyId", "principalId");

-- CreateIndex
CREATE INDEX "ProxyNotice_principalId_createdAt_idx" ON "ProxyNotice"("principalId", "createdAt");

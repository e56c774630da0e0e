-- CreateTable
CREATE TABLE "CrossDeviceLogin" (
    "id" UUID NOT NULL,
    "codeHash" TEXT NOT NULL,
    "bindingHash" TEXT NOT NULL,
    "confirmation" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "approvedAt" TIMESTAMP(3),
    "residentId" UUID,
    "completedAt" TIMESTAMP(3),

    CONSTRAINT "CrossDeviceLogin_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "CrossDeviceLogin_codeHash_key" ON "CrossDeviceLogin"("codeHash");

-- CreateIndex
CREATE INDEX "CrossDeviceLogin_expiresAt_idx" ON "CrossDeviceLogin"("expiresAt");

-- CreateTable
CREATE TABLE "PartnerRegistration" (
    "partnerId" UUID NOT NULL,
    "corporateNumber" TEXT NOT NULL,
    "ownerName" TEXT NOT NULL,
    "ownerEmail" TEXT NOT NULL,
    "registeredById" UUID NOT NULL,
    "registeredAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "certificateDer" BYTEA,
    "certificateSerial" TEXT,
    "certificateNotAfter" TIMESTAMP(3),
    "suspendedAt" TIMESTAMP(3),
    "suspendedReason" TEXT,

    CONSTRAINT "PartnerRegistration_pkey" PRIMARY KEY ("partnerId")
);

-- CreateTable
CREATE TABLE "PartnerInvitation" (
    "id" UUID NOT NULL,
    "partnerUserId" UUID NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),
    "createdById" UUID NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PartnerInvitation_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "PartnerRegistration_corporateNumber_key" ON "PartnerRegistration"("corporateNumber");

-- CreateIndex
CREATE INDEX "PartnerRegistration_registeredById_idx" ON "PartnerRegistration"("registeredById");

-- CreateIndex
CREATE UNIQUE INDEX "PartnerInvitation_tokenHash_key" ON "PartnerInvitation"("tokenHash");

-- CreateIndex
CREATE INDEX "PartnerInvitation_partnerUserId_idx" ON "PartnerInvitation"("partnerUserId");

-- CreateIndex
CREATE INDEX "PartnerInvitation_createdById_idx" ON "PartnerInvitation"("createdById");

-- AddForeignKey
ALTER TABLE "PartnerRegistration" ADD CONSTRAINT "PartnerRegistration_partnerId_fkey" FOREIGN KEY ("partnerId") REFERENCES "Partner"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PartnerRegistration" ADD CONSTRAINT "PartnerRegistration_registeredById_fkey" FOREIGN KEY ("registeredById") REFERENCES "StaffMember"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PartnerInvitation" ADD CONSTRAINT "PartnerInvitation_partnerUserId_fkey" FOREIGN KEY ("partnerUserId") REFERENCES "PartnerUser"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PartnerInvitation" ADD CONSTRAINT "PartnerInvitation_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "StaffMember"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- A 法人番号 is 13 digits (its check digit is validated in lib/partners/corporate-number.ts).
ALTER TABLE "PartnerRegistration" ADD CONSTRAINT "PartnerRegistration_corporateNumber_digits" CHECK ("corporateNumber" ~ '^[0-9]{13}$');

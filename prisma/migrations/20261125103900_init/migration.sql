-- CreateEnum
CREATE TYPE "Gender" AS ENUM ('MALE', 'FEMALE', 'UNKNOWN');

-- CreateEnum
CREATE TYPE "CertificateKind" AS ENUM ('AUTH', 'SIGN');

-- CreateEnum
CREATE TYPE "CertificateBindingStatus" AS ENUM ('ACTIVE', 'SUPERSEDED', 'REVOKED', 'EXPIRED');

-- CreateEnum
CREATE TYPE "StaffRole" AS ENUM ('CLERK', 'SUPERVISOR', 'DISASTER_OFFICER', 'HEALTH_OFFICER', 'ADMIN');

-- CreateEnum
CREATE TYPE "PartnerKind" AS ENUM ('GOVERNMENT', 'HEALTH_INSURER', 'LIFE_INSURER', 'BANK', 'HOSPITAL', 'BUS_OPERATOR', 'EMPLOYER', 'PAYMENT_PROCESSOR');

-- CreateEnum
CREATE TYPE "CredentialMode" AS ENUM ('TEST', 'LIVE');

-- CreateTable
CREATE TABLE "Resident" (
    "id" UUID NOT NULL,
    "registryNumber" TEXT NOT NULL,
    "familyName" TEXT NOT NULL,
    "givenName" TEXT NOT NULL,
    "familyNameKana" TEXT NOT NULL,
    "givenNameKana" TEXT NOT NULL,
    "dateOfBirth" DATE NOT NULL,
    "gender" "Gender" NOT NULL,
    "address" TEXT NOT NULL,
    "postalCode" TEXT NOT NULL,
    "districtId" UUID NOT NULL,
    "householdId" UUID NOT NULL,
    "householdRelation" TEXT NOT NULL,
    "language" TEXT NOT NULL DEFAULT 'ja',
    "needs" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "email" TEXT,
    "phone" TEXT,
    "leftAt" TIMESTAMP(3),
    "leftReason" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Resident_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "District" (
    "id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "nameKana" TEXT NOT NULL,
    "nameEn" TEXT NOT NULL,

    CONSTRAINT "District_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Household" (
    "id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "districtId" UUID NOT NULL,
    "address" TEXT NOT NULL,

    CONSTRAINT "Household_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CertificateBinding" (
    "id" UUID NOT NULL,
    "residentId" UUID NOT NULL,
    "kind" "CertificateKind" NOT NULL,
    "issuerDn" TEXT NOT NULL,
    "serialNumber" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "tokenType" TEXT NOT NULL DEFAULT 'card',
    "notBefore" TIMESTAMP(3) NOT NULL,
    "notAfter" TIMESTAMP(3) NOT NULL,
    "status" "CertificateBindingStatus" NOT NULL DEFAULT 'ACTIVE',
    "statusReason" TEXT,
    "replacesId" UUID,
    "boundAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "statusChangedAt" TIMESTAMP(3),

    CONSTRAINT "CertificateBinding_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StaffMember" (
    "id" UUID NOT NULL,
    "residentId" UUID NOT NULL,
    "employeeNumber" TEXT NOT NULL,
    "department" TEXT NOT NULL,
    "roles" "StaffRole"[],
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "StaffMember_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Partner" (
    "id" UUID NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "nameEn" TEXT NOT NULL,
    "kind" "PartnerKind" NOT NULL,
    "approvedScopes" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "contactEmail" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Partner_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PartnerCredential" (
    "id" UUID NOT NULL,
    "partnerId" UUID NOT NULL,
    "clientId" TEXT NOT NULL,
    "secretHash" TEXT NOT NULL,
    "secretHint" TEXT NOT NULL,
    "scopes" TEXT[],
    "mode" "CredentialMode" NOT NULL DEFAULT 'TEST',
    "rateLimit" INTEGER NOT NULL DEFAULT 600,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),
    "lastUsedAt" TIMESTAMP(3),

    CONSTRAINT "PartnerCredential_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "seq" BIGINT NOT NULL,
    "id" UUID NOT NULL,
    "occurredAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "type" TEXT NOT NULL,
    "actorType" TEXT NOT NULL,
    "actorId" TEXT,
    "subjectResidentId" UUID,
    "purpose" TEXT,
    "channel" TEXT,
    "ip" TEXT,
    "userAgent" TEXT,
    "data" JSONB NOT NULL DEFAULT '{}',
    "prevHash" TEXT NOT NULL,
    "hash" TEXT NOT NULL,

    CONSTRAINT "AuditEvent_pkey" PRIMARY KEY ("seq")
);

-- CreateIndex
CREATE UNIQUE INDEX "Resident_registryNumber_key" ON "Resident"("registryNumber");

-- CreateIndex
CREATE INDEX "Resident_districtId_idx" ON "Resident"("districtId");

-- CreateIndex
CREATE INDEX "Resident_householdId_idx" ON "Resident"("householdId");

-- CreateIndex
CREATE UNIQUE INDEX "District_code_key" ON "District"("code");

-- CreateIndex
CREATE UNIQUE INDEX "Household_code_key" ON "Household"("code");

-- CreateIndex
CREATE UNIQUE INDEX "CertificateBinding_fingerprint_key" ON "CertificateBinding"("fingerprint");

-- CreateIndex
CREATE INDEX "CertificateBinding_residentId_idx" ON "CertificateBinding"("residentId");

-- CreateIndex
CREATE UNIQUE INDEX "CertificateBinding_issuerDn_serialNumber_key" ON "CertificateBinding"("issuerDn", "serialNumber");

-- CreateIndex
CREATE UNIQUE INDEX "StaffMember_residentId_key" ON "StaffMember"("residentId");

-- CreateIndex
CREATE UNIQUE INDEX "StaffMember_employeeNumber_key" ON "StaffMember"("employeeNumber");

-- CreateIndex
CREATE UNIQUE INDEX "Partner_slug_key" ON "Partner"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "PartnerCredential_clientId_key" ON "PartnerCredential"("clientId");

-- CreateIndex
CREATE INDEX "PartnerCredential_partnerId_idx" ON "PartnerCredential"("partnerId");

-- CreateIndex
CREATE UNIQUE INDEX "AuditEvent_id_key" ON "AuditEvent"("id");

-- CreateIndex
CREATE UNIQUE INDEX "AuditEvent_hash_key" ON "AuditEvent"("hash");

-- CreateIndex
CREATE INDEX "AuditEvent_subjectResidentId_occurredAt_idx" ON "AuditEvent"("subjectResidentId", "occurredAt");

-- CreateIndex
CREATE INDEX "AuditEvent_type_idx" ON "AuditEvent"("type");

-- AddForeignKey
ALTER TABLE "Resident" ADD CONSTRAINT "Resident_districtId_fkey" FOREIGN KEY ("districtId") REFERENCES "District"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Resident" ADD CONSTRAINT "Resident_householdId_fkey" FOREIGN KEY ("householdId") REFERENCES "Household"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Household" ADD CONSTRAINT "Household_districtId_fkey" FOREIGN KEY ("districtId") REFERENCES "District"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CertificateBinding" ADD CONSTRAINT "CertificateBinding_residentId_fkey" FOREIGN KEY ("residentId") REFERENCES "Resident"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CertificateBinding" ADD CONSTRAINT "CertificateBinding_replacesId_fkey" FOREIGN KEY ("replacesId") REFERENCES "CertificateBinding"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StaffMember" ADD CONSTRAINT "StaffMember_residentId_fkey" FOREIGN KEY ("residentId") REFERENCES "Resident"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PartnerCredential" ADD CONSTRAINT "PartnerCredential_partnerId_fkey" FOREIGN KEY ("partnerId") REFERENCES "Partner"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- The audit log is append-only: rows can be added, never changed or removed (TRUNCATE, used only
-- by test resets, is a statement-level operation and is not affected).
CREATE FUNCTION "audit_event_append_only"() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'AuditEvent is append-only' USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "AuditEvent_append_only" BEFORE UPDATE OR DELETE ON "AuditEvent"
  FOR EACH ROW EXECUTE FUNCTION "audit_event_append_only"();

-- CreateTable
CREATE TABLE "SimulatedProcessorToken" (
    "id" TEXT NOT NULL,
    "cardNumber" TEXT NOT NULL,
    "brand" TEXT NOT NULL,
    "last4" TEXT NOT NULL,
    "expMonth" INTEGER NOT NULL,
    "expYear" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SimulatedProcessorToken_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SimulatedProcessorRegistration" (
    "id" TEXT NOT NULL,
    "tokenId" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "redeemedAt" TIMESTAMP(3),

    CONSTRAINT "SimulatedProcessorRegistration_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SimulatedProcessorCharge" (
    "id" TEXT NOT NULL,
    "idempotencyKey" TEXT NOT NULL,
    "tokenId" TEXT NOT NULL,
    "amountYen" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SimulatedProcessorCharge_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PaymentMethod" (
    "id" UUID NOT NULL,
    "residentId" UUID NOT NULL,
    "processorId" UUID NOT NULL,
    "token" TEXT NOT NULL,
    "brand" TEXT NOT NULL,
    "last4" TEXT NOT NULL,
    "expMonth" INTEGER NOT NULL,
    "expYear" INTEGER NOT NULL,
    "linkedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "unlinkedAt" TIMESTAMP(3),

    CONSTRAINT "PaymentMethod_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PaymentLinkRequest" (
    "id" UUID NOT NULL,
    "residentId" UUID NOT NULL,
    "processorId" UUID NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PaymentLinkRequest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "HospitalVisitPayment" (
    "id" UUID NOT NULL,
    "visitId" UUID NOT NULL,
    "paymentMethodId" UUID,
    "amountYen" INTEGER NOT NULL,
    "chargeId" TEXT,
    "paidAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "HospitalVisitPayment_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "SimulatedProcessorRegistration_tokenId_idx" ON "SimulatedProcessorRegistration"("tokenId");

-- CreateIndex
CREATE UNIQUE INDEX "SimulatedProcessorCharge_idempotencyKey_key" ON "SimulatedProcessorCharge"("idempotencyKey");

-- CreateIndex
CREATE INDEX "SimulatedProcessorCharge_tokenId_idx" ON "SimulatedProcessorCharge"("tokenId");

-- CreateIndex
CREATE INDEX "PaymentMethod_residentId_idx" ON "PaymentMethod"("residentId");

-- CreateIndex
CREATE INDEX "PaymentMethod_processorId_idx" ON "PaymentMethod"("processorId");

-- CreateIndex
CREATE INDEX "PaymentLinkRequest_residentId_idx" ON "PaymentLinkRequest"("residentId");

-- CreateIndex
CREATE INDEX "PaymentLinkRequest_processorId_idx" ON "PaymentLinkRequest"("processorId");

-- CreateIndex
CREATE UNIQUE INDEX "HospitalVisitPayment_visitId_key" ON "HospitalVisitPayment"("visitId");

-- CreateIndex
CREATE INDEX "HospitalVisitPayment_paymentMethodId_idx" ON "HospitalVisitPayment"("paymentMethodId");

-- AddForeignKey
ALTER TABLE "SimulatedProcessorRegistration" ADD CONSTRAINT "SimulatedProcessorRegistration_tokenId_fkey" FOREIGN KEY ("tokenId") REFERENCES "SimulatedProcessorToken"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SimulatedProcessorCharge" ADD CONSTRAINT "SimulatedProcessorCharge_tokenId_fkey" FOREIGN KEY ("tokenId") REFERENCES "SimulatedProcessorToken"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PaymentMethod" ADD CONSTRAINT "PaymentMethod_residentId_fkey" FOREIGN KEY ("residentId") REFERENCES "Resident"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PaymentMethod" ADD CONSTRAINT "PaymentMethod_processorId_fkey" FOREIGN KEY ("processorId") REFERENCES "Partner"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PaymentLinkRequest" ADD CONSTRAINT "PaymentLinkRequest_residentId_fkey" FOREIGN KEY ("residentId") REFERENCES "Resident"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PaymentLinkRequest" ADD CONSTRAINT "PaymentLinkRequest_processorId_fkey" FOREIGN KEY ("processorId") REFERENCES "Partner"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HospitalVisitPayment" ADD CONSTRAINT "HospitalVisitPayment_visitId_fkey" FOREIGN KEY ("visitId") REFERENCES "HospitalVisit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HospitalVisitPayment" ADD CONSTRAINT "HospitalVisitPayment_paymentMethodId_fkey" FOREIGN KEY ("paymentMethodId") REFERENCES "PaymentMethod"("id") ON DELETE SET NULL ON UPDATE CASCADE;

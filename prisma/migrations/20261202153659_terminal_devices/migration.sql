-- CreateEnum
CREATE TYPE "TerminalMode" AS ENUM ('HOSPITAL', 'BUS');

-- CreateTable
CREATE TABLE "TerminalDevice" (
    "id" UUID NOT NULL,
    "partnerId" UUID NOT NULL,
    "label" TEXT NOT NULL,
    "mode" "TerminalMode" NOT NULL,
    "enrolmentCodeHash" TEXT,
    "enrolmentExpiresAt" TIMESTAMP(3),
    "tokenHash" TEXT,
    "enrolledAt" TIMESTAMP(3),
    "lastSeenAt" TIMESTAMP(3),
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TerminalDevice_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "TerminalDevice_enrolmentCodeHash_key" ON "TerminalDevice"("enrolmentCodeHash");

-- CreateIndex
CREATE UNIQUE INDEX "TerminalDevice_tokenHash_key" ON "TerminalDevice"("tokenHash");

-- CreateIndex
CREATE UNIQUE INDEX "TerminalDevice_partnerId_label_key" ON "TerminalDevice"("partnerId", "label");

-- AddForeignKey
ALTER TABLE "TerminalDevice" ADD CONSTRAINT "TerminalDevice_partnerId_fkey" FOREIGN KEY ("partnerId") REFERENCES "Partner"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

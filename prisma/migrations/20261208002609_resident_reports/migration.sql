-- CreateEnum
CREATE TYPE "ReportCategory" AS ENUM ('ROAD_DAMAGE', 'DISASTER_DAMAGE', 'CONGESTION', 'ACCESSIBILITY', 'TOURISM');

-- CreateEnum
CREATE TYPE "ReportStatus" AS ENUM ('OPEN', 'ACKNOWLEDGED', 'IN_PROGRESS', 'CLOSED');

-- CreateEnum
CREATE TYPE "ReportSource" AS ENUM ('WEB', 'OPEN311');

-- CreateTable
CREATE TABLE "Report" (
    "id" UUID NOT NULL,
    "category" "ReportCategory" NOT NULL,
    "description" TEXT NOT NULL,
    "latitude" DOUBLE PRECISION NOT NULL,
    "longitude" DOUBLE PRECISION NOT NULL,
    "districtId" UUID NOT NULL,
    "status" "ReportStatus" NOT NULL DEFAULT 'OPEN',
    "publicNote" TEXT,
    "reporterResidentId" UUID,
    "trackingTokenHash" TEXT,
    "weight" INTEGER NOT NULL DEFAULT 1,
    "source" "ReportSource" NOT NULL DEFAULT 'WEB',
    "partnerId" UUID,
    "department" TEXT,
    "assigneeStaffId" UUID,
    "roadSegmentId" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Report_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReportPhoto" (
    "reportId" UUID NOT NULL,
    "contentType" TEXT NOT NULL,
    "bytes" BYTEA NOT NULL,
    "width" INTEGER NOT NULL,
    "height" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ReportPhoto_pkey" PRIMARY KEY ("reportId")
);

-- CreateTable
CREATE TABLE "ReportStatusEvent" (
    "id" UUID NOT NULL,
    "reportId" UUID NOT NULL,
    "status" "ReportStatus" NOT NULL,
    "note" TEXT,
    "staffId" UUID,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ReportStatusEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RoadSegment" (
    "id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "nameEn" TEXT NOT NULL,
    "geometry" JSONB NOT NULL,
    "speedLimitKmh" INTEGER NOT NULL,
    "closed" BOOLEAN NOT NULL DEFAULT false,
    "closedReason" TEXT,
    "closedAt" TIMESTAMP(3),
    "closedByStaffId" UUID,
    "closedByReportId" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RoadSegment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProbePoint" (
    "id" UUID NOT NULL,
    "partnerId" UUID NOT NULL,
    "vehicleRef" TEXT NOT NULL,
    "recordedAt" TIMESTAMP(3) NOT NULL,
    "latitude" DOUBLE PRECISION NOT NULL,
    "longitude" DOUBLE PRECISION NOT NULL,
    "speedKmh" DOUBLE PRECISION NOT NULL,
    "segmentId" UUID,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ProbePoint_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TrafficMonitor" (
    "id" UUID NOT NULL,
    "residentId" UUID NOT NULL,
    "optedInAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "withdrawnAt" TIMESTAMP(3),

    CONSTRAINT "TrafficMonitor_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Report_trackingTokenHash_key" ON "Report"("trackingTokenHash");

-- CreateIndex
CREATE INDEX "Report_status_createdAt_idx" ON "Report"("status", "createdAt");

-- CreateIndex
CREATE INDEX "Report_reporterResidentId_idx" ON "Report"("reporterResidentId");

-- CreateIndex
CREATE INDEX "Report_roadSegmentId_createdAt_idx" ON "Report"("roadSegmentId", "createdAt");

-- CreateIndex
CREATE INDEX "ReportStatusEvent_reportId_at_idx" ON "ReportStatusEvent"("reportId", "at");

-- CreateIndex
CREATE UNIQUE INDEX "RoadSegment_code_key" ON "RoadSegment"("code");

-- CreateIndex
CREATE INDEX "ProbePoint_segmentId_recordedAt_idx" ON "ProbePoint"("segmentId", "recordedAt");

-- CreateIndex
CREATE INDEX "ProbePoint_partnerId_receivedAt_idx" ON "ProbePoint"("partnerId", "receivedAt");

-- CreateIndex
CREATE INDEX "TrafficMonitor_residentId_idx" ON "TrafficMonitor"("residentId");

-- AddForeignKey
ALTER TABLE "Report" ADD CONSTRAINT "Report_districtId_fkey" FOREIGN KEY ("districtId") REFERENCES "District"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Report" ADD CONSTRAINT "Report_reporterResidentId_fkey" FOREIGN KEY ("reporterResidentId") REFERENCES "Resident"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Report" ADD CONSTRAINT "Report_partnerId_fkey" FOREIGN KEY ("partnerId") REFERENCES "Partner"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Report" ADD CONSTRAINT "Report_assigneeStaffId_fkey" FOREIGN KEY ("assigneeStaffId") REFERENCES "StaffMember"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Report" ADD CONSTRAINT "Report_roadSegmentId_fkey" FOREIGN KEY ("roadSegmentId") REFERENCES "RoadSegment"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReportPhoto" ADD CONSTRAINT "ReportPhoto_reportId_fkey" FOREIGN KEY ("reportId") REFERENCES "Report"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReportStatusEvent" ADD CONSTRAINT "ReportStatusEvent_reportId_fkey" FOREIGN KEY ("reportId") REFERENCES "Report"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReportStatusEvent" ADD CONSTRAINT "ReportStatusEvent_staffId_fkey" FOREIGN KEY ("staffId") REFERENCES "StaffMember"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RoadSegment" ADD CONSTRAINT "RoadSegment_closedByStaffId_fkey" FOREIGN KEY ("closedByStaffId") REFERENCES "StaffMember"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RoadSegment" ADD CONSTRAINT "RoadSegment_closedByReportId_fkey" FOREIGN KEY ("closedByReportId") REFERENCES "Report"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProbePoint" ADD CONSTRAINT "ProbePoint_partnerId_fkey" FOREIGN KEY ("partnerId") REFERENCES "Partner"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProbePoint" ADD CONSTRAINT "ProbePoint_segmentId_fkey" FOREIGN KEY ("segmentId") REFERENCES "RoadSegment"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TrafficMonitor" ADD CONSTRAINT "TrafficMonitor_residentId_fkey" FOREIGN KEY ("residentId") REFERENCES "Resident"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- One active traffic-monitor opt-in per resident (lib/reports/monitors.ts).
CREATE UNIQUE INDEX "TrafficMonitor_active_key" ON "TrafficMonitor"("residentId") WHERE "withdrawnAt" IS NULL;

-- A report's weight is 1 (anyone) or 2 (a traffic monitor); probe speeds are not negative.
ALTER TABLE "Report" ADD CONSTRAINT "Report_weight_check" CHECK ("weight" IN (1, 2));
ALTER TABLE "ProbePoint" ADD CONSTRAINT "ProbePoint_speed_check" CHECK ("speedKmh" >= 0);

-- Every foreign key leads an index.
CREATE INDEX "Report_districtId_idx" ON "Report"("districtId");
CREATE INDEX "Report_partnerId_idx" ON "Report"("partnerId");
CREATE INDEX "Report_assigneeStaffId_idx" ON "Report"("assigneeStaffId");
CREATE INDEX "ReportStatusEvent_staffId_idx" ON "ReportStatusEvent"("staffId");
CREATE INDEX "RoadSegment_closedByStaffId_idx" ON "RoadSegment"("closedByStaffId");
CREATE INDEX "RoadSegment_closedByReportId_idx" ON "RoadSegment"("closedByReportId");

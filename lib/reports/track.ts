import { z } from "zod";
import { sha256Hex } from "../crypto/sha256";
import type { PrismaClient } from "../db/client";
import { AppError } from "../errors/app-error";
import type { TReportCategory, TReportStatus } from "./categories";

/** What the reporter sees of their report: never staff names or other reporters. */
export type TReporterView = {
  id: string;
  category: TReportCategory;
  description: string;
  latitude: number;
  longitude: number;
  status: TReportStatus;
  publicNote: string | null;
  hasPhoto: boolean;
  createdAt: Date;
  history: { status: TReportStatus; note: string | null; at: Date }[];
};

const SELECT = {
  id: true,
  category: true,
  description: true,
  latitude: true,
  longitude: true,
  status: true,
  publicNote: true,
  createdAt: true,
  photo: { select: { reportId: true } },
  events: { select: { status: true, note: true, at: true }, orderBy: { at: "asc" } },
} as const;

type TRow = {
  id: string;
  category: TReportCategory;
  description: string;
  latitude: number;
  longitude: number;
  status: TReportStatus;
  publicNote: string | null;
  createdAt: Date;
  photo: { reportId: string } | null;
  events: { status: TReportStatus; note: string | null; at: Date }[];
};

const view = (r: TRow): TReporterView => ({
  id: r.id,
  category: r.category,
  description: r.description,
  latitude: r.latitude,
  longitude: r.longitude,
  status: r.status,
  publicNote: r.publicNote,
  hasPhoto: r.photo !== null,
  createdAt: r.createdAt,
  history: r.events,
});

const ZToken = z.string().regex(/^[A-Za-z0-9_-]{32}$/);

/** A visitor's report through its private tracking token; a wrong token is REPORT_NOT_FOUND. */
export async function reportByTrackingToken(prisma: PrismaClient, token: string): Promise<TReporterView> {
  if (!ZToken.safeParse(token).success) throw new AppError("REPORT_NOT_FOUND");
  const row = await prisma.report.findUnique({ where: { trackingTokenHash: sha256Hex(token) }, select: SELECT });
  if (!row) throw new AppError("REPORT_NOT_FOUND");
  return view(row);
}

/** A resident's own reports, newest first. */
export async function reportsOfResident(prisma: PrismaClient, residentId: string): Promise<TReporterView[]> {
  const rows = await prisma.report.findMany({
    where: { reporterResidentId: residentId },
    orderBy: { createdAt: "desc" },
    take: 100,
    select: SELECT,
  });
  return rows.map(view);
}

/**
 * The Open311 GeoReport v2 view of reports (https://wiki.open311.org/GeoReport_v2): services are
 * the report categories, service requests the reports. Field names are the specification's
 * (service_request_id, status "open"/"closed", status_notes, requested_datetime, lat, long, …).
 * Photos are never published (media_url is always empty): they go to staff and the reporter only.
 */
import { z } from "zod";
import type { PrismaClient } from "../db/client";
import { AppError } from "../errors/app-error";
import { REPORT_CATEGORIES, type TReportCategory, type TReportStatus } from "./categories";

const SERVICE: Record<
  TReportCategory,
  { code: string; name: string; description: string; keywords: string; group: string }
> = {
  ROAD_DAMAGE: {
    code: "road_damage",
    name: "道路の損傷 Road damage",
    description: "Potholes, cracks, fallen objects or damaged signs on a road.",
    keywords: "road,pothole,道路",
    group: "roads",
  },
  DISASTER_DAMAGE: {
    code: "disaster_damage",
    name: "災害被害 Disaster damage",
    description: "Landslides, flooding, fallen trees or other damage from a disaster.",
    keywords: "disaster,flood,landslide,災害",
    group: "disaster",
  },
  CONGESTION: {
    code: "congestion",
    name: "渋滞・混雑 Congestion",
    description: "Traffic congestion or crowding at a place.",
    keywords: "traffic,congestion,渋滞",
    group: "roads",
  },
  ACCESSIBILITY: {
    code: "accessibility",
    name: "バリア Barriers for the elderly and wheelchairs",
    description: "Steps, blocked footpaths or other barriers for the elderly and wheelchair users.",
    keywords: "barrier,wheelchair,バリアフリー",
    group: "accessibility",
  },
  TOURISM: {
    code: "tourism",
    name: "観光情報 Tourist information",
    description: "Information for visitors: a closed sight, a useful spot, a wrong sign.",
    keywords: "tourism,観光",
    group: "tourism",
  },
};

export const OPEN311_SERVICES = REPORT_CATEGORIES.map((c) => ({
  service_code: SERVICE[c].code,
  service_name: SERVICE[c].name,
  description: SERVICE[c].description,
  metadata: false,
  type: "realtime" as const,
  keywords: SERVICE[c].keywords,
  group: SERVICE[c].group,
}));

/** The category of an Open311 service_code (OPEN311_SERVICE_UNKNOWN otherwise). */
export function categoryOfServiceCode(code: string): TReportCategory {
  const found = REPORT_CATEGORIES.find((c) => SERVICE[c].code === code);
  if (!found) throw new AppError("OPEN311_SERVICE_UNKNOWN");
  return found;
}

export const open311StatusOf = (s: TReportStatus): "open" | "closed" => (s === "CLOSED" ? "closed" : "open");

/** The agency named in agency_responsible. */
export const OPEN311_AGENCY = "一枚町役場 Ichimai Town Office";

type TRow = {
  id: string;
  category: TReportCategory;
  description: string;
  latitude: number;
  longitude: number;
  status: TReportStatus;
  publicNote: string | null;
  department: string | null;
  createdAt: Date;
  updatedAt: Date;
  district: { name: string };
};

export type TOpen311Request = {
  service_request_id: string;
  status: "open" | "closed";
  status_notes: string | null;
  service_name: string;
  service_code: string;
  description: string;
  agency_responsible: string;
  service_notice: string | null;
  requested_datetime: string;
  updated_datetime: string;
  expected_datetime: string | null;
  address: string;
  address_id: string | null;
  zipcode: string | null;
  lat: number;
  long: number;
  media_url: string;
};

const SELECT = {
  id: true,
  category: true,
  description: true,
  latitude: true,
  longitude: true,
  status: true,
  publicNote: true,
  department: true,
  createdAt: true,
  updatedAt: true,
  district: { select: { name: true } },
} as const;

function toRequest(r: TRow): TOpen311Request {
  return {
    service_request_id: r.id,
    status: open311StatusOf(r.status),
    status_notes: r.publicNote,
    service_name: SERVICE[r.category].name,
    service_code: SERVICE[r.category].code,
    description: r.description,
    agency_responsible: r.department ? `${OPEN311_AGENCY} ${r.department}` : OPEN311_AGENCY,
    service_notice: null,
    requested_datetime: r.createdAt.toISOString(),
    updated_datetime: r.updatedAt.toISOString(),
    expected_datetime: null,
    // The district, never a resident's address: the point itself is in lat/long.
    address: r.district.name,
    address_id: null,
    zipcode: null,
    lat: r.latitude,
    long: r.longitude,
    media_url: "",
  };
}

const ZDate = z.iso.datetime({ offset: true });
const csv = (v: string | null | undefined) =>
  v
    ? v
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean)
    : [];

/** GET requests.json query (the specification's parameters). */
export const ZOpen311Query = z.object({
  service_request_id: z.string().max(4000).optional(),
  service_code: z.string().max(500).optional(),
  status: z.string().max(20).optional(),
  start_date: ZDate.optional(),
  end_date: ZDate.optional(),
});

/** Default window when no start_date is given (the specification suggests 90 days) and the cap. */
export const OPEN311_DEFAULT_DAYS = 90;
export const OPEN311_MAX_RESULTS = 1000;

export async function listOpen311Requests(
  prisma: PrismaClient,
  query: z.input<typeof ZOpen311Query>,
  now = new Date(),
): Promise<TOpen311Request[]> {
  const q = ZOpen311Query.parse(query);
  const ids = csv(q.service_request_id);
  if (ids.some((id) => !z.uuid().safeParse(id).success)) return [];
  const categories = csv(q.service_code).map(categoryOfServiceCode);
  const statuses = csv(q.status);
  if (statuses.some((s) => s !== "open" && s !== "closed")) {
    throw new AppError("VALIDATION_FAILED", { message: "status is open or closed." });
  }
  const end = q.end_date ? new Date(q.end_date) : null;
  const start = q.start_date
    ? new Date(q.start_date)
    : ids.length > 0
      ? null
      : new Date((end ?? now).getTime() - OPEN311_DEFAULT_DAYS * 86_400_000);
  const rows = await prisma.report.findMany({
    where: {
      ...(ids.length ? { id: { in: ids } } : {}),
      ...(categories.length ? { category: { in: categories } } : {}),
      ...(statuses.length === 1
        ? statuses[0] === "closed"
          ? { status: "CLOSED" }
          : { status: { not: "CLOSED" } }
        : {}),
      ...(start || end ? { createdAt: { ...(start ? { gte: start } : {}), ...(end ? { lte: end } : {}) } } : {}),
    },
    orderBy: { createdAt: "desc" },
    take: OPEN311_MAX_RESULTS,
    select: SELECT,
  });
  return rows.map(toRequest);
}

export async function getOpen311Request(prisma: PrismaClient, id: string): Promise<TOpen311Request> {
  if (!z.uuid().safeParse(id).success) throw new AppError("REPORT_NOT_FOUND");
  const row = await prisma.report.findUnique({ where: { id }, select: SELECT });
  if (!row) throw new AppError("REPORT_NOT_FOUND");
  return toRequest(row);
}

/** POST requests.json fields (application/x-www-form-urlencoded per the specification, or JSON). */
export const ZOpen311Create = z.object({
  api_key: z.string().max(300).optional(),
  service_code: z.string().max(100),
  lat: z.string().max(40),
  long: z.string().max(40),
  description: z.string().max(4000),
});

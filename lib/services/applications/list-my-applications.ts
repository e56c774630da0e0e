import { z } from "zod";
import type { PrismaClient } from "@/lib/db/client";
import { applicationSelect, toApplicationSummaryDto } from "./dto";
import type { TApplicationSummaryDto } from "./schemas";

/** The resident's own applications, newest first (their own data: no access-log entry). */
export async function listMyApplications(
  db: PrismaClient,
  o: { residentId: string },
): Promise<TApplicationSummaryDto[]> {
  const rows = await db.serviceApplication.findMany({
    where: { residentId: o.residentId },
    orderBy: [{ submittedAt: "desc" }, { id: "asc" }],
    take: 100,
    select: applicationSelect,
  });
  return rows.map(toApplicationSummaryDto);
}

/** One of the resident's applications (NOT_FOUND for anyone else's). */
export async function getMyApplication(
  db: PrismaClient,
  o: { residentId: string; applicationId: string },
): Promise<TApplicationSummaryDto | null> {
  if (!z.uuid().safeParse(o.applicationId).success) return null;
  const row = await db.serviceApplication.findFirst({
    where: { id: o.applicationId, residentId: o.residentId },
    select: applicationSelect,
  });
  return row ? toApplicationSummaryDto(row) : null;
}

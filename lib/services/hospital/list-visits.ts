import type { TCredentialMode } from "../../credential-mode/credential-mode";
import type { PrismaClient } from "../../db/client";
import { hospitalVisitDto, VISIT_SELECT } from "./record-visit";
import type { THospitalVisitDto } from "./schemas";

/**
 * The hospital's visits, newest reception first (at most 100): what its back office records care
 * against. Only the credential's side of the sandbox boundary: a TEST credential sees sandbox
 * patients' visits, a LIVE one real patients'.
 */
export async function listVisits(
  prisma: PrismaClient,
  o: { hospitalId: string; mode: TCredentialMode; status?: "received" | "recorded" },
): Promise<THospitalVisitDto[]> {
  const rows = await prisma.hospitalVisit.findMany({
    where: {
      hospitalId: o.hospitalId,
      resident: { sandbox: o.mode === "TEST" },
      ...(o.status ? { status: o.status === "received" ? "RECEIVED" : "RECORDED" } : {}),
    },
    orderBy: [{ receivedAt: "desc" }, { id: "desc" }],
    take: 100,
    select: VISIT_SELECT,
  });
  return rows.map(hospitalVisitDto);
}

import { appendAuditEvent } from "../../audit/append-audit-event";
import type { TRequestMetadata } from "../../audit/schemas";
import { AppError } from "../../errors/app-error";
import { type TDisasterContext, disasterNow } from "../context";
import { requireShelterStaff } from "./dashboard";

/**
 * Staff (DISASTER_OFFICER / ADMIN) open or close a shelter. Closing leaves the people checked in
 * there counted (they check out or are transferred); a closed shelter checks no one new in
 * (SHELTER_CLOSED). Audited as `disaster.shelter_status_changed` (no resident named).
 */
export async function setShelterOpen(
  ctx: TDisasterContext,
  o: {
    shelterId: string;
    open: boolean;
    staff: { staffId: string; roles: readonly string[] };
    requestMetadata?: TRequestMetadata;
  },
): Promise<{ changed: boolean }> {
  requireShelterStaff(o.staff);
  const now = disasterNow(ctx);
  return ctx.prisma.$transaction(async (tx) => {
    const [row] = await tx.$queryRaw<{ id: string; open: boolean; code: string }[]>`
      SELECT "id", "open", "code" FROM "Shelter" WHERE "id"::text = ${o.shelterId} FOR UPDATE`;
    if (!row) throw new AppError("SHELTER_NOT_FOUND");
    if (row.open === o.open) return { changed: false };
    await tx.shelter.update({
      where: { id: row.id },
      data: { open: o.open, ...(o.open ? { openedAt: now } : {}) },
    });
    await appendAuditEvent(tx, {
      type: "disaster.shelter_status_changed",
      actor: { type: "staff", id: o.staff.staffId },
      channel: "console",
      requestMetadata: o.requestMetadata,
      data: { shelterId: row.id, shelterCode: row.code, open: o.open },
    });
    return { changed: true };
  });
}

import { Prisma, type PrismaClient } from "../../db/client";
import { appendAuditEvent } from "../../audit/append-audit-event";
import type { TAuditChannel, TRequestMetadata } from "../../audit/schemas";
import { AppError } from "../../errors/app-error";

/** Who records a check-in or check-out: a shelter terminal's partner, or staff at the console. */
export type TShelterActor = { type: "partner" | "staff"; id: string };

export type TRecordCheckInOptions = {
  shelterId: string;
  residentId: string;
  actor: TShelterActor;
  /** The shelter terminal the card was tapped at (absent: recorded at the console). */
  terminal?: { id: string; label: string };
  /** Close an open check-in at another shelter and open this one naming it (a transfer). */
  transfer?: boolean;
  /** A child under 15 checked in without a card, confirmed by shelter staff with this check-in of a household member. */
  companionOf?: string;
  requestMetadata?: TRequestMetadata;
  now: Date;
};

export type TRecordedCheckIn = {
  id: string;
  shelterId: string;
  residentId: string;
  orderId: string | null;
  checkedInAt: Date;
  transferredFrom: { checkInId: string; shelterId: string } | null;
  /** Open check-ins at the shelter after this one, and its planning capacity. */
  occupancy: number;
  capacity: number;
};

const PURPOSE = "災害時の避難所受入";

function isUniqueViolation(err: unknown): boolean {
  if (err instanceof Prisma.PrismaClientKnownRequestError) {
    if (err.code === "P2002") return true;
    if (err.code === "P2010" && JSON.stringify(err.meta ?? {}).includes("23505")) return true;
  }
  return false;
}

/**
 * One resident into one shelter, in one transaction: the shelter must be open (SHELTER_CLOSED;
 * its row is locked FOR SHARE so a concurrent close waits or is seen); an open check-in of the
 * resident at this shelter, or at another one without `transfer`, is SHELTER_ALREADY_CHECKED_IN
 * (the partial unique index "one open check-in per resident" backs it against a race, so a person
 * is never counted twice). A transfer closes the old check-in and opens the new one naming it.
 * The check-in records the ACTIVE evacuation order of the resident's district, the highest level
 * if there are several. Capacity is a planning figure: a full shelter still checks people in
 * (the answer's occupancy > capacity is a warning for the kiosk and the dashboard).
 * Audited in the resident's access log (`disaster.shelter_checked_in`, and
 * `disaster.shelter_checked_out` for the shelter a transfer leaves).
 */
export async function recordCheckIn(prisma: PrismaClient, o: TRecordCheckInOptions): Promise<TRecordedCheckIn> {
  const channel: TAuditChannel = o.terminal ? "terminal" : "console";
  try {
    return await prisma.$transaction(async (tx) => {
      const [shelter] = await tx.$queryRaw<{ id: string; code: string; open: boolean; capacity: number }[]>`
        SELECT "id", "code", "open", "capacity" FROM "Shelter" WHERE "id" = ${o.shelterId}::uuid FOR SHARE`;
      if (!shelter) throw new AppError("SHELTER_NOT_FOUND");
      if (!shelter.open) throw new AppError("SHELTER_CLOSED");
      const resident = await tx.resident.findUnique({
        where: { id: o.residentId },
        select: { id: true, districtId: true },
      });
      if (!resident) throw new AppError("NOT_FOUND", { message: "No such resident." });
      const open = await tx.shelterCheckIn.findFirst({
        where: { residentId: o.residentId, checkedOutAt: null },
        select: { id: true, shelterId: true },
      });
      if (open && (open.shelterId === shelter.id || !o.transfer)) {
        throw new AppError("SHELTER_ALREADY_CHECKED_IN", {
          details: { atAnotherShelter: open.shelterId !== shelter.id },
        });
      }
      if (open) {
        await tx.shelterCheckIn.update({ where: { id: open.id }, data: { checkedOutAt: o.now } });
        await appendAuditEvent(tx, {
          type: "disaster.shelter_checked_out",
          actor: o.actor,
          subjectResidentId: o.residentId,
          purpose: PURPOSE,
          channel,
          requestMetadata: o.requestMetadata,
          data: { checkInId: open.id, shelterId: open.shelterId, transferredTo: shelter.id },
        });
      }
      const order = await tx.evacuationOrder.findFirst({
        where: { districtId: resident.districtId, status: "ACTIVE" },
        orderBy: [{ level: "desc" }, { issuedAt: "asc" }],
        select: { id: true },
      });
      const row = await tx.shelterCheckIn.create({
        data: {
          shelterId: shelter.id,
          residentId: o.residentId,
          orderId: order?.id ?? null,
          terminalId: o.terminal?.id ?? null,
          checkedInAt: o.now,
          transferredFromId: open?.id ?? null,
        },
        select: { id: true, checkedInAt: true },
      });
      await appendAuditEvent(tx, {
        type: "disaster.shelter_checked_in",
        actor: o.actor,
        subjectResidentId: o.residentId,
        purpose: PURPOSE,
        channel,
        requestMetadata: o.requestMetadata,
        data: {
          checkInId: row.id,
          shelterId: shelter.id,
          shelterCode: shelter.code,
          ...(order ? { orderId: order.id } : {}),
          ...(o.terminal ? { terminal: o.terminal.label, terminalDeviceId: o.terminal.id } : {}),
          ...(open ? { transferredFromId: open.id } : {}),
          ...(o.companionOf ? { withoutCard: true, confirmedWith: o.companionOf } : {}),
        },
      });
      const occupancy = await tx.shelterCheckIn.count({ where: { shelterId: shelter.id, checkedOutAt: null } });
      return {
        id: row.id,
        shelterId: shelter.id,
        residentId: o.residentId,
        orderId: order?.id ?? null,
        checkedInAt: row.checkedInAt,
        transferredFrom: open ? { checkInId: open.id, shelterId: open.shelterId } : null,
        occupancy,
        capacity: shelter.capacity,
      };
    });
  } catch (err) {
    // Two taps of the same person at once: the partial unique index refused the second.
    if (isUniqueViolation(err))
      throw new AppError("SHELTER_ALREADY_CHECKED_IN", { details: { atAnotherShelter: false } });
    throw err;
  }
}

/**
 * The resident leaves the shelter: their open check-in there is closed (SHELTER_NOT_CHECKED_IN
 * when there is none; with `shelterId` only an open check-in at that shelter counts). Audited as
 * `disaster.shelter_checked_out`.
 */
export async function recordCheckOut(
  prisma: PrismaClient,
  o: {
    residentId: string;
    shelterId?: string;
    actor: TShelterActor;
    terminal?: { id: string; label: string };
    requestMetadata?: TRequestMetadata;
    now: Date;
  },
): Promise<{ checkInId: string; shelterId: string; checkedOutAt: Date }> {
  return prisma.$transaction(async (tx) => {
    const open = await tx.shelterCheckIn.findFirst({
      where: { residentId: o.residentId, checkedOutAt: null, ...(o.shelterId ? { shelterId: o.shelterId } : {}) },
      select: { id: true, shelterId: true },
    });
    if (!open) throw new AppError("SHELTER_NOT_CHECKED_IN");
    const { count } = await tx.shelterCheckIn.updateMany({
      where: { id: open.id, checkedOutAt: null },
      data: { checkedOutAt: o.now },
    });
    if (count !== 1) throw new AppError("SHELTER_NOT_CHECKED_IN");
    await appendAuditEvent(tx, {
      type: "disaster.shelter_checked_out",
      actor: o.actor,
      subjectResidentId: o.residentId,
      purpose: PURPOSE,
      channel: o.terminal ? "terminal" : "console",
      requestMetadata: o.requestMetadata,
      data: {
        checkInId: open.id,
        shelterId: open.shelterId,
        ...(o.terminal ? { terminal: o.terminal.label, terminalDeviceId: o.terminal.id } : {}),
      },
    });
    return { checkInId: open.id, shelterId: open.shelterId, checkedOutAt: o.now };
  });
}

import { appendAuditEvent } from "../../audit/append-audit-event";
import type { TRequestMetadata } from "../../audit/schemas";
import { Prisma } from "../../db/client";
import { AppError } from "../../errors/app-error";
import { BUS_TX_OPTIONS, busNow, type TBusContext } from "./bus-context";
import type { TBusEligibility } from "./eligibility";
import { requireLinked } from "./purchase-ticket";
import { type TBusTicketDto, ticketDtoOf, TICKET_SELECT } from "./ticket-dto";

/** A ride as the kiosk shows it: what covered it and what is left. */
export type TBusRideDto = {
  rideId: string;
  status: "CHARGED" | "DEBT";
  rideAt: string;
  fareYen: number;
  paidYen: number;
  discountYen: number;
  ticket: TBusTicketDto | null;
  memberReference: string;
  /** true when the same tap key (or offline record) had been answered before. */
  replayed: boolean;
};

/** The refusals of a ride, by priority: an empty book, an expired pass, nothing at all. */
export type TRideRefusal = "BUS_BOOK_EMPTY" | "BUS_PASS_EXPIRED" | "BUS_NO_VALID_PRODUCT";

type TCharge = {
  ticketId: string | null;
  eligibility: TBusEligibility;
  fareYen: number;
  paidYen: number;
  discountYen: number;
  subsidyYen: number;
};

/** The share of a book's price carried by its n-th ride (1-based): the shares add up to the price exactly. */
export function bookRideShare(priceYen: number, rides: number, n: number): number {
  return Math.floor((priceYen * n) / rides) - Math.floor((priceYen * (n - 1)) / rides);
}

function chargeOf(t: { id: string; eligibility: TBusEligibility; fareYen: number }, paidYen: number): TCharge {
  const discountYen = Math.max(0, t.fareYen - paidYen);
  // The town pays the operator the discount of the eligibility categories (敬老, 障害者);
  // an ordinary book's volume discount is the operator's own.
  return {
    ticketId: t.id,
    eligibility: t.eligibility,
    fareYen: t.fareYen,
    paidYen,
    discountYen,
    subsidyYen: t.eligibility === "NONE" ? 0 : discountYen,
  };
}

/**
 * Takes ONE ride for the resident at `at`, inside the caller's transaction: a pass valid at `at`
 * covers it (nothing is taken); otherwise one ride is taken from the oldest ticket book with rides
 * left by a conditional UPDATE (… SET ridesRemaining = ridesRemaining - 1 WHERE ridesRemaining > 0):
 * under concurrent taps PostgreSQL re-checks the condition after the row lock, so a ride is never
 * taken twice and a book never goes below zero (a CHECK constraint stands behind it too).
 */
export async function chargeRide(
  tx: Prisma.TransactionClient,
  o: { residentId: string; partnerId: string; at: Date },
): Promise<TCharge | { refused: TRideRefusal }> {
  const tickets = await tx.busTicket.findMany({
    where: { residentId: o.residentId, partnerId: o.partnerId },
    select: {
      id: true,
      kind: true,
      ridesTotal: true,
      ridesRemaining: true,
      validFrom: true,
      validUntil: true,
      eligibility: true,
      fareYen: true,
      priceYen: true,
    },
    orderBy: [{ purchasedAt: "asc" }, { id: "asc" }],
  });
  const at = o.at.getTime();
  const pass = tickets.find(
    (t) => t.kind === "PASS" && t.validFrom.getTime() <= at && (t.validUntil?.getTime() ?? 0) > at,
  );
  if (pass) return chargeOf(pass, 0);
  for (const book of tickets) {
    if (book.kind !== "TICKET_BOOK" || !book.ridesTotal || (book.ridesRemaining ?? 0) <= 0) continue;
    const { count } = await tx.busTicket.updateMany({
      where: { id: book.id, ridesRemaining: { gt: 0 } },
      data: { ridesRemaining: { decrement: 1 } },
    });
    if (count !== 1) continue; // another tap took its last ride meanwhile
    const after = await tx.busTicket.findUniqueOrThrow({ where: { id: book.id }, select: { ridesRemaining: true } });
    const n = book.ridesTotal - (after.ridesRemaining ?? 0);
    return chargeOf(book, bookRideShare(book.priceYen, book.ridesTotal, n));
  }
  if (tickets.some((t) => t.kind === "TICKET_BOOK")) return { refused: "BUS_BOOK_EMPTY" };
  if (tickets.some((t) => t.kind === "PASS")) return { refused: "BUS_PASS_EXPIRED" };
  return { refused: "BUS_NO_VALID_PRODUCT" };
}

export type TTakeBusRideOptions = {
  partnerId: string;
  residentId: string;
  deviceId: string;
  /** The kiosk's key of this tap: a retried request returns the first answer and takes no second ride. */
  tapKey: string;
  terminalLabel?: string;
  requestMetadata?: TRequestMetadata;
};

const RIDE_SELECT = {
  id: true,
  status: true,
  rideAt: true,
  fareYen: true,
  paidYen: true,
  discountYen: true,
  ticket: { select: TICKET_SELECT },
} satisfies Prisma.BusRideSelect;

async function answerOf(
  ride: Prisma.BusRideGetPayload<{ select: typeof RIDE_SELECT }>,
  partnerRef: string,
  replayed: boolean,
): Promise<TBusRideDto> {
  return {
    rideId: ride.id,
    status: ride.status,
    rideAt: ride.rideAt.toISOString(),
    fareYen: ride.fareYen,
    paidYen: ride.paidYen,
    discountYen: ride.discountYen,
    ticket: ride.ticket ? ticketDtoOf(ride.ticket) : null,
    memberReference: partnerRef,
    replayed,
  };
}

function isUniqueViolation(err: unknown): boolean {
  return err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002";
}

/**
 * One online ride at an on-board device for a resident whose card was just verified: the
 * resident must have linked the operator (BUS_NOT_LINKED), then {@link chargeRide}; a refusal
 * throws its stable code (BUS_BOOK_EMPTY, BUS_PASS_EXPIRED, BUS_NO_VALID_PRODUCT) and takes
 * nothing. Idempotent per device + tap key: a retry, even a concurrent one, gets the first
 * ride's answer (the unique key makes the second INSERT fail and roll its ride back).
 */
export async function takeBusRide(ctx: TBusContext, o: TTakeBusRideOptions): Promise<TBusRideDto> {
  const now = busNow(ctx);
  const existing = async () => {
    const ride = await ctx.prisma.busRide.findUnique({
      where: { deviceId_tapKey: { deviceId: o.deviceId, tapKey: o.tapKey } },
      select: { ...RIDE_SELECT, residentId: true },
    });
    if (!ride) return null;
    if (ride.residentId !== o.residentId)
      throw new AppError("CHALLENGE_REPLAYED", { message: "This tap key was used for another card." });
    const link = await ctx.prisma.partnerResidentLink.findUnique({
      where: { partnerId_residentId: { partnerId: o.partnerId, residentId: o.residentId } },
      select: { partnerRef: true },
    });
    return answerOf(ride, link?.partnerRef ?? "", true);
  };
  const before = await existing();
  if (before) return before;
  try {
    return await ctx.prisma.$transaction(async (tx) => {
      const { partnerRef } = await requireLinked(tx, o.residentId, o.partnerId);
      const charge = await chargeRide(tx, { residentId: o.residentId, partnerId: o.partnerId, at: now });
      if ("refused" in charge) throw new AppError(charge.refused);
      const ride = await tx.busRide.create({
        data: {
          partnerId: o.partnerId,
          residentId: o.residentId,
          deviceId: o.deviceId,
          source: "ONLINE",
          status: "CHARGED",
          tapKey: o.tapKey,
          rideAt: now,
          recordedAt: now,
          ...charge,
        },
        select: RIDE_SELECT,
      });
      await appendAuditEvent(tx, {
        type: "partner.api_access",
        actor: { type: "partner", id: o.partnerId },
        subjectResidentId: o.residentId,
        purpose: "バス乗車",
        channel: "terminal",
        requestMetadata: o.requestMetadata,
        data: {
          operation: "bus_ride",
          rideId: ride.id,
          terminalDeviceId: o.deviceId,
          ...(o.terminalLabel ? { terminal: o.terminalLabel } : {}),
        },
      });
      return answerOf(ride, partnerRef, false);
    }, BUS_TX_OPTIONS);
  } catch (err) {
    if (isUniqueViolation(err)) {
      const after = await existing();
      if (after) return after;
    }
    throw err;
  }
}

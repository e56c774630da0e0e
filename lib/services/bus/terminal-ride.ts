import { z } from "zod";
import type { TRequestMetadata } from "../../audit/schemas";
import { AppError } from "../../errors/app-error";
import { verifyEligibilityOfResident } from "../../platform/eligibility/verify-eligibility";
import type { TPlatformContext } from "../../platform/platform-context";
import type { TEligibilityCheckDto } from "../../platform/schemas";
import type { TTerminalDevice } from "../../platform/terminals/authenticate-terminal-device";
import { busBalanceOf, type TBusBalance } from "./balance";
import { busNow, type TBusContext } from "./bus-context";
import { deliverBusRideReceipt } from "./ride-receipts";
import { type TBusRideDto, takeBusRide } from "./take-ride";

export const ZBusTapRequest = z.strictObject({
  nonce: z.string().min(16).max(200),
  token: z.string().min(2).max(24_000),
  /** The kiosk's random key of this tap (a retried request sends the same). */
  tapKey: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/),
});

const RIDE_CODES = new Set(["BUS_BOOK_EMPTY", "BUS_PASS_EXPIRED", "BUS_NO_VALID_PRODUCT", "BUS_NOT_LINKED"]);

/** The kiosk's answer: the eligibility check, then the ride taken (or why not) and what is left. */
export type TBusTapAnswer = TEligibilityCheckDto & {
  bus?: {
    ride: TBusRideDto | null;
    /** Why no ride was taken (stable code), when none was. */
    refused?: string;
    balance: TBusBalance;
    /** Whether the ride's receipt reached the resident's mailbox now (else it is retried later). */
    receipt: "delivered" | "pending" | "none";
  };
};

/**
 * A card tap at an on-board device (/terminal/bus): the platform's eligibility check (the
 * challenge, the card's signature, J-LIS status, the resident's link to the operator), then ONE
 * ride ({@link takeBusRide}: atomic, idempotent per device + tap key), the balance left, and the
 * operator-signed receipt delivered to the resident's mailbox. A retried request with the same
 * tap key is answered from the stored ride before the (single-use) challenge is looked at.
 */
export async function tapBusTerminal(
  platform: TPlatformContext,
  bus: TBusContext,
  o: {
    device: TTerminalDevice;
    terminalBinding: string | undefined;
    request: unknown;
    requestMetadata?: TRequestMetadata;
  },
): Promise<TBusTapAnswer> {
  if (o.device.mode !== "BUS") throw new AppError("FORBIDDEN", { message: "Only bus devices take rides." });
  const input = ZBusTapRequest.parse(o.request);
  const partnerId = o.device.partner.id;
  const retried = await bus.prisma.busRide.findUnique({
    where: { deviceId_tapKey: { deviceId: o.device.id, tapKey: input.tapKey } },
    select: { residentId: true, recordedAt: true },
  });
  let residentId: string;
  let answer: TEligibilityCheckDto;
  if (retried) {
    residentId = retried.residentId;
    const link = await bus.prisma.partnerResidentLink.findUniqueOrThrow({
      where: { partnerId_residentId: { partnerId, residentId } },
      select: { partnerRef: true, linkedAt: true },
    });
    answer = {
      object: "eligibility_check",
      eligible: true,
      member: { reference: link.partnerRef, linkedAt: link.linkedAt.toISOString() },
      checkedAt: retried.recordedAt.toISOString(),
    };
  } else {
    if (!o.terminalBinding) throw new AppError("TERMINAL_TAP_NOT_STARTED");
    const checked = await verifyEligibilityOfResident(platform, {
      partner: { partnerId, terminalDeviceId: o.device.id, mode: o.device.credentialMode },
      request: { nonce: input.nonce, token: input.token, terminalBinding: o.terminalBinding },
      requestMetadata: o.requestMetadata,
    });
    answer = checked.answer;
    if (!answer.eligible || !checked.residentId) return answer;
    residentId = checked.residentId;
  }
  let ride: TBusRideDto | null = null;
  let refused: string | undefined;
  try {
    ride = await takeBusRide(bus, {
      partnerId,
      residentId,
      deviceId: o.device.id,
      tapKey: input.tapKey,
      terminalLabel: o.device.label,
      requestMetadata: o.requestMetadata,
    });
  } catch (e) {
    if (!(e instanceof AppError) || !RIDE_CODES.has(e.code)) throw e;
    refused = e.code;
  }
  let receipt: "delivered" | "pending" | "none" = "none";
  if (ride && ride.status === "CHARGED") {
    // The ride stands whatever happens to its receipt; a failed delivery is retried later.
    receipt = await deliverBusRideReceipt(bus, { rideId: ride.rideId }).then(
      (id) => (id ? "delivered" : "none"),
      () => "pending",
    );
  }
  const balance = await busBalanceOf(bus.prisma, { residentId, partnerId, at: busNow(bus) });
  return { ...answer, bus: { ride, ...(refused ? { refused } : {}), balance, receipt } };
}

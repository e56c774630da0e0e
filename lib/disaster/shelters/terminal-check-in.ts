import { z } from "zod";
import type { TRequestMetadata } from "../../audit/schemas";
import { AppError } from "../../errors/app-error";
import { TERMINAL_CHALLENGE_PURPOSE } from "../../platform/eligibility/issue-terminal-challenge";
import { verifyTerminalCardTap } from "../../platform/eligibility/verify-terminal-card";
import { nowOf, type TPlatformContext } from "../../platform/platform-context";
import { ZCreateEligibilityCheckRequest } from "../../platform/schemas";
import type { TTerminalDevice } from "../../platform/terminals/authenticate-terminal-device";
import { ageOn, COMPANION_MAX_AGE_EXCLUSIVE } from "./age";
import { recordCheckIn, recordCheckOut } from "./check-in";
import type { TShelterCheckInAnswer, TShelterCheckOutAnswer } from "./schemas";

export type { TShelterCheckInAnswer, TShelterCheckOutAnswer } from "./schemas";

/** How long after a member's tap the kiosk may check in their children under 15 without a card. */
export const COMPANION_WINDOW_MS = 10 * 60 * 1000;

export const ZShelterTapRequest = z.strictObject({
  nonce: z.string().min(16).max(200),
  token: z.string().min(2).max(24_000),
  /** Checked in at another shelter: close that check-in and open one here (a transfer). */
  transfer: z.boolean().optional(),
});

export const ZShelterCompanionRequest = z.strictObject({
  /** The check-in of the household member who just tapped at this kiosk. */
  checkInId: z.uuid(),
  /** The child's companion id the check-in answer offered. */
  companionId: z.uuid(),
});

type TShelterOfDevice = { id: string; code: string; name: string; nameEn: string; open: boolean };

/**
 * The shelter a terminal serves: a SHELTER kiosk is registered under its partner with the
 * shelter's code as its label (FORBIDDEN for another mode, SHELTER_NOT_FOUND when the label
 * names no shelter of the partner).
 */
export async function shelterOfDevice(ctx: TPlatformContext, device: TTerminalDevice): Promise<TShelterOfDevice> {
  if (device.mode !== "SHELTER") {
    throw new AppError("FORBIDDEN", { message: "Only a shelter terminal checks residents in." });
  }
  const shelter = await ctx.prisma.shelter.findFirst({
    where: { code: device.label, partnerId: device.partner.id },
    select: { id: true, code: true, name: true, nameEn: true, open: true },
  });
  if (!shelter) throw new AppError("SHELTER_NOT_FOUND");
  return shelter;
}

async function tappedResident(
  ctx: TPlatformContext,
  o: { device: TTerminalDevice; terminalBinding: string | undefined; nonce: string; token: string },
): Promise<{ residentId: string; terminal: string }> {
  if (!o.terminalBinding) throw new AppError("TERMINAL_TAP_NOT_STARTED");
  const input = ZCreateEligibilityCheckRequest.parse({
    nonce: o.nonce,
    token: o.token,
    terminalBinding: o.terminalBinding,
  });
  const tap = await verifyTerminalCardTap(ctx, {
    partnerId: o.device.partner.id,
    mode: o.device.credentialMode,
    purpose: TERMINAL_CHALLENGE_PURPOSE,
    nonce: input.nonce,
    terminalBinding: input.terminalBinding,
    token: input.token,
  });
  // A card bound to no resident (or revoked: the verifier threw CERT_REVOKED) checks no one in.
  if (!tap.residentId) throw new AppError("CARD_UNKNOWN");
  return { residentId: tap.residentId, terminal: tap.terminal };
}

const fullName = (r: { familyName: string; givenName: string }) => `${r.familyName} ${r.givenName}`;

async function answerOf(
  ctx: TPlatformContext,
  shelter: TShelterOfDevice,
  checkIn: Awaited<ReturnType<typeof recordCheckIn>>,
  now: Date,
): Promise<TShelterCheckInAnswer> {
  const me = await ctx.prisma.resident.findUniqueOrThrow({
    where: { id: checkIn.residentId },
    select: { familyName: true, givenName: true, householdId: true },
  });
  const members = await ctx.prisma.resident.findMany({
    where: { householdId: me.householdId, leftAt: null, id: { not: checkIn.residentId } },
    select: { id: true, familyName: true, givenName: true, dateOfBirth: true },
    orderBy: { dateOfBirth: "asc" },
  });
  return {
    object: "shelter_check_in",
    checkInId: checkIn.id,
    name: fullName(me),
    shelter: { code: shelter.code, name: shelter.name, nameEn: shelter.nameEn },
    checkedInAt: checkIn.checkedInAt.toISOString(),
    transferred: checkIn.transferredFrom !== null,
    occupancy: checkIn.occupancy,
    capacity: checkIn.capacity,
    overCapacity: checkIn.occupancy > checkIn.capacity,
    household: members.map((m) => ({
      name: fullName(m),
      ...(ageOn(m.dateOfBirth, now) < COMPANION_MAX_AGE_EXCLUSIVE ? { companionId: m.id } : {}),
    })),
  };
}

/**
 * A card tap at a shelter kiosk: the shelter must be open (checked before the tap costs a J-LIS
 * round trip), the tap verified exactly as at every kiosk (verifyTerminalCardTap: challenge, path,
 * signature, status at J-LIS now), then recordCheckIn (SHELTER_ALREADY_CHECKED_IN, a transfer
 * with `transfer`). The answer offers the other household members' names for "a household at a
 * time".
 */
export async function checkInByTap(
  ctx: TPlatformContext,
  o: {
    device: TTerminalDevice;
    terminalBinding: string | undefined;
    request: unknown;
    requestMetadata?: TRequestMetadata;
  },
): Promise<TShelterCheckInAnswer> {
  const shelter = await shelterOfDevice(ctx, o.device);
  if (!shelter.open) throw new AppError("SHELTER_CLOSED");
  const request = ZShelterTapRequest.parse(o.request);
  const { residentId, terminal } = await tappedResident(ctx, { ...o, ...request });
  const now = nowOf(ctx);
  const checkIn = await recordCheckIn(ctx.prisma, {
    shelterId: shelter.id,
    residentId,
    actor: { type: "partner", id: o.device.partner.id },
    terminal: { id: o.device.id, label: terminal || o.device.label },
    transfer: request.transfer,
    requestMetadata: o.requestMetadata,
    now,
  });
  return answerOf(ctx, shelter, checkIn, now);
}

/**
 * A child under 15 without a card, checked in with a household member who tapped at this kiosk
 * within COMPANION_WINDOW_MS (their check-in still open here): shelter staff at the reception
 * confirm the child is present and press the child's name. Anyone else is
 * SHELTER_COMPANION_NOT_ALLOWED. The child's access log shows the check-in with `withoutCard` and
 * the member's check-in it was confirmed with.
 */
export async function checkInCompanion(
  ctx: TPlatformContext,
  o: { device: TTerminalDevice; request: unknown; requestMetadata?: TRequestMetadata },
): Promise<TShelterCheckInAnswer> {
  const shelter = await shelterOfDevice(ctx, o.device);
  const request = ZShelterCompanionRequest.parse(o.request);
  const now = nowOf(ctx);
  const guardian = await ctx.prisma.shelterCheckIn.findUnique({
    where: { id: request.checkInId },
    select: {
      id: true,
      shelterId: true,
      terminalId: true,
      checkedInAt: true,
      checkedOutAt: true,
      resident: { select: { id: true, householdId: true } },
    },
  });
  const child = await ctx.prisma.resident.findUnique({
    where: { id: request.companionId },
    select: { id: true, householdId: true, leftAt: true, dateOfBirth: true },
  });
  const allowed =
    guardian &&
    child &&
    guardian.shelterId === shelter.id &&
    guardian.terminalId === o.device.id &&
    guardian.checkedOutAt === null &&
    now.getTime() - guardian.checkedInAt.getTime() <= COMPANION_WINDOW_MS &&
    child.id !== guardian.resident.id &&
    child.householdId === guardian.resident.householdId &&
    child.leftAt === null &&
    ageOn(child.dateOfBirth, now) < COMPANION_MAX_AGE_EXCLUSIVE;
  if (!allowed) throw new AppError("SHELTER_COMPANION_NOT_ALLOWED");
  const checkIn = await recordCheckIn(ctx.prisma, {
    shelterId: shelter.id,
    residentId: child.id,
    actor: { type: "partner", id: o.device.partner.id },
    terminal: { id: o.device.id, label: o.device.label },
    companionOf: guardian.id,
    requestMetadata: o.requestMetadata,
    now,
  });
  return answerOf(ctx, shelter, checkIn, now);
}

/** A card tap at a shelter kiosk to leave: the resident's open check-in at this shelter is closed. */
export async function checkOutByTap(
  ctx: TPlatformContext,
  o: {
    device: TTerminalDevice;
    terminalBinding: string | undefined;
    request: unknown;
    requestMetadata?: TRequestMetadata;
  },
): Promise<TShelterCheckOutAnswer> {
  const shelter = await shelterOfDevice(ctx, o.device);
  const request = ZShelterTapRequest.omit({ transfer: true }).parse(o.request);
  const { residentId, terminal } = await tappedResident(ctx, { ...o, ...request });
  const now = nowOf(ctx);
  const out = await recordCheckOut(ctx.prisma, {
    residentId,
    shelterId: shelter.id,
    actor: { type: "partner", id: o.device.partner.id },
    terminal: { id: o.device.id, label: terminal || o.device.label },
    requestMetadata: o.requestMetadata,
    now,
  });
  const me = await ctx.prisma.resident.findUniqueOrThrow({
    where: { id: residentId },
    select: { familyName: true, givenName: true },
  });
  return { object: "shelter_check_out", name: fullName(me), checkedOutAt: out.checkedOutAt.toISOString() };
}

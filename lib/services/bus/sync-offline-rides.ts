import { webcrypto } from "node:crypto";
import { z } from "zod";
import { appendAuditEvent } from "../../audit/append-audit-event";
import type { TRequestMetadata } from "../../audit/schemas";
import { Prisma } from "../../db/client";
import { BUS_TX_OPTIONS, busNow, type TBusContext } from "./bus-context";
import {
  OFFLINE_KEY_ALGORITHM,
  OFFLINE_SIGNING_ALGORITHM,
  offlineRecordBytes,
  type TOfflineRideRecord,
  ZOfflineRideRecord,
  ZSignedOfflineRideRecord,
} from "./offline-record";
import { chargeRide } from "./take-ride";

export const MAX_OFFLINE_BATCH = 200;

export const ZSyncOfflineRidesRequest = z.strictObject({
  records: z.array(ZSignedOfflineRideRecord).min(1).max(MAX_OFFLINE_BATCH),
});

export type TOfflineSyncCode =
  | "BUS_OFFLINE_RECORD_REPLAYED"
  | "BUS_OFFLINE_SIGNATURE_INVALID"
  | "BUS_OFFLINE_DEVICE_UNKNOWN"
  | "BUS_OFFLINE_CARD_UNKNOWN"
  | "VALIDATION_FAILED";

/** One record's outcome; the device drops accepted and replayed records, and keeps nothing else either (they cannot pass later). */
export type TOfflineSyncResult =
  | { index: number; seq: number | null; status: "accepted"; rideId: string; charge: "CHARGED" | "DEBT" }
  | { index: number; seq: number | null; status: "refused"; code: TOfflineSyncCode };

/** Rides may be recorded up to this long before the server's clock (a device clock running fast). */
const CLOCK_SKEW_MS = 5 * 60_000;

function isUniqueViolation(err: unknown): boolean {
  return err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002";
}

/**
 * The rides an on-board device recorded while offline, synced through its device cookie. Each
 * record is accepted exactly once: it must name this device and one of its registered keys
 * (BUS_OFFLINE_DEVICE_UNKNOWN — a record of another or an unknown device is never counted here),
 * carry a valid ECDSA signature over its canonical bytes (BUS_OFFLINE_SIGNATURE_INVALID), be new
 * for this device's sequence number and nonce (BUS_OFFLINE_RECORD_REPLAYED, enforced by unique
 * keys so two syncs racing count it once), and its card must be bound to a resident linked to
 * the operator (BUS_OFFLINE_CARD_UNKNOWN). Then one ride is charged as at the record's ride time
 * ({@link chargeRide}); when nothing covered it, the ride is kept as a DEBT of the regular fare.
 */
export async function syncOfflineRides(
  ctx: TBusContext,
  o: {
    device: { id: string; label: string; partnerId: string };
    request: unknown;
    requestMetadata?: TRequestMetadata;
  },
): Promise<{ results: TOfflineSyncResult[]; acceptedRideIds: string[] }> {
  const { records } = ZSyncOfflineRidesRequest.parse(o.request);
  const now = busNow(ctx);
  const keys = await ctx.prisma.busDeviceKey.findMany({
    where: { deviceId: o.device.id },
    select: { id: true, publicKey: true, createdAt: true },
  });
  const results: TOfflineSyncResult[] = [];
  const accepted: string[] = [];
  for (const [index, signed] of records.entries()) {
    const parsed = ZOfflineRideRecord.safeParse(signed.record);
    if (!parsed.success) {
      results.push({ index, seq: null, status: "refused", code: "VALIDATION_FAILED" });
      continue;
    }
    const record = parsed.data;
    const refuse = (code: TOfflineSyncCode) => results.push({ index, seq: record.seq, status: "refused", code });
    const key = record.deviceId === o.device.id ? keys.find((k) => k.id === record.keyId) : undefined;
    if (!key) {
      refuse("BUS_OFFLINE_DEVICE_UNKNOWN");
      continue;
    }
    if (!(await verifyRecord(key.publicKey, record, signed.signature))) {
      refuse("BUS_OFFLINE_SIGNATURE_INVALID");
      continue;
    }
    const rideAt = new Date(record.rideAt);
    if (
      rideAt.getTime() > now.getTime() + CLOCK_SKEW_MS ||
      rideAt.getTime() < key.createdAt.getTime() - CLOCK_SKEW_MS
    ) {
      refuse("VALIDATION_FAILED");
      continue;
    }
    try {
      const outcome = await ctx.prisma.$transaction(async (tx) => {
        const seen = await tx.busRide.findFirst({
          where: { deviceId: o.device.id, OR: [{ deviceSeq: record.seq }, { nonce: record.nonce }] },
          select: { id: true },
        });
        if (seen) return "BUS_OFFLINE_RECORD_REPLAYED" as const;
        const binding = await tx.certificateBinding.findFirst({
          where: { fingerprint: record.cardFingerprint, kind: "AUTH" },
          select: { residentId: true },
        });
        const link = binding
          ? await tx.partnerResidentLink.findUnique({
              where: { partnerId_residentId: { partnerId: o.device.partnerId, residentId: binding.residentId } },
              select: { revokedAt: true },
            })
          : null;
        if (!binding || !link || link.revokedAt) return "BUS_OFFLINE_CARD_UNKNOWN" as const;
        const residentId = binding.residentId;
        const charge = await chargeRide(tx, { residentId, partnerId: o.device.partnerId, at: rideAt });
        const debtFare = async () => {
          const p = await tx.busProduct.findFirst({
            where: { partnerId: o.device.partnerId, eligibility: "NONE", active: true },
            orderBy: { fareYen: "desc" },
            select: { fareYen: true },
          });
          return p?.fareYen ?? 0;
        };
        const values =
          "refused" in charge
            ? {
                status: "DEBT" as const,
                ticketId: null,
                eligibility: "NONE" as const,
                fareYen: await debtFare(),
                paidYen: 0,
                discountYen: 0,
                subsidyYen: 0,
              }
            : { status: "CHARGED" as const, ...charge };
        const ride = await tx.busRide.create({
          data: {
            partnerId: o.device.partnerId,
            residentId,
            deviceId: o.device.id,
            source: "OFFLINE",
            deviceSeq: record.seq,
            nonce: record.nonce,
            rideAt,
            recordedAt: now,
            ...values,
          },
          select: { id: true, status: true },
        });
        await appendAuditEvent(tx, {
          type: "partner.api_access",
          actor: { type: "partner", id: o.device.partnerId },
          subjectResidentId: residentId,
          purpose: "バス乗車",
          channel: "terminal",
          requestMetadata: o.requestMetadata,
          data: {
            operation: "bus_ride_offline",
            rideId: ride.id,
            terminalDeviceId: o.device.id,
            terminal: o.device.label,
            seq: record.seq,
          },
        });
        return ride;
      }, BUS_TX_OPTIONS);
      if (typeof outcome === "string") refuse(outcome);
      else {
        accepted.push(outcome.id);
        results.push({ index, seq: record.seq, status: "accepted", rideId: outcome.id, charge: outcome.status });
      }
    } catch (err) {
      // A concurrent sync inserted the same (device, seq) or (device, nonce) first.
      if (isUniqueViolation(err)) refuse("BUS_OFFLINE_RECORD_REPLAYED");
      else throw err;
    }
  }
  return { results, acceptedRideIds: accepted };
}

async function verifyRecord(spki: Uint8Array, record: TOfflineRideRecord, signature: string): Promise<boolean> {
  try {
    const key = await webcrypto.subtle.importKey("spki", spki, OFFLINE_KEY_ALGORITHM, false, ["verify"]);
    return await webcrypto.subtle.verify(
      OFFLINE_SIGNING_ALGORITHM,
      key,
      Buffer.from(signature, "base64url"),
      offlineRecordBytes(record),
    );
  } catch {
    return false;
  }
}

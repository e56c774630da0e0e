import { randomBytes, webcrypto } from "node:crypto";
import { describe, expect, it } from "vitest";
import { useTestDatabase } from "../../../test/db";
import { createBusWorld } from "../../../test/services/bus-world";
import { registerTerminalDevice } from "../../platform/terminals/register-terminal-device";
import { registerBusDeviceKey } from "./device-keys";
import {
  decideOfflineBoarding,
  OFFLINE_KEY_ALGORITHM,
  OFFLINE_SIGNING_ALGORITHM,
  offlineRecordBytes,
  type TOfflineRideRecord,
} from "./offline-record";
import { purchaseBusTicket } from "./purchase-ticket";
import { syncOfflineRides } from "./sync-offline-rides";

type TDeviceSigner = { deviceId: string; keyId: string; privateKey: CryptoKey; seq: number };

async function deviceSigner(
  prisma: Parameters<typeof registerBusDeviceKey>[0],
  deviceId: string,
): Promise<TDeviceSigner> {
  const keys = (await webcrypto.subtle.generateKey(OFFLINE_KEY_ALGORITHM, false, ["sign", "verify"])) as CryptoKeyPair;
  const spki = Buffer.from(await webcrypto.subtle.exportKey("spki", keys.publicKey)).toString("base64");
  const { keyId } = await registerBusDeviceKey(prisma, {
    device: { id: deviceId, mode: "BUS" },
    request: { publicKey: spki },
    now: new Date("2026-12-01T00:00:00Z"),
  });
  return { deviceId, keyId, privateKey: keys.privateKey, seq: 0 };
}

async function record(s: TDeviceSigner, cardFingerprint: string, rideAt: string) {
  const r: TOfflineRideRecord = {
    v: 1,
    deviceId: s.deviceId,
    keyId: s.keyId,
    seq: ++s.seq,
    nonce: randomBytes(16).toString("base64url"),
    cardFingerprint,
    rideAt,
  };
  const sig = await webcrypto.subtle.sign(OFFLINE_SIGNING_ALGORITHM, s.privateKey, offlineRecordBytes(r));
  return { record: r, signature: Buffer.from(sig).toString("base64url") };
}

describe("offline rides", () => {
  const db = useTestDatabase();

  async function world(slug: string) {
    const { prisma } = db();
    const w = await createBusWorld(prisma, slug);
    const r = await w.linkedResident();
    const fingerprint = randomBytes(32).toString("hex");
    await prisma.certificateBinding.create({
      data: {
        residentId: r.id,
        kind: "AUTH",
        issuerDn: "CN=test",
        serialNumber: randomBytes(8).toString("hex"),
        fingerprint,
        notBefore: new Date("2026-01-01T00:00:00Z"),
        notAfter: new Date("2030-01-01T00:00:00Z"),
      },
    });
    const ctx = { prisma, now: () => new Date("2026-12-07T03:00:00Z") };
    const device = { id: w.deviceId, label: `${slug}-car-1`, partnerId: w.operator.id };
    const signer = await deviceSigner(prisma, w.deviceId);
    return { prisma, w, r, fingerprint, ctx, device, signer };
  }

  it("a batch synced twice counts once; an overlapping batch counts only its new records; a replayed record is refused with a stable code", async () => {
    const { prisma, w, r, fingerprint, ctx, device, signer } = await world("bus-off-1");
    const book = await purchaseBusTicket(ctx, {
      residentId: r.id,
      partnerId: w.operator.id,
      productCode: "BOOK-5",
      issuedBy: "resident",
    });
    const a = await record(signer, fingerprint, "2026-12-07T01:00:00Z");
    const b = await record(signer, fingerprint, "2026-12-07T01:10:00Z");
    const c = await record(signer, fingerprint, "2026-12-07T01:20:00Z");
    const first = await syncOfflineRides(ctx, { device, request: { records: [a, b] } });
    expect(first.results.map((x) => x.status)).toEqual(["accepted", "accepted"]);
    const again = await syncOfflineRides(ctx, { device, request: { records: [a, b] } });
    expect(again.results).toEqual([
      { index: 0, seq: 1, status: "refused", code: "BUS_OFFLINE_RECORD_REPLAYED" },
      { index: 1, seq: 2, status: "refused", code: "BUS_OFFLINE_RECORD_REPLAYED" },
    ]);
    const overlap = await syncOfflineRides(ctx, { device, request: { records: [b, c] } });
    expect(overlap.results.map((x) => x.status)).toEqual(["refused", "accepted"]);
    // The same ride nonce under a new sequence number (a replayed ride re-signed) is refused too.
    const replayNonce = { ...c.record, seq: 99 };
    const sig = await webcrypto.subtle.sign(
      OFFLINE_SIGNING_ALGORITHM,
      signer.privateKey,
      offlineRecordBytes(replayNonce),
    );
    const renumbered = await syncOfflineRides(ctx, {
      device,
      request: { records: [{ record: replayNonce, signature: Buffer.from(sig).toString("base64url") }] },
    });
    expect(renumbered.results[0]).toMatchObject({ status: "refused", code: "BUS_OFFLINE_RECORD_REPLAYED" });
    expect(await prisma.busRide.count({ where: { residentId: r.id, source: "OFFLINE" } })).toBe(3);
    expect((await prisma.busTicket.findUniqueOrThrow({ where: { id: book.id } })).ridesRemaining).toBe(2);
  });

  it("two syncs of one batch racing count each record once", async () => {
    const { prisma, w, r, fingerprint, ctx, device, signer } = await world("bus-off-race");
    await purchaseBusTicket(ctx, {
      residentId: r.id,
      partnerId: w.operator.id,
      productCode: "BOOK-11",
      issuedBy: "resident",
    });
    const batch = [];
    for (let i = 0; i < 4; i++) batch.push(await record(signer, fingerprint, `2026-12-07T01:0${i}:00Z`));
    const [x, y] = await Promise.all([
      syncOfflineRides(ctx, { device, request: { records: batch } }),
      syncOfflineRides(ctx, { device, request: { records: batch } }),
    ]);
    const acceptedCount = [...x.results, ...y.results].filter((z) => z.status === "accepted").length;
    expect(acceptedCount).toBe(4);
    expect(await prisma.busRide.count({ where: { residentId: r.id } })).toBe(4);
    expect((await prisma.busTicket.findFirstOrThrow({ where: { residentId: r.id } })).ridesRemaining).toBe(7);
  });

  it("refuses records of another or unknown device, a forged signature, an unknown card; records a debt when no product covered the ride", async () => {
    const { prisma, w, r, fingerprint, ctx, device, signer } = await world("bus-off-2");
    // Another enrolled device of the same operator, with its own key.
    const other = await registerTerminalDevice(prisma, {
      partner: w.operator.id,
      label: "bus-off-2-car-2",
      mode: "BUS",
    });
    const otherSigner = await deviceSigner(prisma, other.deviceId);
    const foreign = await record(otherSigner, fingerprint, "2026-12-07T01:00:00Z");
    const unknownDevice = await record(
      { ...signer, deviceId: "00000000-0000-4000-8000-000000000001" },
      fingerprint,
      "2026-12-07T01:00:00Z",
    );
    const forged = await record(signer, fingerprint, "2026-12-07T01:00:00Z");
    forged.record = { ...forged.record, rideAt: "2026-12-07T01:30:00Z" };
    const unknownCard = await record(signer, randomBytes(32).toString("hex"), "2026-12-07T01:00:00Z");
    const debt = await record(signer, fingerprint, "2026-12-07T02:00:00Z");
    const out = await syncOfflineRides(ctx, {
      device,
      request: { records: [foreign, unknownDevice, forged, unknownCard, debt] },
    });
    expect(out.results.map((x) => (x.status === "refused" ? x.code : x.charge))).toEqual([
      "BUS_OFFLINE_DEVICE_UNKNOWN",
      "BUS_OFFLINE_DEVICE_UNKNOWN",
      "BUS_OFFLINE_SIGNATURE_INVALID",
      "BUS_OFFLINE_CARD_UNKNOWN",
      "DEBT",
    ]);
    const ride = await prisma.busRide.findFirstOrThrow({ where: { residentId: r.id } });
    expect(ride).toMatchObject({ status: "DEBT", ticketId: null, fareYen: 200, paidYen: 0, source: "OFFLINE" });
    // The other device's record is accepted at its own device's sync.
    const own = await syncOfflineRides(ctx, {
      device: { ...device, id: other.deviceId },
      request: { records: [foreign] },
    });
    expect(own.results[0]).toMatchObject({ status: "accepted" });
  });

  it("the device's boarding rule: a card seen online within 7 days with a valid pass or rides left; otherwise a stable code", () => {
    const now = new Date("2026-12-07T03:00:00Z");
    const snap = {
      cardFingerprint: "a".repeat(64),
      memberReference: "BUS-1",
      ridesRemaining: 1,
      passValidUntil: null,
      seenAt: "2026-12-06T03:00:00Z",
    };
    expect(decideOfflineBoarding(undefined, now)).toEqual({ board: false, code: "BUS_OFFLINE_CARD_UNKNOWN" });
    expect(decideOfflineBoarding({ ...snap, seenAt: "2026-11-29T03:00:00Z" }, now)).toMatchObject({
      board: false,
      code: "BUS_OFFLINE_CARD_UNKNOWN",
    });
    const first = decideOfflineBoarding(snap, now);
    expect(first).toMatchObject({ board: true, by: "book", snapshot: { ridesRemaining: 0 } });
    expect(decideOfflineBoarding(first.board ? first.snapshot : undefined, now)).toEqual({
      board: false,
      code: "BUS_BOOK_EMPTY",
    });
    expect(
      decideOfflineBoarding({ ...snap, ridesRemaining: 0, passValidUntil: "2026-12-08T00:00:00Z" }, now),
    ).toMatchObject({ board: true, by: "pass" });
    expect(decideOfflineBoarding({ ...snap, ridesRemaining: 0, passValidUntil: "2026-12-07T00:00:00Z" }, now)).toEqual({
      board: false,
      code: "BUS_PASS_EXPIRED",
    });
  });
});

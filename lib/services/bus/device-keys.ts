import { webcrypto } from "node:crypto";
import { z } from "zod";
import type { PrismaClient } from "../../db/client";
import { AppError } from "../../errors/app-error";
import { OFFLINE_KEY_ALGORITHM } from "./offline-record";

export const ZRegisterBusDeviceKeyRequest = z.strictObject({
  /** base64 of the SubjectPublicKeyInfo DER of an ECDSA P-256 key. */
  publicKey: z.string().regex(/^[A-Za-z0-9+/]{40,400}={0,2}$/),
});

/**
 * An on-board device registers its offline signing key, under its device cookie (so only an
 * enrolled, active device can): a new key retires the device's earlier ones (they still verify
 * the records signed before). The same key registered again is answered with its id.
 */
export async function registerBusDeviceKey(
  prisma: PrismaClient,
  o: { device: { id: string; mode: string }; request: unknown; now?: Date },
): Promise<{ keyId: string }> {
  if (o.device.mode !== "BUS") throw new AppError("FORBIDDEN", { message: "Only bus devices sign offline rides." });
  const { publicKey } = ZRegisterBusDeviceKeyRequest.parse(o.request);
  const der = Buffer.from(publicKey, "base64");
  try {
    await webcrypto.subtle.importKey("spki", der, OFFLINE_KEY_ALGORITHM, false, ["verify"]);
  } catch (cause) {
    throw new AppError("VALIDATION_FAILED", {
      message: "publicKey is not an ECDSA P-256 SubjectPublicKeyInfo.",
      cause,
    });
  }
  const now = o.now ?? new Date();
  return prisma.$transaction(async (tx) => {
    const keys = await tx.busDeviceKey.findMany({
      where: { deviceId: o.device.id },
      select: { id: true, publicKey: true, retiredAt: true },
    });
    const same = keys.find((k) => Buffer.from(k.publicKey).equals(der));
    if (same && !same.retiredAt) return { keyId: same.id };
    await tx.busDeviceKey.updateMany({ where: { deviceId: o.device.id, retiredAt: null }, data: { retiredAt: now } });
    const key = await tx.busDeviceKey.create({
      data: { deviceId: o.device.id, publicKey: der, createdAt: now },
      select: { id: true },
    });
    return { keyId: key.id };
  });
}

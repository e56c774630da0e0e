import { randomBytes } from "node:crypto";
import { z } from "zod";
import type { PrismaClient } from "../../db/client";
import { AppError } from "../../errors/app-error";
import { hashDeviceSecret } from "./register-terminal-device";

export const ZEnrolTerminalDeviceRequest = z.strictObject({
  code: z.string().trim().min(32).max(200),
});

/**
 * Enrols the kiosk that presents a one-time enrolment code: the code is consumed (compare-and-set,
 * so two kiosks racing with one code get one token) and a fresh 256-bit device token is returned
 * for the kiosk's HttpOnly cookie. Unknown, used and expired codes are one code,
 * TERMINAL_ENROLMENT_INVALID.
 */
export async function enrolTerminalDevice(
  prisma: PrismaClient,
  options: { request: unknown; now?: Date },
): Promise<{ deviceToken: string; deviceId: string }> {
  const { code } = ZEnrolTerminalDeviceRequest.parse(options.request);
  const now = options.now ?? new Date();
  const codeHash = hashDeviceSecret(code);
  const device = await prisma.terminalDevice.findUnique({
    where: { enrolmentCodeHash: codeHash },
    select: { id: true },
  });
  if (!device) throw new AppError("TERMINAL_ENROLMENT_INVALID");
  const deviceToken = randomBytes(32).toString("base64url");
  const { count } = await prisma.terminalDevice.updateMany({
    where: { id: device.id, enrolmentCodeHash: codeHash, enrolmentExpiresAt: { gt: now }, active: true },
    data: {
      enrolmentCodeHash: null,
      enrolmentExpiresAt: null,
      tokenHash: hashDeviceSecret(deviceToken),
      enrolledAt: now,
    },
  });
  if (count !== 1) throw new AppError("TERMINAL_ENROLMENT_INVALID");
  return { deviceToken, deviceId: device.id };
}

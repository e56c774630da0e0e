import { randomBytes } from "node:crypto";
import { sha256Hex } from "../../crypto/sha256";
import { z } from "zod";
import type { PrismaClient } from "../../db/client";
import { AppError } from "../../errors/app-error";

/** What a kiosk does: hospital reception (受付), bus boarding (乗車) or an ambulance crew's reader (救急隊). */
export const ZTerminalMode = z.enum(["HOSPITAL", "BUS", "AMBULANCE", "SHELTER", "SET_TOP_BOX"]);
export type TTerminalMode = z.infer<typeof ZTerminalMode>;

/** How long an enrolment code may wait to be used (printed at set-up, typed at the kiosk). */
export const TERMINAL_ENROLMENT_TTL_MS = 24 * 60 * 60 * 1000;

/** The scope a partner must hold (approved by staff) for its terminals to check cards. */
export const TERMINAL_SCOPE = "eligibility:verify";

/** SHA-256 (hex) of a device secret. Enough for 256-bit random values: nothing to brute-force. */
export function hashDeviceSecret(secret: string): string {
  return sha256Hex(secret);
}

export const ZRegisterTerminalDeviceOptions = z.object({
  /** The partner's slug or id. */
  partner: z.string().trim().min(1).max(100),
  label: z.string().trim().min(1).max(100),
  mode: ZTerminalMode,
  /**
   * Which cards the kiosk checks, like an API credential's mode: TEST only sandbox cards
   * (JPKI-TEST; the sandbox tool registers these), LIVE (the default) only real ones.
   */
  credentialMode: z.enum(["TEST", "LIVE"]).default("LIVE"),
  /** Fixed enrolment code (demo seed and e2e only); otherwise 32 random bytes. */
  enrolmentCode: z.string().min(32).max(200).optional(),
  now: z.date().optional(),
});
export type RegisterTerminalDeviceOptions = z.input<typeof ZRegisterTerminalDeviceOptions>;

/**
 * Registers a partner's kiosk (or re-registers one with the same label) and returns a one-time
 * enrolment code. Re-registering clears the old device token, so a lost or replaced kiosk stops
 * working at its next request (and it takes the new credential mode only through a fresh enrolment).
 * The partner must be active and approved for eligibility:verify.
 */
export async function registerTerminalDevice(
  prisma: PrismaClient,
  options: RegisterTerminalDeviceOptions,
): Promise<{ deviceId: string; partnerId: string; enrolmentCode: string; expiresAt: Date }> {
  const o = ZRegisterTerminalDeviceOptions.parse(options);
  const now = o.now ?? new Date();
  const isUuid = z.uuid().safeParse(o.partner).success;
  const partner = await prisma.partner.findFirst({
    where: isUuid ? { id: o.partner } : { slug: o.partner },
    select: { id: true, active: true, approvedScopes: true },
  });
  if (!partner) throw new AppError("NOT_FOUND", { message: `No partner ${o.partner}.` });
  if (!partner.active || !partner.approvedScopes.includes(TERMINAL_SCOPE)) {
    throw new AppError("TERMINAL_DISABLED", { message: `The partner is inactive or lacks ${TERMINAL_SCOPE}.` });
  }
  const enrolmentCode = o.enrolmentCode ?? randomBytes(32).toString("base64url");
  const expiresAt = new Date(now.getTime() + TERMINAL_ENROLMENT_TTL_MS);
  const fields = {
    mode: o.mode,
    credentialMode: o.credentialMode,
    enrolmentCodeHash: hashDeviceSecret(enrolmentCode),
    enrolmentExpiresAt: expiresAt,
    tokenHash: null,
    enrolledAt: null,
    active: true,
  };
  const device = await prisma.terminalDevice.upsert({
    where: { partnerId_label: { partnerId: partner.id, label: o.label } },
    update: fields,
    create: { partnerId: partner.id, label: o.label, ...fields, createdAt: now },
    select: { id: true },
  });
  return { deviceId: device.id, partnerId: partner.id, enrolmentCode, expiresAt };
}

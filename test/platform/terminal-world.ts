/**
 * Partner kiosks for tests: a device registered for the partner, enrolled with its one-time code
 * and authenticated with its device token, as /terminal/enrol and the device cookie do.
 */
import type { PrismaClient } from "../../lib/db/client";
import {
  authenticateTerminalDevice,
  type TTerminalDevice,
} from "../../lib/platform/terminals/authenticate-terminal-device";
import { enrolTerminalDevice } from "../../lib/platform/terminals/enrol-terminal-device";
import { registerTerminalDevice, type TTerminalMode } from "../../lib/platform/terminals/register-terminal-device";

export async function enrolledKiosk(
  prisma: PrismaClient,
  o: { partner: string; label: string; mode: TTerminalMode },
): Promise<TTerminalDevice> {
  const reg = await registerTerminalDevice(prisma, { partner: o.partner, label: o.label, mode: o.mode });
  const { deviceToken } = await enrolTerminalDevice(prisma, { request: { code: reg.enrolmentCode } });
  return authenticateTerminalDevice(prisma, { token: deviceToken });
}

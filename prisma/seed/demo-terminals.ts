/**
 * Demo kiosks (hospital reception, bus reader, …) for `npm run dev`: each service area seeds its
 * own through `seedDemoTerminal`, and the dev script prints the enrolment URLs it returns.
 *
 * A kiosk that is already enrolled keeps its device token (restarting the demo does not log the
 * kiosks out); one that is not yet enrolled, or whose enrolment code expired, gets a fresh code.
 * Codes are derived from the partner and label, so the printed URL stays the same across restarts.
 */
import { createHash } from "node:crypto";
import type { PrismaClient } from "../../lib/db/client";
import { registerTerminalDevice, type TTerminalMode } from "../../lib/platform/terminals/register-terminal-device";

export type TDemoTerminal = { partnerSlug: string; label: string; mode: TTerminalMode; enrolPath: string };

/** The fixed enrolment code of a demo kiosk (public: demo data only). */
export function demoTerminalEnrolmentCode(partnerSlug: string, label: string): string {
  return createHash("sha256").update(`ichimai-demo-terminal\0${partnerSlug}\0${label}`).digest("base64url");
}

export async function seedDemoTerminal(
  prisma: PrismaClient,
  t: { partnerSlug: string; label: string; mode: TTerminalMode; now?: Date },
): Promise<TDemoTerminal> {
  const enrolmentCode = demoTerminalEnrolmentCode(t.partnerSlug, t.label);
  const enrolPath = `/terminal/enrol?code=${encodeURIComponent(enrolmentCode)}`;
  const existing = await prisma.terminalDevice.findFirst({
    where: { partner: { slug: t.partnerSlug }, label: t.label },
    select: { tokenHash: true, active: true, mode: true, enrolmentExpiresAt: true },
  });
  const now = t.now ?? new Date();
  const enrolled = existing?.active && existing.mode === t.mode && existing.tokenHash !== null;
  const codeValid = existing?.active && existing.enrolmentExpiresAt !== null && existing.enrolmentExpiresAt > now;
  if (!enrolled && !codeValid) {
    await registerTerminalDevice(prisma, {
      partner: t.partnerSlug,
      label: t.label,
      mode: t.mode,
      enrolmentCode,
      now,
    });
  }
  return { partnerSlug: t.partnerSlug, label: t.label, mode: t.mode, enrolPath };
}

/** Lines for the dev script's banner: one per kiosk, with the URL that enrols it. */
export function demoTerminalLines(origin: string, terminals: readonly TDemoTerminal[]): string[] {
  return terminals.map(
    (t) =>
      `    ${t.mode.padEnd(9)} ${`${t.partnerSlug} ${t.label}`.padEnd(28)} ${origin}${t.enrolPath}  (enrolled kiosks skip this)`,
  );
}

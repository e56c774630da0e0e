import type { PrismaClient } from "../../db/client";
import {
  BREAK_GLASS_REASON_LABELS,
  EMERGENCY_PARTS,
  type TEmergencyAudience,
  type TEmergencyPart,
  type TSelfEntryKind,
} from "./schemas";

export type TEmergencyConsentDto = {
  audience: TEmergencyAudience;
  /** null: never chosen or withdrawn (a tap with the PIN reads nothing; break-glass shows the vital parts). */
  active: { parts: TEmergencyPart[]; breakGlass: boolean; grantedAt: string } | null;
};

export type TEmergencySettingsDto = {
  consents: TEmergencyConsentDto[];
  entries: { id: string; kind: TSelfEntryKind; text: string; detail: string | null; createdAt: string }[];
  /** The break-glass reads of the resident's history, newest first (also in the access log). */
  breakGlass: {
    id: string;
    reader: string;
    readerEn: string;
    terminal: string;
    reason: { ja: string; en: string };
    grantedAt: string;
    expiresAt: string;
  }[];
};

/**
 * The resident's own emergency settings for /services/medical: the choice per audience, their
 * self-reported lines and the break-glass reads of their history. Their own data, shown to
 * themself: not an access to be audited (like the resident's own notices).
 */
export async function getEmergencySettings(
  prisma: PrismaClient,
  options: { residentId: string },
): Promise<TEmergencySettingsDto> {
  const [consents, entries, accesses] = await Promise.all([
    prisma.emergencyConsent.findMany({
      where: { residentId: options.residentId, revokedAt: null },
      select: { audience: true, parts: true, breakGlass: true, grantedAt: true },
    }),
    prisma.emergencySelfEntry.findMany({
      where: { residentId: options.residentId, removedAt: null },
      orderBy: { createdAt: "asc" },
      select: { id: true, kind: true, text: true, detail: true, createdAt: true },
    }),
    prisma.breakGlassAccess.findMany({
      where: { residentId: options.residentId },
      orderBy: { grantedAt: "desc" },
      take: 20,
      select: {
        id: true,
        reasonCategory: true,
        grantedAt: true,
        expiresAt: true,
        partner: { select: { name: true, nameEn: true } },
        terminalDevice: { select: { label: true } },
      },
    }),
  ]);
  return {
    consents: (["AMBULANCE", "HOSPITAL"] as const).map((audience) => {
      const c = consents.find((x) => x.audience === audience);
      return {
        audience,
        active: c
          ? {
              parts: EMERGENCY_PARTS.filter((p) => c.parts.includes(p)),
              breakGlass: c.breakGlass,
              grantedAt: c.grantedAt.toISOString(),
            }
          : null,
      };
    }),
    entries: entries.map((e) => ({ ...e, kind: e.kind as TSelfEntryKind, createdAt: e.createdAt.toISOString() })),
    breakGlass: accesses.map((a) => ({
      id: a.id,
      reader: a.partner.name,
      readerEn: a.partner.nameEn,
      terminal: a.terminalDevice.label,
      reason: BREAK_GLASS_REASON_LABELS[a.reasonCategory as keyof typeof BREAK_GLASS_REASON_LABELS] ?? {
        ja: a.reasonCategory,
        en: a.reasonCategory,
      },
      grantedAt: a.grantedAt.toISOString(),
      expiresAt: a.expiresAt.toISOString(),
    })),
  };
}

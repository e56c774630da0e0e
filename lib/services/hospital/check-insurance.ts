import type { PrismaClient } from "../../db/client";
import { databaseInsurerRoster, type TInsurerRoster, type TRosterEntry } from "./insurer-roster";
import type { TInsuranceAnswer, TInsuranceUnknownReason } from "./schemas";

/** How long reception waits for an insurer before answering "unknown" (the kiosk answers within a second). */
export const INSURER_TIMEOUT_MS = 800;
/** A roster entry not confirmed by the insurer within this window answers "unknown" (ROSTER_STALE). */
export const ROSTER_MAX_AGE_MS = 24 * 60 * 60 * 1000;

export type TCheckInsuranceOptions = {
  residentId: string;
  /** Resident.sandbox: a sandbox resident is answered from TEST entries only, a real one from LIVE. */
  sandbox: boolean;
  now: Date;
  roster?: TInsurerRoster;
  timeoutMs?: number;
  maxAgeMs?: number;
};

/** `YYYY-MM-DD` of an instant in Japan (coverage periods are calendar days in JST). */
export function japanDate(at: Date): string {
  return new Intl.DateTimeFormat("sv-SE", { timeZone: "Asia/Tokyo" }).format(at);
}
const isoDate = (d: Date) => d.toISOString().slice(0, 10);

type TOutcome = { kind: "entry"; entry: TRosterEntry } | { kind: "unknown"; reason: TInsuranceUnknownReason };

async function ask(
  roster: TInsurerRoster,
  query: { insurerId: string; memberNumber: string; mode: "TEST" | "LIVE" },
  timeoutMs: number,
): Promise<TOutcome> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve("timeout");
    }, timeoutMs);
  });
  try {
    const entry = await Promise.race([roster.lookup(query, controller.signal), timeout]);
    if (entry === "timeout") return { kind: "unknown", reason: "INSURER_UNREACHABLE" };
    return entry ? { kind: "entry", entry } : { kind: "unknown", reason: "MEMBER_NOT_FOUND" };
  } catch {
    return { kind: "unknown", reason: "INSURER_UNREACHABLE" };
  } finally {
    clearTimeout(timer);
  }
}

/** Which "unknown" to tell when several insurers answered none: a fault beats "no entry". */
const UNKNOWN_RANK: Record<TInsuranceUnknownReason, number> = {
  INSURER_UNREACHABLE: 2,
  ROSTER_STALE: 1,
  MEMBER_NOT_FOUND: 0,
};

/**
 * The resident's health insurance now, as their insurer holds it (オンライン資格確認): the insurers
 * are those the resident linked (PartnerResidentLink to an active HEALTH_INSURER partner, under the
 * insurer's member number), each asked through `roster` with a short timeout. The answer is
 * `eligible` (insurer, numbers, period, copay ratio) only for a VALID entry covering today (JST)
 * confirmed within `maxAgeMs`; `lapsed` (INSURANCE_LAPSED) for 資格喪失 or outside the period;
 * otherwise `unknown` (INSURANCE_UNKNOWN with the reason) — never a silent "eligible".
 * Reads only; the caller logs the access (the tap is the resident's consent of the moment).
 */
export async function checkInsurance(
  prisma: PrismaClient,
  o: TCheckInsuranceOptions,
): Promise<{ answer: TInsuranceAnswer; insurerId?: string }> {
  const roster = o.roster ?? databaseInsurerRoster(prisma);
  const mode = o.sandbox ? "TEST" : "LIVE";
  const links = await prisma.partnerResidentLink.findMany({
    where: { residentId: o.residentId, revokedAt: null, partner: { kind: "HEALTH_INSURER", active: true } },
    select: { partnerRef: true, partner: { select: { id: true, name: true, nameEn: true } } },
    orderBy: { linkedAt: "desc" },
  });
  if (links.length === 0) {
    return { answer: { status: "unknown", code: "INSURANCE_UNKNOWN", reason: "MEMBER_NOT_FOUND" } };
  }
  const outcomes = await Promise.all(
    links.map(async (link) => ({
      link,
      outcome: await ask(
        roster,
        { insurerId: link.partner.id, memberNumber: link.partnerRef, mode },
        o.timeoutMs ?? INSURER_TIMEOUT_MS,
      ),
    })),
  );
  const today = japanDate(o.now);
  const maxAge = o.maxAgeMs ?? ROSTER_MAX_AGE_MS;
  let lapsed: { answer: TInsuranceAnswer; insurerId: string } | undefined;
  let unknown:
    | { reason: TInsuranceUnknownReason; insurer: { name: string; nameEn: string }; insurerId: string }
    | undefined;
  for (const { link, outcome } of outcomes) {
    const insurer = { name: link.partner.name, nameEn: link.partner.nameEn };
    let reason: TInsuranceUnknownReason | undefined;
    if (outcome.kind === "unknown") reason = outcome.reason;
    else if (o.now.getTime() - outcome.entry.confirmedAt.getTime() > maxAge) reason = "ROSTER_STALE";
    if (reason || outcome.kind !== "entry") {
      const r = reason ?? "MEMBER_NOT_FOUND";
      if (!unknown || UNKNOWN_RANK[r] > UNKNOWN_RANK[unknown.reason]) {
        unknown = { reason: r, insurer, insurerId: link.partner.id };
      }
      continue;
    }
    const e = outcome.entry;
    const validFrom = isoDate(e.validFrom);
    const validUntil = e.validUntil ? isoDate(e.validUntil) : undefined;
    const covered = e.status === "VALID" && validFrom <= today && (!validUntil || today <= validUntil);
    if (covered) {
      return {
        insurerId: link.partner.id,
        answer: {
          status: "eligible",
          insurer,
          insurerNumber: e.insurerNumber,
          symbol: e.symbol,
          number: e.number,
          ...(e.branch ? { branch: e.branch } : {}),
          validFrom,
          ...(validUntil ? { validUntil } : {}),
          copayRatio: e.copayTenths,
          confirmedAt: e.confirmedAt.toISOString(),
        },
      };
    }
    lapsed ??= {
      insurerId: link.partner.id,
      answer: {
        status: "lapsed",
        code: "INSURANCE_LAPSED",
        insurer,
        insurerNumber: e.insurerNumber,
        validFrom,
        ...(validUntil ? { validUntil } : {}),
        confirmedAt: e.confirmedAt.toISOString(),
      },
    };
  }
  // A fault at one insurer must not be reported as "lapsed" at another when the first may hold the
  // valid entry: unknown wins over lapsed unless every insurer answered.
  if (unknown && unknown.reason !== "MEMBER_NOT_FOUND") {
    return {
      insurerId: unknown.insurerId,
      answer: { status: "unknown", code: "INSURANCE_UNKNOWN", reason: unknown.reason, insurer: unknown.insurer },
    };
  }
  if (lapsed) return lapsed;
  return {
    ...(unknown ? { insurerId: unknown.insurerId } : {}),
    answer: {
      status: "unknown",
      code: "INSURANCE_UNKNOWN",
      reason: "MEMBER_NOT_FOUND",
      ...(unknown ? { insurer: unknown.insurer } : {}),
    },
  };
}

import type { PrismaClient } from "@/lib/db/client";

/** The periods the console offers, in days ending today (Japan time). */
export const DASHBOARD_RANGES = [7, 30, 90] as const;
export type TDashboardRange = (typeof DASHBOARD_RANGES)[number];

/** The login channels the chart names; anything else counts as "other". */
export const LOGIN_CHANNELS = ["pc", "phone", "tv", "terminal"] as const;

export type TDayCount = { day: string; count: number };

/** The console home's numbers: aggregates only, never a resident's data. */
export type TDashboardStats = {
  /** First and last day of the period (YYYY-MM-DD, Japan time), inclusive. */
  from: string;
  to: string;
  /** `auth.login_succeeded` audit events by channel (pc, phone, tv, terminal, other), all five always present. */
  logins: { channel: (typeof LOGIN_CHANNELS)[number] | "other"; count: number }[];
  /** Mailbox documents delivered per day, every day of the period. */
  deliveries: TDayCount[];
  /** Applications submitted in the period by their status now. */
  applications: { status: "SUBMITTED" | "RETURNED" | "APPROVED"; count: number }[];
  /** Evacuation orders issued in the period by alert level 1–5 (all five), and how many are still ACTIVE. */
  evacuationOrders: { level: number; count: number; active: number }[];
  /** Partner API requests per day (the per-minute usage counters; housekeeping keeps them for a while only). */
  apiRequests: TDayCount[];
};

const DAY_MS = 86_400_000;
const JST_MS = 9 * 3_600_000;

/** The Japan-time day (YYYY-MM-DD) of an instant. */
export function japanDay(at: Date): string {
  return new Date(at.getTime() + JST_MS).toISOString().slice(0, 10);
}

/** The period of `days` days ending on `now`'s Japan day: its first and last day and its UTC bounds [start, end). */
export function dashboardPeriod(days: number, now: Date): { from: string; to: string; start: Date; end: Date } {
  const to = japanDay(now);
  const end = new Date(Date.parse(`${to}T00:00:00Z`) + DAY_MS - JST_MS);
  const start = new Date(end.getTime() - days * DAY_MS);
  return { from: japanDay(start), to, start, end };
}

/** Every day of the period with its count (0 when none). */
function fillDays(from: string, days: number, rows: { day: string; count: number }[]): TDayCount[] {
  const by = new Map(rows.map((r) => [r.day, r.count]));
  const first = Date.parse(`${from}T00:00:00Z`);
  return Array.from({ length: days }, (_, i) => {
    const day = new Date(first + i * DAY_MS).toISOString().slice(0, 10);
    return { day, count: by.get(day) ?? 0 };
  });
}

/**
 * The staff console's dashboard over the last `days` days (Japan time), each number one SQL
 * aggregate: logins by channel (audit events), deliveries per day, applications by status,
 * evacuation orders by level, partner API requests per day. Timestamps are stored in UTC
 * (timestamp(3)); days are cut at midnight in Japan.
 */
export async function getDashboardStats(
  prisma: PrismaClient,
  o: { days: TDashboardRange; now?: Date },
): Promise<TDashboardStats> {
  const { from, to, start, end } = dashboardPeriod(o.days, o.now ?? new Date());
  const jstDay = (col: string) => `to_char(("${col}" AT TIME ZONE 'UTC') AT TIME ZONE 'Asia/Tokyo', 'YYYY-MM-DD')`;
  const [logins, deliveries, applications, orders, api] = await Promise.all([
    prisma.$queryRawUnsafe<{ channel: string | null; count: number }[]>(
      `SELECT "channel", count(*)::int AS "count" FROM "AuditEvent"
       WHERE "type" = 'auth.login_succeeded' AND "occurredAt" >= $1 AND "occurredAt" < $2
       GROUP BY "channel"`,
      start,
      end,
    ),
    prisma.$queryRawUnsafe<{ day: string; count: number }[]>(
      `SELECT ${jstDay("createdAt")} AS "day", count(*)::int AS "count" FROM "MailboxDocument"
       WHERE "createdAt" >= $1 AND "createdAt" < $2 GROUP BY 1`,
      start,
      end,
    ),
    prisma.$queryRawUnsafe<{ status: string; count: number }[]>(
      `SELECT "status"::text AS "status", count(*)::int AS "count" FROM "ServiceApplication"
       WHERE "submittedAt" >= $1 AND "submittedAt" < $2 GROUP BY 1`,
      start,
      end,
    ),
    prisma.$queryRawUnsafe<{ level: number; count: number; active: number }[]>(
      `SELECT "level", count(*)::int AS "count", count(*) FILTER (WHERE "status" = 'ACTIVE')::int AS "active"
       FROM "EvacuationOrder" WHERE "issuedAt" >= $1 AND "issuedAt" < $2 GROUP BY 1`,
      start,
      end,
    ),
    prisma.$queryRawUnsafe<{ day: string; count: number }[]>(
      `SELECT ${jstDay("windowStart")} AS "day", sum("count")::int AS "count" FROM "PartnerApiUsage"
       WHERE "windowStart" >= $1 AND "windowStart" < $2 GROUP BY 1`,
      start,
      end,
    ),
  ]);
  const loginCount = (c: string) =>
    c === "other"
      ? logins
          .filter((l) => !(LOGIN_CHANNELS as readonly (string | null)[]).includes(l.channel))
          .reduce((n, l) => n + l.count, 0)
      : (logins.find((l) => l.channel === c)?.count ?? 0);
  return {
    from,
    to,
    logins: [...LOGIN_CHANNELS, "other" as const].map((channel) => ({ channel, count: loginCount(channel) })),
    deliveries: fillDays(from, o.days, deliveries),
    applications: (["SUBMITTED", "RETURNED", "APPROVED"] as const).map((status) => ({
      status,
      count: applications.find((a) => a.status === status)?.count ?? 0,
    })),
    evacuationOrders: [1, 2, 3, 4, 5].map((level) => {
      const row = orders.find((r) => r.level === level);
      return { level, count: row?.count ?? 0, active: row?.active ?? 0 };
    }),
    apiRequests: fillDays(from, o.days, api),
  };
}

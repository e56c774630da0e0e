/**
 * The audit viewer's filters as URL search parameters (the page's GET form, its paging links and
 * the CSV export share them). Dates are JST calendar days: `from` is the start of its day, `to`
 * the end of its day (exclusive start of the next one).
 */
import { z } from "zod";
import { ZAuditActorType, ZAuditChannel, ZAuditEventType } from "@/lib/audit/schemas";
import { ZSafeText } from "@/lib/http/safe-text";

const empty = (v: unknown) => (v === "" ? undefined : v);
const ZDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00+09:00`)));

export const ZAuditSearchParams = z.object({
  type: z.preprocess(empty, ZAuditEventType.optional()),
  actorType: z.preprocess(empty, ZAuditActorType.optional()),
  actorId: z.preprocess(empty, ZSafeText.trim().max(200).optional()),
  subject: z.preprocess(empty, z.uuid().optional()),
  channel: z.preprocess(empty, ZAuditChannel.optional()),
  from: z.preprocess(empty, ZDay.optional()),
  to: z.preprocess(empty, ZDay.optional()),
  cursor: z.preprocess(
    empty,
    z
      .string()
      .regex(/^[1-9][0-9]{0,18}$/)
      .optional(),
  ),
});
export type TAuditSearchParams = z.output<typeof ZAuditSearchParams>;

/** The names the form and links use, in order. */
export const AUDIT_FILTER_KEYS = ["type", "actorType", "actorId", "subject", "channel", "from", "to"] as const;

const DAY_MS = 86_400_000;

/** The lib filter (lib/audit/audit-viewer.ts) of parsed search parameters. */
export function auditFilterOf(p: TAuditSearchParams) {
  return {
    type: p.type,
    actorType: p.actorType,
    actorId: p.actorId || undefined,
    subjectResidentId: p.subject,
    channel: p.channel,
    from: p.from ? new Date(`${p.from}T00:00:00+09:00`) : undefined,
    to: p.to ? new Date(Date.parse(`${p.to}T00:00:00+09:00`) + DAY_MS) : undefined,
  };
}

/** First value of each search parameter (a repeated one counts once). */
export function firstValues(
  sp: Record<string, string | string[] | undefined> | URLSearchParams,
): Record<string, string> {
  const out: Record<string, string> = {};
  const entries = sp instanceof URLSearchParams ? [...sp.entries()] : Object.entries(sp);
  for (const [k, v] of entries) {
    const first = Array.isArray(v) ? v[0] : v;
    if (typeof first === "string" && !(k in out)) out[k] = first;
  }
  return out;
}

/** The query string of the filters (and an optional cursor), without empty ones. */
export function auditQuery(p: TAuditSearchParams, cursor?: string | null): string {
  const q = new URLSearchParams();
  for (const k of AUDIT_FILTER_KEYS) {
    const v = p[k];
    if (v) q.set(k, v);
  }
  if (cursor) q.set("cursor", cursor);
  const s = q.toString();
  return s ? `?${s}` : "";
}

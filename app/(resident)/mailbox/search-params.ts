import { z } from "zod";
import { ZSafeText } from "@/lib/http/safe-text";
import { ZDocumentDomain } from "@/lib/mailbox/document-types/define-document-type";
import type { TListDocumentsFilter } from "@/lib/mailbox/schemas";

const empty = (v: unknown) => (v === "" ? undefined : v);
const one = (v: unknown) => (Array.isArray(v) ? v[0] : v);

/** The inbox URL's query (?q=&type=&domain=&issuer=&from=&to=&archived=1&unread=1&cursor=). */
const ZMailboxSearchParams = z.object({
  q: z.preprocess((v) => empty(one(v)), ZSafeText.trim().max(100).optional()),
  type: z.preprocess((v) => empty(one(v)), ZSafeText.max(100).optional()),
  domain: z.preprocess((v) => empty(one(v)), ZDocumentDomain.optional()),
  issuer: z.preprocess((v) => empty(one(v)), z.uuid().optional()),
  from: z.preprocess((v) => empty(one(v)), z.iso.date().optional()),
  to: z.preprocess((v) => empty(one(v)), z.iso.date().optional()),
  archived: z.preprocess((v) => one(v) === "1", z.boolean()),
  unread: z.preprocess((v) => one(v) === "1", z.boolean()),
  cursor: z.preprocess((v) => empty(one(v)), z.string().max(200).optional()),
});

export type TMailboxQuery = { filter: TListDocumentsFilter; cursor?: string; raw: Record<string, string> };

/**
 * Reads the inbox filters from the URL. Invalid values are dropped rather than failing the
 * page: a hand-edited URL should still show the inbox.
 */
export function parseMailboxSearchParams(params: Record<string, string | string[] | undefined>): TMailboxQuery {
  const shape = ZMailboxSearchParams.shape;
  const out: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(shape)) {
    const r = (schema as z.ZodType).safeParse(params[key]);
    if (r.success && r.data !== undefined) out[key] = r.data;
  }
  const filter: TListDocumentsFilter = {
    ...(out.q ? { q: out.q as string } : {}),
    ...(out.type ? { type: out.type as string } : {}),
    ...(out.domain ? { domain: out.domain as TListDocumentsFilter["domain"] } : {}),
    ...(out.issuer ? { issuerPartnerId: out.issuer as string } : {}),
    ...(out.from ? { from: out.from as string } : {}),
    ...(out.to ? { to: out.to as string } : {}),
    ...(out.archived ? { archived: true } : {}),
    ...(out.unread ? { unreadOnly: true } : {}),
  };
  const raw: Record<string, string> = {};
  for (const k of ["q", "type", "domain", "issuer", "from", "to"] as const) {
    if (typeof out[k] === "string") raw[k] = out[k] as string;
  }
  if (out.archived) raw.archived = "1";
  if (out.unread) raw.unread = "1";
  return { filter, cursor: out.cursor as string | undefined, raw };
}

import { z } from "zod";
import { ZDocumentDomain } from "@/lib/mailbox/document-types/define-document-type";

/** The longest a grant may run; a longer arrangement is renewed deliberately. */
export const PROXY_MAX_YEARS = 5;

/** Read, or read and act (archive / restore) on the principal's documents. */
export const ZProxyAccess = z.enum(["READ", "READ_ACT"]);
export type TProxyAccess = z.infer<typeof ZProxyAccess>;

/**
 * A grant as the principal fills it in. The proxy is named by registry number and date of birth
 * together, so a wrong guess learns nothing about which of the two was wrong (no enumeration).
 * `endsOn` is the last Japanese calendar day the grant works.
 */
export const ZGrantProxyInput = z.strictObject({
  registryNumber: z
    .string()
    .trim()
    .regex(/^[0-9A-Za-z-]{4,32}$/),
  dateOfBirth: z.iso.date(),
  access: ZProxyAccess,
  domains: z
    .array(ZDocumentDomain)
    .min(1)
    .max(ZDocumentDomain.options.length)
    .transform((d) => [...new Set(d)].sort()),
  endsOn: z.iso.date(),
});
export type TGrantProxyInput = z.input<typeof ZGrantProxyInput>;

/** The instant a grant ending on `day` (Japanese calendar) stops: the next midnight in Japan. */
export function endOfJapaneseDay(day: string): Date {
  return new Date(new Date(`${day}T00:00:00+09:00`).getTime() + 86_400_000);
}

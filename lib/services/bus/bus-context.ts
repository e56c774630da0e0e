import type { PrismaClient } from "../../db/client";

/** What the bus use cases need: the database, the clock, and for receipts the issuer trust and the secrets keys. */
export type TBusContext = {
  prisma: PrismaClient;
  now?: () => Date;
  /** Roots for issuer signatures: a receipt goes through the same checks as any delivery. */
  trustAnchors?: () => Promise<Uint8Array[]>;
  /** SECRETS_ENCRYPTION_KEY (and previous keys): the operator's sealed receipt-signing key. */
  secretsKeys?: () => { key: Uint8Array; previousKeys: Uint8Array[] };
};

export function busNow(ctx: Pick<TBusContext, "now">): Date {
  return ctx.now ? ctx.now() : new Date();
}

/** Interactive transactions wait for a pooled connection: many taps at once must queue, not fail. */
export const BUS_TX_OPTIONS = { maxWait: 20_000, timeout: 20_000 } as const;

const JST_OFFSET_MS = 9 * 3600_000;

/** The calendar day in Japan (YYYY-MM-DD) of an instant. */
export function jstDay(at: Date): string {
  return new Date(at.getTime() + JST_OFFSET_MS).toISOString().slice(0, 10);
}

/** The instant a Japanese calendar day starts (00:00 JST). */
export function jstDayStart(day: string): Date {
  return new Date(Date.parse(`${day}T00:00:00+09:00`));
}

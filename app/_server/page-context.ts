/**
 * The one context of a server component (page or layout): the translator of its namespace, the
 * locale, the signed-in person of its audience and the request's metadata for the audit rows lib
 * writes. A kiosk page's device comes from terminalPage (terminal-device.ts, beside the kiosk
 * cookies, so that other pages do not load the platform). Every page still authorizes itself
 * where it reads data (convention 5, docs/architecture.md#conventions): these only resolve who is signed in (null: the page shows its
 * login or step-up prompt).
 */
import { getLocale, getTranslations } from "next-intl/server";
import type { TAuditChannel, TRequestMetadata } from "@/lib/audit/schemas";
import { AppError } from "@/lib/errors/app-error";
import type { TErrorCode } from "@/lib/errors/codes";
import { isLocale, type TLocale } from "@/lib/i18n/locales";
import { currentRequestMetadata, residentRequestContext } from "./request-context";
import {
  freshCardLogin,
  requirePartner,
  requireResident,
  requireStaff,
  type TPartnerSession,
  type TResidentSession,
  type TStaffSession,
} from "./session";

export type TTranslator = Awaited<ReturnType<typeof getTranslations>>;

export type TPageContext = { t: TTranslator; locale: TLocale };

/** The translator of `namespace` (all messages without one) and the request's locale (ja when the cookie holds anything else). */
export async function pageContext(namespace?: string): Promise<TPageContext> {
  const [t, raw] = [await getTranslations(namespace), await getLocale()];
  return { t, locale: isLocale(raw) ? raw : "ja" };
}

export type TResidentPageContext = TPageContext & {
  /** The signed-in resident (card or passkey session), or null. */
  resident: TResidentSession | null;
  /** The same resident only after a card login within STEP_UP_MAX_AGE_MS (personal-data pages), or null. */
  card: TResidentSession | null;
  channel: TAuditChannel;
  requestMetadata: TRequestMetadata;
};

/** A resident page: see {@link TResidentPageContext}. */
export async function residentPage(namespace?: string): Promise<TResidentPageContext> {
  const page = await pageContext(namespace);
  const resident = await requireResident();
  return { ...page, resident, card: freshCardLogin(resident), ...(await residentRequestContext()) };
}

/**
 * A TV page (/tv, the set-top box's browser): a resident page whose audit rows all say channel
 * "tv". The TV session is an ordinary resident session (card login through the box's agent).
 */
export async function tvPage(namespace = "tv"): Promise<TResidentPageContext> {
  return { ...(await residentPage(namespace)), channel: "tv" };
}

/** A staff page (admin console): the staff member (an active staff role after a card login), or null. */
export async function staffPage(namespace?: string): Promise<TPageContext & { staff: TStaffSession | null }> {
  return { ...(await pageContext(namespace)), staff: await requireStaff() };
}

/** A partner console page: the console user (or null) and the request metadata for the audit rows. */
export async function partnerPage(
  namespace?: string,
): Promise<TPageContext & { partner: TPartnerSession | null; requestMetadata: TRequestMetadata }> {
  return {
    ...(await pageContext(namespace)),
    partner: await requirePartner(),
    requestMetadata: await currentRequestMetadata(),
  };
}

/**
 * What a page reads, or the code of a refusal it shows as its own notice (an AppError with one of
 * `codes`); any other error goes to the error page. `[value, null]` or `[null, code]`.
 */
export async function orRefusal<T, C extends TErrorCode>(
  work: Promise<T>,
  codes: readonly C[],
): Promise<[T, null] | [null, C]> {
  try {
    return [await work, null];
  } catch (err) {
    if (err instanceof AppError && (codes as readonly TErrorCode[]).includes(err.code)) return [null, err.code as C];
    throw err;
  }
}

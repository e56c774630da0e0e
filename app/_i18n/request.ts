import { cookies } from "next/headers";
import { getRequestConfig } from "next-intl/server";
import { defaultLocale, isLocale, LOCALE_COOKIE } from "@/lib/i18n/locales";

// Locale comes from a cookie (no locale prefix in URLs): Japanese unless the resident chose English.
export default getRequestConfig(async () => {
  const fromCookie = (await cookies()).get(LOCALE_COOKIE)?.value;
  const locale = isLocale(fromCookie) ? fromCookie : defaultLocale;
  const messages = (await import(`../../lib/i18n/messages/${locale}.json`)).default;
  return { locale, messages, timeZone: "Asia/Tokyo" };
});

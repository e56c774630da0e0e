"use server";

import { cookies } from "next/headers";
import { z } from "zod";
import { LOCALE_COOKIE, locales } from "@/lib/i18n/locales";

const ZSetLocaleInput = z.object({ locale: z.enum(locales) });

/**
 * Language switch: stores the choice in the `ichimai_locale` cookie that app/_i18n/request.ts
 * reads. Setting a cookie in a server action makes Next re-render the current route, so the
 * resident stays on the same page (and it works as a plain form post before hydration).
 */
export async function setLocale(formData: FormData): Promise<void> {
  const parsed = ZSetLocaleInput.safeParse({ locale: formData.get("locale") });
  if (!parsed.success) return;
  (await cookies()).set(LOCALE_COOKIE, parsed.data.locale, {
    path: "/",
    maxAge: 60 * 60 * 24 * 365,
    sameSite: "lax",
    httpOnly: true,
  });
}

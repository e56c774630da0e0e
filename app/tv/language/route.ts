import { z } from "zod";
import { guardedRoute } from "@/app/_server/route";
import { ZSafeText } from "@/lib/http/safe-text";
import { locales } from "@/lib/i18n/locales";
import {
  html,
  requireTvFormOrigin,
  seeOther,
  setTvLocale,
  tvHtmlResponse,
  tvLanguageForm,
  tvScreen,
} from "../_html/tv-screen";

export const dynamic = "force-dynamic";

/** GET /tv/language: 日本語 / English with the arrow keys and OK. */
export const GET = guardedRoute(async (request: Request) => {
  const s = await tvScreen();
  return tvHtmlResponse(request, s, {
    title: s.t("language"),
    back: "/tv?menu=1",
    screen: "language",
    body: html`<p class="text-tv-body">${s.t("languageBody")}</p>${await tvLanguageForm(s.locale, "/tv/language")}`,
  });
});

/** Where the language form may return to: one of the TV's own screens. */
const ZBack = ZSafeText.pipe(z.string().regex(/^\/tv(\/[a-z0-9/-]*)?$/));
const ZLanguage = z.object({ locale: z.enum(locales), back: ZBack.optional().catch(undefined) });

/** POST /tv/language (a plain form): stores the choice in the locale cookie, back to the screen it came from. */
export const POST = guardedRoute(async (request: Request) => {
  requireTvFormOrigin(request);
  const form = await request.formData();
  const parsed = ZLanguage.safeParse({ locale: form.get("locale"), back: form.get("back") ?? undefined });
  if (!parsed.success) return seeOther(request, "/tv/language");
  await setTvLocale(parsed.data.locale);
  return seeOther(request, parsed.data.back ?? "/tv/language");
});

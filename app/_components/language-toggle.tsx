import { getLocale, getTranslations } from "next-intl/server";
import { setLocale } from "@/app/_server/set-locale";
import { cn } from "./ui/class-names";

/**
 * Header language switch: one button that names the other language in that language
 * ("English" on Japanese pages, 「日本語」 on English ones), with `lang` set so screen readers
 * pronounce it correctly. Posts to a server action; the page re-renders in place.
 */
export async function LanguageToggle({ className }: { className?: string }) {
  const t = await getTranslations("language");
  const target = t("switchLang");
  return (
    <form action={setLocale} className={className} data-language-toggle="">
      <input type="hidden" name="locale" value={target} />
      <button
        type="submit"
        lang={target}
        aria-label={t("switchLabel")}
        className="inline-flex min-h-11 items-center gap-2 rounded-8 border border-current bg-white px-3 py-1 text-oln-16B-100 text-primary hover:bg-blue-50 hover:underline"
      >
        {t("switchText")}
      </button>
    </form>
  );
}

/**
 * Both languages side by side (settings page, TV, kiosk). The current one is marked with
 * `aria-pressed`; each option is written in its own language.
 */
export async function LanguageChoice({
  size = "md",
  tone = "light",
  navAttribute = false,
  className,
}: {
  size?: "md" | "xl";
  /** "dark" for the black /tv background. */
  tone?: "light" | "dark";
  /** Marks the buttons as D-pad targets for /tv. */
  navAttribute?: boolean;
  className?: string;
}) {
  const [locale, t] = [await getLocale(), await getTranslations("language")];
  const options = [
    { value: "ja", label: "日本語" },
    { value: "en", label: "English" },
  ] as const;
  return (
    <form action={setLocale} className={cn("flex flex-wrap gap-4", className)} aria-label={t("groupLabel")}>
      {options.map((o) => (
        <button
          key={o.value}
          type="submit"
          name="locale"
          value={o.value}
          lang={o.value}
          aria-pressed={locale === o.value}
          data-tv-nav={navAttribute ? "" : undefined}
          className={cn(
            "inline-flex items-center justify-center gap-2 border-2 hover:underline",
            tone === "dark"
              ? "border-white bg-black text-white aria-pressed:bg-white aria-pressed:text-black"
              : "border-primary bg-white text-primary aria-pressed:bg-primary aria-pressed:text-white",
            size === "xl"
              ? "min-h-20 min-w-56 rounded-12 px-8 text-std-28B-150"
              : "min-h-12 min-w-28 rounded-8 px-4 text-oln-16B-100",
          )}
        >
          {locale === o.value ? <span aria-hidden="true">✓</span> : null}
          {o.label}
        </button>
      ))}
    </form>
  );
}

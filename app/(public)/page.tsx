import type { Metadata } from "next";
import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import { Card } from "@/app/_components/ui/card";
import { LinkButton } from "@/app/_components/ui/link-button";
import { formatDateBoth, formatIsoDay } from "@/lib/i18n/dates";
import { isLocale } from "@/lib/i18n/locales";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("app");
  return { title: { absolute: t("fullName") } };
}

/** What one card does; `href` is where a resident tries it (absent: not built yet, said so on the card). */
const services = [
  { key: "admin", accent: "border-t-blue-900", href: "/services/applications" },
  { key: "transport", accent: "border-t-green-800", href: "/services/bus" },
  { key: "disaster", accent: "border-t-red-900", href: "/disaster" },
  { key: "hospital", accent: "border-t-light-blue-900", href: "/services/medical" },
] as const;

/** Public home: what ichimai is, what one card does, the mailbox, privacy, and the way to log in. */
export default async function HomePage() {
  const [t, locale] = [await getTranslations("home"), await getLocale()];
  const now = new Date();
  return (
    <div className="space-y-16">
      <section aria-labelledby="hero-title" className="space-y-5">
        <p className="text-std-16B-170 text-primary">{t("eyebrow")}</p>
        <h1 id="hero-title" className="max-w-[20em] text-std-32B-150 sm:text-std-45B-140">
          {t("heroTitle")}
        </h1>
        <p className="max-w-[42em] text-std-17N-170 sm:text-std-18N-160">{t("heroLead")}</p>
        <p className="text-std-16N-170 text-ink-muted">
          <span>{t("todayLabel")}</span>
          <time dateTime={formatIsoDay(now)}>{formatDateBoth(now, isLocale(locale) ? locale : "ja")}</time>
        </p>
        <div className="flex flex-wrap items-center gap-4 pt-2">
          <LinkButton href="/login" size="lg">
            {t("login")}
          </LinkButton>
          <Link href="/tv" className="text-std-16B-170 text-primary underline hover:decoration-2">
            {t("tvLink")}
          </Link>
        </div>
      </section>

      <section aria-labelledby="services-title" className="space-y-6">
        <div className="space-y-2">
          <h2 id="services-title" className="text-std-28B-150">
            {t("servicesTitle")}
          </h2>
          <p className="max-w-[46em] text-std-16N-175 text-ink-muted">{t("servicesLead")}</p>
        </div>
        <ul className="grid gap-6 sm:grid-cols-2 xl:grid-cols-4">
          {services.map((s) => (
            <li key={s.key} className="flex">
              <Card className={`flex-1 border-t-8 ${s.accent}`}>
                <h3 className="text-std-22B-150">{t(`${s.key}Title`)}</h3>
                <p className="mt-3 text-std-16N-175">{t(`${s.key}Body`)}</p>
                {s.href ? (
                  <Link
                    href={s.href}
                    aria-label={`${t("tryLink")}: ${t(`${s.key}Title`)}`}
                    className="mt-3 inline-block text-std-16B-170 text-primary underline"
                  >
                    {t("tryLink")}
                  </Link>
                ) : (
                  <p className="mt-3 text-std-16B-170 text-ink-muted">{t("comingSoon")}</p>
                )}
              </Card>
            </li>
          ))}
        </ul>
      </section>

      <div className="grid gap-6 lg:grid-cols-2">
        <section aria-labelledby="mailbox-title">
          <Card className="h-full">
            <h2 id="mailbox-title" className="text-std-24B-150">
              {t("mailboxTitle")}
            </h2>
            <p className="mt-3 text-std-16N-175">{t("mailboxBody")}</p>
            <ul className="mt-4 list-disc space-y-2 pl-6 text-std-16N-175">
              <li>{t("mailboxPoint1")}</li>
              <li>{t("mailboxPoint2")}</li>
              <li>{t("mailboxPoint3")}</li>
            </ul>
          </Card>
        </section>
        <section aria-labelledby="privacy-title">
          <Card className="h-full">
            <h2 id="privacy-title" className="text-std-24B-150">
              {t("privacyTitle")}
            </h2>
            <p className="mt-3 text-std-16N-175">{t("privacyBody")}</p>
            <ul className="mt-4 list-disc space-y-2 pl-6 text-std-16N-175">
              <li>{t("privacyPoint1")}</li>
              <li>{t("privacyPoint2")}</li>
            </ul>
          </Card>
        </section>
      </div>

      <section aria-labelledby="start-title" className="rounded-16 bg-primary-subtle p-6 sm:p-10">
        <h2 id="start-title" className="text-std-28B-150">
          {t("loginTitle")}
        </h2>
        <p className="mt-3 max-w-[42em] text-std-17N-170">{t("loginBody")}</p>
        <LinkButton href="/login" size="lg" className="mt-6">
          {t("loginCta")}
        </LinkButton>
      </section>
    </div>
  );
}

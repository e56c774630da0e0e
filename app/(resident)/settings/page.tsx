import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { LanguageChoice } from "@/app/_components/language-toggle";
import { LoginRequired } from "@/app/_components/login-required";
import { PageHeader } from "@/app/_components/page-header";
import { Card } from "@/app/_components/ui/card";
import { EmptyState } from "@/app/_components/ui/empty-state";
import { residentPage } from "@/app/_server/page-context";

export const dynamic = "force-dynamic";

const SECTIONS = [
  ["/settings/consents", "consentsLink"],
  ["/settings/access-log", "accessLogLink"],
  ["/settings/proxies", "proxiesLink"],
  ["/settings/passkeys", "passkeysLink"],
  ["/settings/notifications", "notificationsLink"],
  ["/settings/set-top-box", "setTopBoxLink"],
] as const;

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("settings");
  return { title: t("title") };
}

export default async function SettingsPage() {
  const { t, resident } = await residentPage("settings");
  return (
    <>
      <PageHeader title={t("title")} lead={t("lead")} />
      <div className="space-y-8">
        {/* The language can be chosen before logging in: it is a display preference, not account data. */}
        <Card>
          <h2 className="text-std-20B-150">{t("languageTitle")}</h2>
          <p className="mt-2 mb-4 text-std-16N-175">{t("languageBody")}</p>
          <LanguageChoice />
        </Card>
        {resident ? (
          <>
            <Card>
              <h2 className="text-std-20B-150">{t("sectionsTitle")}</h2>
              <ul className="mt-4 list-disc space-y-2 pl-6 text-std-16N-175">
                {SECTIONS.map(([href, key]) => (
                  <li key={href}>
                    <Link href={href} className="underline underline-offset-4">
                      {t(key)}
                    </Link>
                  </li>
                ))}
              </ul>
            </Card>
            <EmptyState title={t("emptyTitle")}>
              <p>{t("emptyBody")}</p>
            </EmptyState>
          </>
        ) : (
          <LoginRequired />
        )}
      </div>
    </>
  );
}

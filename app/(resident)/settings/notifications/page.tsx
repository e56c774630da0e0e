import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { LoginRequired } from "@/app/_components/login-required";
import { PageHeader } from "@/app/_components/page-header";
import { Button } from "@/app/_components/ui/button";
import { Notice } from "@/app/_components/ui/notice";
import { residentPage } from "@/app/_server/page-context";
import { getDb } from "@/lib/db/client";
import { listNotificationPreferences } from "@/lib/notifications/set-notification-preference";
import { saveNotificationPreferencesAction } from "./actions";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("notificationSettings");
  return { title: t("title") };
}

/**
 * /settings/notifications — which document types send an e-mail when they arrive.
 * The mail names the type and the issuer only; every type is on until the resident turns it off.
 */
export default async function NotificationSettingsPage({
  searchParams,
}: {
  searchParams: Promise<{ saved?: string }>;
}) {
  const { t, locale, resident } = await residentPage("notificationSettings");
  if (!resident) {
    return (
      <>
        <PageHeader title={t("title")} lead={t("lead")} />
        <LoginRequired />
      </>
    );
  }
  const prefs = await listNotificationPreferences(await getDb(), resident.residentId);
  const { saved } = await searchParams;
  return (
    <>
      <PageHeader title={t("title")} lead={t("lead")} />
      <div className="space-y-6">
        {saved ? <Notice tone="success" title={t("saved")} /> : null}
        <form action={saveNotificationPreferencesAction} className="space-y-6">
          <fieldset className="space-y-3">
            <legend className="mb-2 text-std-20B-150">{t("legend")}</legend>
            {prefs.map((p) => (
              <div key={p.documentType} className="flex items-center gap-3">
                <input
                  type="checkbox"
                  id={`pref-${p.documentType}`}
                  name={`type:${p.documentType}`}
                  defaultChecked={p.email}
                  className="size-6"
                />
                <label htmlFor={`pref-${p.documentType}`} className="text-std-16N-175">
                  {p.title[locale]}
                </label>
              </div>
            ))}
          </fieldset>
          <p className="text-std-16N-175">{t("privacy")}</p>
          <Button type="submit">{t("save")}</Button>
        </form>
      </div>
    </>
  );
}

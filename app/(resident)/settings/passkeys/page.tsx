import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { PageHeader } from "@/app/_components/page-header";
import { LinkButton } from "@/app/_components/ui/link-button";
import { Notice } from "@/app/_components/ui/notice";
import { residentPage } from "@/app/_server/page-context";
import { getDb } from "@/lib/db/client";
import { PasskeyRegisterButton } from "./passkey-register-button";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("passkey");
  return { title: t("title") };
}

/**
 * /settings/passkeys: passkeys for low-risk re-entry. Managing them is a personal-data page, so
 * it needs a card login within the last 15 minutes (step-up): a passkey session, or an older
 * card session, is asked to log in with the card again.
 */
export default async function PasskeysPage() {
  const { t, resident, card } = await residentPage("passkey");
  const passkeys = card
    ? await (await getDb()).passkey.findMany({
        where: { residentId: card.residentId },
        orderBy: { createdAt: "asc" },
        select: { id: true, name: true, createdAt: true, lastUsedAt: true },
      })
    : [];
  return (
    <>
      <PageHeader title={t("title")} lead={t("lead")} />
      {!card ? (
        <Notice
          tone="warning"
          title={resident ? t("stepUpTitle") : t("loginTitle2")}
          data-step-up={resident ? "required" : "login"}
        >
          <p>{resident ? t("stepUpBody") : t("loginBody2")}</p>
          <LinkButton href="/login?next=/settings/passkeys" className="mt-4">
            {t("stepUpAction")}
          </LinkButton>
        </Notice>
      ) : (
        <div className="space-y-6">
          {passkeys.length === 0 ? (
            <p>{t("none")}</p>
          ) : (
            <ul className="list-disc space-y-1 pl-6" data-testid="passkey-list">
              {passkeys.map((p) => (
                <li key={p.id}>
                  {p.name} — {t("createdAt", { date: p.createdAt })}
                </li>
              ))}
            </ul>
          )}
          <PasskeyRegisterButton />
        </div>
      )}
    </>
  );
}

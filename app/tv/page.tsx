import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { LanguageChoice } from "@/app/_components/language-toggle";
import { tvPage } from "@/app/_server/page-context";
import { getDb } from "@/lib/db/client";
import { tvDisasterView } from "@/lib/disaster/tv-order";
import { listDocuments } from "@/lib/mailbox/list-documents";
import { TvFrame, TvTile } from "./_components/tv-frame";
import { TvLoginClient } from "./_components/tv-login-client";
import { TvLogoutClient } from "./_components/tv-logout-client";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("tv"))("title") };
}

/**
 * /tv: the 10-foot UI of the set-top box's browser. Signed out: the card login (the box's card
 * agent; PIN on the agent's own TV screen) and the language. Signed in: an ACTIVE evacuation order
 * of the resident's district takes the whole screen (/tv/order) until they choose the menu
 * (`?menu=1`); the menu: mailbox with the unread count, health, disaster, language, log out —
 * arrow keys, OK, and the number keys 1–5.
 */
export default async function TvPage({ searchParams }: { searchParams: Promise<{ menu?: string | string[] }> }) {
  const { t, resident, channel, requestMetadata } = await tvPage("tv");
  if (!resident) {
    return (
      <TvFrame t={t} title={t("loginTitle")} screen="login">
        <p className="text-tv-body">{t("loginLead")}</p>
        <TvLoginClient />
        <section aria-labelledby="tv-language" className="space-y-4">
          <h2 id="tv-language" className="text-tv-body font-bold">
            {t("language")}
          </h2>
          <LanguageChoice size="xl" tone="dark" navAttribute />
        </section>
      </TvFrame>
    );
  }
  const prisma = await getDb();
  const { menu } = await searchParams;
  if (menu !== "1") {
    const view = await tvDisasterView({ prisma }, { residentId: resident.residentId });
    if (view.orders.length > 0) redirect("/tv/order");
  }
  const { unreadCount } = await listDocuments(prisma, {
    residentId: resident.residentId,
    limit: 1,
    channel,
    requestMetadata,
  });
  return (
    <TvFrame t={t} title={t("greeting", { name: resident.displayName })} screen="menu">
      <nav aria-label={t("menuLabel")}>
        <ul className="grid grid-cols-1 gap-8 lg:grid-cols-2">
          <li>
            <TvTile href="/tv/mailbox" n={1} testId="tv-menu-mailbox">
              {t("mailbox")}{" "}
              <span data-testid="tv-unread-count" className="ml-4 rounded-12 bg-yellow-300 px-4 text-black">
                {t("unread", { count: unreadCount })}
              </span>
            </TvTile>
          </li>
          <li>
            <TvTile href="/tv/health" n={2} testId="tv-menu-health">
              {t("health")}
            </TvTile>
          </li>
          <li>
            <TvTile href="/tv/order" n={3} testId="tv-menu-disaster">
              {t("disaster")}
            </TvTile>
          </li>
          <li>
            <TvTile href="/tv/language" n={4} testId="tv-menu-language">
              {t("language")}
            </TvTile>
          </li>
          <li>
            <TvLogoutClient label={t("logout")} n={5} />
          </li>
        </ul>
      </nav>
    </TvFrame>
  );
}

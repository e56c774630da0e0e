import { guardedRoute } from "@/app/_server/route";
import { getDb } from "@/lib/db/client";
import { formatDateTime } from "@/lib/i18n/dates";
import { listDocuments } from "@/lib/mailbox/list-documents";
import { html, seeOther, tvHtmlResponse, tvScreen, tvTile } from "../_html/tv-screen";

export const dynamic = "force-dynamic";

/** GET /tv/mailbox: the unread count and the nine newest documents, number keys 1–9 open them. */
export const GET = guardedRoute(async (request: Request) => {
  const s = await tvScreen();
  if (!s.resident) return seeOther(request, "/tv");
  const { t, locale, resident, channel, requestMetadata } = s;
  const { items, unreadCount } = await listDocuments(await getDb(), {
    residentId: resident.residentId,
    limit: 9,
    channel,
    requestMetadata,
  });
  return tvHtmlResponse(request, s, {
    title: t("mailboxTitle"),
    back: "/tv?menu=1",
    screen: "mailbox",
    body: html`<p class="text-tv-body" data-testid="tv-unread-count">${t("unread", { count: unreadCount })}</p>${
      items.length === 0
        ? html`<p class="text-tv-body">${t("mailboxEmpty")}</p>`
        : html`<nav aria-label="${t("mailboxListLabel")}"><ol class="space-y-6" data-testid="tv-documents">${items.map(
            (d, i) =>
              html`<li${d.readAt ? null : html` data-unread=""`}>${tvTile({
                href: `/tv/mailbox/${d.id}`,
                n: i + 1,
                content: html`${
                  d.readAt
                    ? null
                    : html`<span class="mr-4 rounded-12 bg-yellow-300 px-3 text-black">${t("unreadMark")}</span>`
                }<bdi>${d.subject[locale]}</bdi><span class="block text-std-24B-150 font-normal"><bdi>${
                  locale === "en" ? d.issuer.nameEn : d.issuer.name
                }</bdi> ・ ${formatDateTime(d.createdAt, locale)}</span>`,
              })}</li>`,
          )}</ol></nav>`
    }`,
  });
});

import { guardedRoute } from "@/app/_server/route";
import { getDb } from "@/lib/db/client";
import { activeOrdersForResident } from "@/lib/disaster/orders/active";
import { listDocuments } from "@/lib/mailbox/list-documents";
import { html, seeOther, tvHtmlResponse, tvLogoutForm, tvScreen, tvTile } from "./_html/tv-screen";

export const dynamic = "force-dynamic";

/**
 * GET /tv: the 10-foot UI of the set-top box's browser (plain HTML, no framework JS: see
 * _html/tv-screen.ts). Signed out: the card login at /tv/login (the query, e.g. `?agent=`, kept).
 * Signed in: an ACTIVE evacuation order of the resident's district takes the whole screen
 * (/tv/order) until they choose the menu (`?menu=1`); the menu: mailbox with the unread count,
 * health, disaster, language, log out — arrow keys, OK, and the number keys 1–5.
 */
export const GET = guardedRoute(async (request: Request) => {
  const s = await tvScreen();
  const url = new URL(request.url);
  if (!s.resident) return seeOther(request, `/tv/login${url.search}`);
  const { t, resident, channel, requestMetadata } = s;
  const prisma = await getDb();
  if (url.searchParams.get("menu") !== "1") {
    const orders = await activeOrdersForResident({ prisma }, resident.residentId);
    if (orders.length > 0) return seeOther(request, "/tv/order");
  }
  const { unreadCount } = await listDocuments(prisma, {
    residentId: resident.residentId,
    limit: 1,
    channel,
    requestMetadata,
  });
  const item = (content: unknown) => html`<li>${content}</li>`;
  return tvHtmlResponse(request, s, {
    title: t("greeting", { name: resident.displayName }),
    documentTitle: t("title"),
    screen: "menu",
    body: html`<nav aria-label="${t("menuLabel")}"><ul class="grid grid-cols-1 gap-8 lg:grid-cols-2">${[
      item(
        tvTile({
          href: "/tv/mailbox",
          n: 1,
          testId: "tv-menu-mailbox",
          content: html`${t("mailbox")} <span data-testid="tv-unread-count" class="ml-4 rounded-12 bg-yellow-300 px-4 text-black">${t("unread", { count: unreadCount })}</span>`,
        }),
      ),
      item(tvTile({ href: "/tv/health", n: 2, testId: "tv-menu-health", content: t("health") })),
      item(tvTile({ href: "/tv/order", n: 3, testId: "tv-menu-disaster", content: t("disaster") })),
      item(tvTile({ href: "/tv/language", n: 4, testId: "tv-menu-language", content: t("language") })),
      item(tvLogoutForm(t("logout"), 5)),
    ]}</ul></nav>`,
  });
});

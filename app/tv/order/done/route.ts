import { guardedRoute } from "@/app/_server/route";
import { getDb } from "@/lib/db/client";
import { activeOrdersForResident } from "@/lib/disaster/orders/active";
import { html, seeOther, tvHtmlResponse, tvScreen, tvTile } from "../../_html/tv-screen";

export const dynamic = "force-dynamic";

/** GET /tv/order/done?order=…: what the resident told the town, read back from their stored reply. */
export const GET = guardedRoute(async (request: Request) => {
  const s = await tvScreen();
  if (!s.resident) return seeOther(request, "/tv");
  const { t, resident } = s;
  const orderId = new URL(request.url).searchParams.get("order");
  const orders = await activeOrdersForResident({ prisma: await getDb() }, resident.residentId);
  const order = orders.find((o) => o.orderId === orderId);
  if (!order?.safety) return seeOther(request, "/tv/order");
  const safe = order.safety.status === "SAFE";
  return tvHtmlResponse(request, s, {
    title: t("doneTitle"),
    back: "/tv/order",
    screen: "order-done",
    body: html`<p data-testid="tv-done-status" data-status="${order.safety.status}" class="rounded-24 border-8 border-white p-10 text-tv-title font-bold ${
      safe ? "bg-blue-900" : "bg-red-900"
    }">${safe ? t("doneSafe") : t("doneHelp")}</p><ul class="grid grid-cols-2 gap-8"><li>${tvTile({
      href: "/tv/order",
      n: 1,
      content: t("doneBack"),
    })}</li><li>${tvTile({ href: "/tv?menu=1", n: 2, content: t("menu") })}</li></ul>`,
  });
});

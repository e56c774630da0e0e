import { orRefusal } from "@/app/_server/page-context";
import { guardedRoute } from "@/app/_server/route";
import { getDb } from "@/lib/db/client";
import { getDocumentOrThrow } from "@/lib/mailbox/get-document";
import { html, seeOther, tvDocument, tvHtmlResponse, tvScreen } from "../../_html/tv-screen";

export const dynamic = "force-dynamic";

/** GET /tv/mailbox/[id]: one document in 10-foot type; opening it marks it read (as on the web), audited with channel tv. */
export const GET = guardedRoute(async (request: Request, route: { params: Promise<{ id: string }> }) => {
  const s = await tvScreen();
  if (!s.resident) return seeOther(request, "/tv");
  const { t, locale, resident, channel, requestMetadata } = s;
  const { id } = await route.params;
  const back = new URL(request.url).searchParams.get("from") === "health" ? "/tv/health" : "/tv/mailbox";
  const [doc] = await orRefusal(
    getDocumentOrThrow(await getDb(), { residentId: resident.residentId, documentId: id, channel, requestMetadata }),
    ["NOT_FOUND"],
  );
  if (!doc) {
    return tvHtmlResponse(request, s, {
      title: t("documentNotFound"),
      back,
      screen: "document-not-found",
      status: 404,
      body: html`<p class="text-tv-body">${t("documentNotFound")}</p>`,
    });
  }
  return tvHtmlResponse(request, s, {
    title: html`<bdi>${doc.subject[locale]}</bdi>`,
    documentTitle: t("mailboxTitle"),
    back,
    screen: "document",
    body: tvDocument(t, locale, doc),
  });
});

import { guardedRoute } from "@/app/_server/route";
import { getDb } from "@/lib/db/client";
import { formatDateTime } from "@/lib/i18n/dates";
import { getDocumentOrThrow } from "@/lib/mailbox/get-document";
import { listDocuments } from "@/lib/mailbox/list-documents";
import { html, seeOther, tvDocument, tvHtmlResponse, tvScreen, tvTile } from "../_html/tv-screen";

export const dynamic = "force-dynamic";

/**
 * GET /tv/health: the current medication (the newest `medication-list` the hospital delivered,
 * shown in full — opening it marks it read, as on the web) and the recent `checkup-result`
 * documents (number keys open them).
 */
export const GET = guardedRoute(async (request: Request) => {
  const s = await tvScreen();
  if (!s.resident) return seeOther(request, "/tv");
  const { t, locale, resident, channel, requestMetadata } = s;
  const prisma = await getDb();
  const base = { residentId: resident.residentId, channel, requestMetadata };
  const [medication, checkups] = await Promise.all([
    listDocuments(prisma, { ...base, limit: 1, filter: { type: "medication-list" } }),
    listDocuments(prisma, { ...base, limit: 5, filter: { type: "checkup-result" } }),
  ]);
  const latest = medication.items[0];
  const medicationDoc = latest ? await getDocumentOrThrow(prisma, { ...base, documentId: latest.id }) : null;
  return tvHtmlResponse(request, s, {
    title: t("healthTitle"),
    back: "/tv?menu=1",
    screen: "health",
    body: html`<section aria-labelledby="tv-medication" class="space-y-6" data-testid="tv-medication"><h2 id="tv-medication" class="text-tv-title font-bold">${t("medicationTitle")}</h2>${
      medicationDoc
        ? html`<p class="text-tv-body">${t("medicationFrom", {
            issuer: locale === "en" ? medicationDoc.issuer.nameEn : medicationDoc.issuer.name,
            date: formatDateTime(medicationDoc.createdAt, locale),
          })}</p>${tvDocument(t, locale, medicationDoc)}`
        : html`<p class="text-tv-body">${t("medicationNone")}</p>`
    }</section><section aria-labelledby="tv-checkups" class="space-y-6" data-testid="tv-checkups"><h2 id="tv-checkups" class="text-tv-title font-bold">${t("checkupTitle")}</h2>${
      checkups.items.length === 0
        ? html`<p class="text-tv-body">${t("checkupNone")}</p>`
        : html`<ol class="space-y-6">${checkups.items.map(
            (d, i) =>
              html`<li>${tvTile({
                href: `/tv/mailbox/${d.id}?from=health`,
                n: i + 1,
                content: html`<bdi>${d.subject[locale]}</bdi><span class="block text-std-24B-150 font-normal">${formatDateTime(d.createdAt, locale)}</span>`,
              })}</li>`,
          )}</ol>`
    }</section>`,
  });
});

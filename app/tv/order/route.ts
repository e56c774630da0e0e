import { guardedRoute } from "@/app/_server/route";
import { getDb } from "@/lib/db/client";
import { activeOrdersForResident, markOrderRead, recordTvBanner } from "@/lib/disaster/orders/active";
import { AppError } from "@/lib/errors/app-error";
import { html, seeOther, tvHtmlResponse, tvScreen } from "../_html/tv-screen";

export const dynamic = "force-dynamic";

const LEVEL_COLOUR: Record<number, string> = {
  1: "bg-white text-black",
  2: "bg-yellow-300 text-black",
  3: "bg-red-900 text-white",
  4: "bg-purple-900 text-white",
  5: "bg-black text-white border-8 border-white",
};

/**
 * GET /tv/order: an ACTIVE evacuation order of the resident's district, full-screen — her name,
 * the alert level and hazard, the town's message, the nearest open shelters — and the two answers
 * on the colour keys: BLUE 「無事です」, RED 「助けが必要です」 (also focusable buttons, OK sends;
 * plain form posts to /tv/order/reply).
 */
export const GET = guardedRoute(async (request: Request) => {
  const s = await tvScreen();
  if (!s.resident) return seeOther(request, "/tv");
  const { t, locale, resident, requestMetadata } = s;
  const ctx = { prisma: await getDb() };
  const order = (await activeOrdersForResident(ctx, resident.residentId))[0];
  if (!order) {
    return tvHtmlResponse(request, s, {
      title: t("orderTitle"),
      back: "/tv?menu=1",
      screen: "order-none",
      body: html`<p class="text-tv-body" data-testid="tv-order-none">${t("orderNone")}</p>`,
    });
  }
  // The ladder's receipts: shown on the TV, and read (an order issued without personal notices,
  // e.g. before the resident moved in, has none to receipt).
  const receipt = { orderId: order.orderId, residentId: resident.residentId };
  try {
    await recordTvBanner(ctx, receipt);
    await markOrderRead(ctx, { ...receipt, channel: "tv", requestMetadata });
  } catch (err) {
    if (!(err instanceof AppError && err.code === "DISASTER_ORDER_NOT_FOUND")) throw err;
  }
  const error = new URL(request.url).searchParams.get("error");
  const errorCode = error && /^[A-Z_]{1,60}$/.test(error) ? error : null;
  const answers = [
    ["SAFE", "blue", "bg-blue-900", t("replySafe"), t("replyKeySafe")],
    ["NEEDS_HELP", "red", "bg-red-900", t("replyHelp"), t("replyKeyHelp")],
  ] as const;
  return tvHtmlResponse(request, s, {
    title: t("orderTitle"),
    back: "/tv?menu=1",
    colourLegend: true,
    screen: "order",
    body: html`<section aria-labelledby="tv-order-heading" data-order-id="${order.orderId}" class="space-y-6 rounded-24 p-10 ${
      LEVEL_COLOUR[order.level] ?? LEVEL_COLOUR[5]
    }"><p class="text-tv-title font-bold" data-testid="tv-order-name"><bdi>${t("orderFor", {
      name: resident.displayName,
    })}</bdi></p>${
      order.urgent
        ? html`<p class="inline-block rounded-12 border-4 border-white px-6 text-tv-body font-bold" data-testid="tv-order-urgent">${t("orderUrgent")}</p>`
        : null
    }<h2 id="tv-order-heading" class="text-[5rem] leading-tight font-bold" data-testid="tv-order-level">${t(
      "orderLevel",
      { level: order.level },
    )} ${t(`levelName.${order.level}`)}<span class="ml-6">（${t(`hazard.${order.hazard}`)}）</span></h2><p class="whitespace-pre-wrap text-tv-title" data-testid="tv-order-message"><bdi>${order.instruction}</bdi></p></section>${
      errorCode
        ? html`<p role="alert" class="rounded-24 border-4 border-yellow-300 p-6 text-tv-body">${t("replyError", { code: errorCode })}</p>`
        : null
    }<section aria-labelledby="tv-reply" class="space-y-6"><h2 id="tv-reply" class="text-tv-body font-bold">${t("replyTitle")}${
      order.safety
        ? html`<span class="ml-6" data-testid="tv-reply-current">${t("replyCurrent", {
            status: t(`replyStatus.${order.safety.status}`),
          })}</span>`
        : null
    }</h2><div class="grid grid-cols-2 gap-8">${answers.map(
      ([status, colour, bg, label, key]) =>
        html`<form method="post" action="/tv/order/reply"><input type="hidden" name="orderId" value="${order.orderId}"><input type="hidden" name="status" value="${status}"><button type="submit" data-tv-nav="" data-tv-colour="${colour}"${
          status === "SAFE" ? html` data-tv-autofocus=""` : null
        } data-testid="tv-reply-${colour}" class="flex min-h-40 w-full flex-col items-center justify-center rounded-24 border-8 border-white ${bg} px-6 text-white"><span class="text-tv-title font-bold">${label}</span><span class="text-std-24B-150">${key}</span></button></form>`,
    )}</div></section><section aria-labelledby="tv-shelters" class="space-y-4"><h2 id="tv-shelters" class="text-tv-body font-bold">${t("sheltersTitle")}</h2>${
      order.shelters.length === 0
        ? html`<p class="text-tv-body">${t("sheltersNone")}</p>`
        : html`<ol class="space-y-4" data-testid="tv-shelters">${order.shelters.map(
            (sh) =>
              html`<li class="rounded-24 border-4 border-white p-6 text-tv-body"><span class="font-bold"><bdi>${
                locale === "en" ? sh.nameEn : sh.name
              }</bdi></span>${
                sh.distanceKm !== null
                  ? html`<span class="ml-6">${t("shelterDistance", { km: sh.distanceKm.toFixed(1) })}</span>`
                  : null
              }<span class="block text-std-24B-150"><bdi>${sh.address}</bdi></span></li>`,
          )}</ol>`
    }</section>`,
  });
});

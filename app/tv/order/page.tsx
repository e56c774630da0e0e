import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { tvPage } from "@/app/_server/page-context";
import { getDb } from "@/lib/db/client";
import { tvDisasterView } from "@/lib/disaster/tv-order";
import { TvFrame } from "../_components/tv-frame";
import { tvSafetyReplyAction } from "./actions";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("tv"))("orderTitle") };
}

const LEVEL_COLOUR: Record<number, string> = {
  1: "bg-white text-black",
  2: "bg-yellow-300 text-black",
  3: "bg-red-900 text-white",
  4: "bg-purple-900 text-white",
  5: "bg-black text-white border-8 border-white",
};

/**
 * /tv/order: an ACTIVE evacuation order of the resident's district, full-screen — her name, the
 * alert level and hazard, the town's message, the nearest open shelters — and the two answers on
 * the colour keys: BLUE 「無事です」, RED 「助けが必要です」 (also focusable buttons, OK sends).
 */
export default async function TvOrderPage({ searchParams }: { searchParams: Promise<{ error?: string | string[] }> }) {
  const { t, locale, resident } = await tvPage("tv");
  if (!resident) redirect("/tv");
  const { error } = await searchParams;
  const view = await tvDisasterView({ prisma: await getDb() }, { residentId: resident.residentId });
  const order = view.orders[0];
  if (!order) {
    return (
      <TvFrame t={t} title={t("orderTitle")} back="/tv?menu=1" screen="order-none">
        <p className="text-tv-body" data-testid="tv-order-none">
          {t("orderNone")}
        </p>
      </TvFrame>
    );
  }
  const message = locale === "en" && order.messageEn ? order.messageEn : order.message;
  const errorCode = typeof error === "string" && /^[A-Z_]{1,60}$/.test(error) ? error : null;
  return (
    <TvFrame t={t} title={t("orderTitle")} back="/tv?menu=1" colourLegend screen="order">
      <section
        aria-labelledby="tv-order-heading"
        data-order-id={order.id}
        className={`space-y-6 rounded-24 p-10 ${LEVEL_COLOUR[order.level] ?? LEVEL_COLOUR[5]}`}
      >
        <p className="text-tv-title font-bold" data-testid="tv-order-name">
          <bdi>{t("orderFor", { name: resident.displayName })}</bdi>
        </p>
        <h2 id="tv-order-heading" className="text-[5rem] leading-tight font-bold" data-testid="tv-order-level">
          {t("orderLevel", { level: order.level })} {t(`levelName.${order.level}`)}
          <span className="ml-6">（{t(`hazard.${order.hazard}`)}）</span>
        </h2>
        <p className="whitespace-pre-wrap text-tv-title" data-testid="tv-order-message">
          <bdi>{message}</bdi>
        </p>
      </section>
      {errorCode ? (
        <p role="alert" className="rounded-24 border-4 border-yellow-300 p-6 text-tv-body">
          {t("replyError", { code: errorCode })}
        </p>
      ) : null}
      <section aria-labelledby="tv-reply" className="space-y-6">
        <h2 id="tv-reply" className="text-tv-body font-bold">
          {t("replyTitle")}
          {order.reply ? (
            <span className="ml-6" data-testid="tv-reply-current">
              {t("replyCurrent", { status: t(`replyStatus.${order.reply.status}`) })}
            </span>
          ) : null}
        </h2>
        <div className="grid grid-cols-2 gap-8">
          {(
            [
              ["SAFE", "blue", "bg-blue-900", t("replySafe"), t("replyKeySafe")],
              ["NEEDS_HELP", "red", "bg-red-900", t("replyHelp"), t("replyKeyHelp")],
            ] as const
          ).map(([status, colour, bg, label, key]) => (
            <form key={status} action={tvSafetyReplyAction}>
              <input type="hidden" name="orderId" value={order.id} />
              <input type="hidden" name="status" value={status} />
              <button
                type="submit"
                data-tv-nav=""
                data-tv-colour={colour}
                data-tv-autofocus={status === "SAFE" ? "" : undefined}
                data-testid={`tv-reply-${colour}`}
                className={`flex min-h-40 w-full flex-col items-center justify-center rounded-24 border-8 border-white ${bg} px-6 text-white`}
              >
                <span className="text-tv-title font-bold">{label}</span>
                <span className="text-std-24B-150">{key}</span>
              </button>
            </form>
          ))}
        </div>
      </section>
      <section aria-labelledby="tv-shelters" className="space-y-4">
        <h2 id="tv-shelters" className="text-tv-body font-bold">
          {t("sheltersTitle")}
        </h2>
        {view.shelters.length === 0 ? (
          <p className="text-tv-body">{t("sheltersNone")}</p>
        ) : (
          <ol className="space-y-4" data-testid="tv-shelters">
            {view.shelters.map((s) => (
              <li key={s.id} className="rounded-24 border-4 border-white p-6 text-tv-body">
                <span className="font-bold">
                  <bdi>{locale === "en" ? s.nameEn : s.name}</bdi>
                </span>
                {s.distanceKm !== null ? (
                  <span className="ml-6">{t("shelterDistance", { km: s.distanceKm.toFixed(1) })}</span>
                ) : null}
                <span className="block text-std-24B-150">
                  <bdi>{s.address}</bdi>
                </span>
              </li>
            ))}
          </ol>
        )}
      </section>
    </TvFrame>
  );
}

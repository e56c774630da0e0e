import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { tvPage } from "@/app/_server/page-context";
import { getDb } from "@/lib/db/client";
import { tvDisasterView } from "@/lib/disaster/tv-order";
import { TvFrame, TvTile } from "../../_components/tv-frame";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("tv"))("doneTitle") };
}

/** /tv/order/done?order=…: what the resident told the town, read back from their stored reply. */
export default async function TvOrderDonePage({
  searchParams,
}: {
  searchParams: Promise<{ order?: string | string[] }>;
}) {
  const { t, resident } = await tvPage("tv");
  if (!resident) redirect("/tv");
  const { order: orderId } = await searchParams;
  const view = await tvDisasterView({ prisma: await getDb() }, { residentId: resident.residentId });
  const order = view.orders.find((o) => o.id === orderId);
  if (!order?.reply) redirect("/tv/order");
  const safe = order.reply.status === "SAFE";
  return (
    <TvFrame t={t} title={t("doneTitle")} back="/tv/order" screen="order-done">
      <p
        data-testid="tv-done-status"
        data-status={order.reply.status}
        className={`rounded-24 border-8 border-white p-10 text-tv-title font-bold ${safe ? "bg-blue-900" : "bg-red-900"}`}
      >
        {safe ? t("doneSafe") : t("doneHelp")}
      </p>
      <ul className="grid grid-cols-2 gap-8">
        <li>
          <TvTile href="/tv/order" n={1}>
            {t("doneBack")}
          </TvTile>
        </li>
        <li>
          <TvTile href="/tv?menu=1" n={2}>
            {t("menu")}
          </TvTile>
        </li>
      </ul>
    </TvFrame>
  );
}

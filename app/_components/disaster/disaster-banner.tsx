import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import { getDb } from "@/lib/db/client";
import { activeOrdersForResident } from "@/lib/disaster/orders/active";
import { hazardLabel, LEVEL_BORDER, levelLabel } from "./alert-levels";

/**
 * The banner on every resident page while an order is in force for her district: level, hazard,
 * and a link to /disaster (her instruction, shelters and the safe / need-help buttons). Urgent
 * (escalated) orders say so. Nothing at all when there is no order.
 */
export async function DisasterBanner({ residentId }: { residentId: string }) {
  const orders = await activeOrdersForResident({ prisma: await getDb() }, residentId);
  if (orders.length === 0) return null;
  const t = await getTranslations("disaster");
  const locale = await getLocale();
  return (
    <section
      aria-labelledby="disaster-banner-title"
      data-testid="disaster-banner"
      data-level={orders[0]!.level}
      data-urgent={orders.some((o) => o.urgent) || undefined}
      className={`mb-6 rounded-12 border-l-8 bg-red-50 px-5 py-4 ${LEVEL_BORDER[orders[0]!.level]}`}
    >
      <h2 id="disaster-banner-title" className="text-std-20B-150">
        {orders.some((o) => o.urgent) ? t("bannerUrgent") : t("bannerTitle")}
      </h2>
      <ul className="mt-2 space-y-1 text-std-16N-170">
        {orders.map((o) => (
          <li key={o.orderId}>
            <strong>{levelLabel(o.level, locale)}</strong>（{hazardLabel(o.hazard, locale)}・
            <bdi>{locale === "en" ? o.districtNameEn : o.districtName}</bdi>）
          </li>
        ))}
      </ul>
      <Link href="/disaster" className="mt-2 inline-block text-std-16B-170 text-primary underline">
        {t("bannerLink")}
      </Link>
    </section>
  );
}

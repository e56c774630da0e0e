import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { z } from "zod";
import { LoginRequired } from "@/app/_components/login-required";
import { PageHeader } from "@/app/_components/page-header";
import { Breadcrumbs } from "@/app/_components/ui/breadcrumbs";
import { EmptyState } from "@/app/_components/ui/empty-state";
import { Table } from "@/app/_components/ui/table";
import { partnerPage } from "@/app/_server/page-context";
import { getDb } from "@/lib/db/client";
import { formatDateTime } from "@/lib/i18n/dates";
import type { TPlatformContext } from "@/lib/platform/platform-context";
import { listWebhookDeliveries } from "@/lib/platform/webhooks/list-webhook-deliveries";
import { ReplayButton } from "../webhooks-client";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("partnerWebhooks"))("logTitle") };
}

/** /partner/webhooks/[id]: the delivery log of one endpoint, with replay for dead letters. */
export default async function WebhookDeliveryLogPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { t: tAll, locale, partner } = await partnerPage();
  const t = (k: string, v?: Record<string, string>) => tAll(`partnerWebhooks.${k}`, v);
  const header = (
    <>
      <Breadcrumbs
        aria-label={tAll("common.breadcrumbLabel")}
        items={[
          { label: tAll("partner.title"), href: "/partner" },
          { label: tAll("partner.webhooksTitle"), href: "/partner/webhooks" },
          { label: t("logTitle") },
        ]}
      />
      <PageHeader title={t("logTitle")} lead={t("logLead")} />
    </>
  );
  if (!partner) {
    return (
      <div className="space-y-6">
        {header}
        <LoginRequired kind="partner" />
      </div>
    );
  }
  const prisma = await getDb();
  const endpoint = z.uuid().safeParse(id).success
    ? await prisma.webhookEndpoint.findFirst({
        where: { id, partnerId: partner.partnerId },
        select: { id: true, url: true, active: true },
      })
    : null;
  if (!endpoint) {
    return (
      <div className="space-y-6">
        {header}
        <EmptyState title={t("endpointNotFound")}>
          <Link href="/partner/webhooks" className="text-primary underline">
            {t("back")}
          </Link>
        </EmptyState>
      </div>
    );
  }
  const deliveries = await listWebhookDeliveries({ prisma } as TPlatformContext, {
    partnerId: partner.partnerId,
    endpointId: endpoint.id,
    limit: 200,
  });
  return (
    <div className="space-y-6">
      {header}
      <p>
        <code className="break-all" data-testid="endpoint-url">
          {endpoint.url}
        </code>{" "}
        （{endpoint.active ? t("active") : t("disabled")}）
      </p>
      {deliveries.length === 0 ? (
        <EmptyState headingLevel={2} title={t("logEmpty")} />
      ) : (
        <Table caption={t("logCaption")} regionLabel={t("logRegion")} data-testid="deliveries-table">
          <thead>
            <tr>
              <th scope="col">{t("colWebhookId")}</th>
              <th scope="col">{t("colEvent")}</th>
              <th scope="col">{t("colStatus")}</th>
              <th scope="col">{t("colAttempts")}</th>
              <th scope="col">{t("colLastResult")}</th>
              <th scope="col">{t("colNextRetry")}</th>
              <th scope="col">{t("colDelivered")}</th>
              <th scope="col">{t("colActions")}</th>
            </tr>
          </thead>
          <tbody>
            {deliveries.map((d) => (
              <tr key={d.id} data-delivery-id={d.id} data-status={d.status}>
                <th scope="row" className="font-normal">
                  <code className="break-all">{d.id}</code>
                  <span className="block text-std-16N-170">{formatDateTime(d.createdAt, locale)}</span>
                </th>
                <td>
                  <code>{d.eventType}</code>
                </td>
                <td data-testid="delivery-status">{t(`st_${d.status}`)}</td>
                <td>{d.attempts}</td>
                <td>
                  {[d.lastStatusCode !== undefined ? `HTTP ${d.lastStatusCode}` : null, d.lastError ?? null]
                    .filter(Boolean)
                    .join(" / ")}
                </td>
                <td>{d.nextAttemptAt ? formatDateTime(d.nextAttemptAt, locale) : ""}</td>
                <td>{d.deliveredAt ? formatDateTime(d.deliveredAt, locale) : ""}</td>
                <td>{d.status === "dead" ? <ReplayButton endpointId={endpoint.id} deliveryId={d.id} /> : null}</td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </div>
  );
}

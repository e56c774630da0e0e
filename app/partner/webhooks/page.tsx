import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { Table } from "@/app/_components/ui/table";
import { partnerPage } from "@/app/_server/page-context";
import { getDb } from "@/lib/db/client";
import { formatDateTime } from "@/lib/i18n/dates";
import { ZWebhookEventType } from "@/lib/platform/schemas";
import { listWebhookEndpoints } from "@/lib/platform/webhooks/list-webhook-endpoints";
import { PartnerSection } from "../_lib/partner-section";
import { CreateEndpointForm, DisableEndpointButton } from "./webhooks-client";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("partner"))("webhooksTitle") };
}

/** /partner/webhooks: the partner's webhook endpoints (register, disable) with links to their delivery logs. */
export default async function PartnerWebhooksPage() {
  const { t, locale, partner } = await partnerPage("partnerWebhooks");
  if (!partner) return <PartnerSection section="webhooks" authorized={false} />;
  const endpoints = await listWebhookEndpoints(
    { prisma: await getDb() } as Parameters<typeof listWebhookEndpoints>[0],
    {
      partnerId: partner.partnerId,
    },
  );
  return (
    <PartnerSection section="webhooks" authorized>
      <section aria-labelledby="create-endpoint" className="space-y-4">
        <h2 id="create-endpoint" className="text-std-20B-150">
          {t("createTitle")}
        </h2>
        <CreateEndpointForm eventTypes={[...ZWebhookEventType.options]} />
      </section>
      <section aria-labelledby="endpoint-list" className="space-y-4">
        <h2 id="endpoint-list" className="text-std-20B-150">
          {t("listCaption")}
        </h2>
        {endpoints.length === 0 ? (
          <p data-testid="endpoints-empty">{(await getTranslations("partner"))("webhooksEmpty")}</p>
        ) : (
          <Table caption={t("listCaption")} regionLabel={t("listRegion")} data-testid="endpoints-table">
            <thead>
              <tr>
                <th scope="col">{t("colUrl")}</th>
                <th scope="col">{t("colEvents")}</th>
                <th scope="col">{t("mode")}</th>
                <th scope="col">{t("colHint")}</th>
                <th scope="col">{t("colCreated")}</th>
                <th scope="col">{t("colStatus")}</th>
                <th scope="col">{t("colActions")}</th>
              </tr>
            </thead>
            <tbody>
              {endpoints.map((e) => (
                <tr key={e.id} data-endpoint-id={e.id} data-active={e.active}>
                  <th scope="row" className="font-normal">
                    <code className="break-all">{e.url}</code>
                    {e.description ? <span className="block">{e.description}</span> : null}
                  </th>
                  <td>{e.eventTypes.length === 0 ? t("allEvents") : e.eventTypes.join(", ")}</td>
                  <td>{t(`mode_${e.mode}`)}</td>
                  <td>
                    <code>…{e.secretHint}</code>
                  </td>
                  <td>{formatDateTime(e.createdAt, locale)}</td>
                  <td>{e.active ? t("active") : t("disabled")}</td>
                  <td className="space-y-2">
                    <Link
                      href={`/partner/webhooks/${e.id}`}
                      className="text-primary underline"
                      aria-label={t("logLabel", { url: e.url })}
                    >
                      {t("log")}
                    </Link>
                    {e.active ? <DisableEndpointButton endpointId={e.id} url={e.url} /> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </section>
    </PartnerSection>
  );
}

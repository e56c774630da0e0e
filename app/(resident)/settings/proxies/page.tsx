import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { PageHeader } from "@/app/_components/page-header";
import { Card } from "@/app/_components/ui/card";
import { Table } from "@/app/_components/ui/table";
import { residentPage } from "@/app/_server/page-context";
import { getDb } from "@/lib/db/client";
import { formatDateBoth, formatDateTime } from "@/lib/i18n/dates";
import { ZDocumentDomain } from "@/lib/mailbox/document-types/define-document-type";
import { listProxyGrants } from "@/lib/proxies/list-proxy-grants";
import { listProxyPrincipals } from "@/lib/proxies/list-proxy-principals";
import { RevocableTableClient } from "@/app/_components/revocable-table-client";
import { StepUpNotice } from "@/app/_components/step-up-notice";
import { revokeProxyGrantAction } from "./actions";
import { GrantFormClient } from "./grant-form-client";
import { ProtectionFormClient } from "./protection-form-client";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("proxies");
  return { title: t("title") };
}

/**
 * /settings/proxies — the principal's side of proxies: the protected-person switch,
 * adding a proxy, the grants with revoke, the notices of every proxy action, and the people the
 * resident is a proxy for. Personal data: card step-up.
 */
export default async function ProxiesPage() {
  const { t, locale, resident, card, channel, requestMetadata } = await residentPage("proxies");
  const [c, m] = [await getTranslations("consents"), await getTranslations("mailbox")];
  if (!card) {
    return (
      <>
        <PageHeader title={t("title")} lead={t("lead")} />
        <StepUpNotice next="/settings/proxies" loggedIn={resident !== null} />
      </>
    );
  }
  const prisma = await getDb();
  const [overview, principals] = [
    await listProxyGrants(prisma, { principalId: card.residentId, channel, requestMetadata }),
    await listProxyPrincipals(prisma, { proxyId: card.residentId }),
  ];
  const domainLabel = (d: string) => {
    const parsed = ZDocumentDomain.safeParse(d);
    return parsed.success ? m(`domains.${parsed.data}`) : d;
  };
  const status = { active: t("statusActive"), expired: t("statusExpired"), revoked: t("statusRevoked") };
  const today = new Date(Date.now() + 9 * 3_600_000).toISOString().slice(0, 10);
  return (
    <>
      <PageHeader title={t("title")} lead={t("lead")} />
      <div className="space-y-10">
        <Card>
          <h2 className="text-std-20B-150">{t("protectionTitle")}</h2>
          <p className="mt-2 mb-4 text-std-16N-175">{overview.frozen ? t("protectionOn") : t("protectionOff")}</p>
          <ProtectionFormClient
            frozen={overview.frozen}
            labels={{
              freeze: t("freeze"),
              unfreeze: t("unfreeze"),
              frozenDone: t("frozenDone"),
              unfrozenDone: t("unfrozenDone"),
            }}
          />
        </Card>
        <section aria-labelledby="proxies-grants" className="space-y-4">
          <h2 id="proxies-grants" className="text-std-20B-150">
            {t("grantsCaption")}
          </h2>
          <RevocableTableClient
            empty={{ title: t("emptyGrantsTitle"), body: t("emptyGrantsBody") }}
            testId="proxy-grants"
            caption={t("grantsCaption")}
            regionLabel={t("grantsRegion")}
            columns={[t("colProxy"), t("colAccess"), t("colDomains"), t("colUntil"), t("colStatus"), t("colAction")]}
            rows={overview.grants.map((g) => ({
              id: g.grantId,
              kind: "grant",
              cells: [
                g.proxy.displayName,
                g.access === "READ_ACT" ? t("accessREAD_ACT") : t("accessREAD"),
                g.domains.map(domainLabel).join("、"),
                // endsAt is the midnight after the last day: show the last day.
                formatDateBoth(new Date(new Date(g.endsAt).getTime() - 1), locale),
                status[g.status],
              ],
              revokeLabel: t("revokeGrant", { name: g.proxy.displayName }),
              confirmText: t("confirmGrant", { name: g.proxy.displayName }),
              revocable: g.status === "active",
            }))}
            labels={{
              revoke: c("revoke"),
              confirmTitle: c("confirmTitle"),
              confirm: c("confirm"),
              cancel: c("cancel"),
              done: c("done"),
              error: c.raw("error") as string,
            }}
            action={revokeProxyGrantAction}
          />
        </section>
        {overview.frozen ? null : (
          <Card>
            <h2 className="text-std-20B-150">{t("grantTitle")}</h2>
            <p className="mt-2 mb-4 text-std-16N-175">{t("grantBody")}</p>
            <GrantFormClient
              minDate={today}
              domains={ZDocumentDomain.options.map((d) => ({ value: d, label: domainLabel(d) }))}
              labels={{
                registryNumber: t("registryNumber"),
                registryNumberHint: t("registryNumberHint"),
                dateOfBirth: t("dateOfBirth"),
                access: t("access"),
                accessREAD: t("accessREAD"),
                accessREAD_ACT: t("accessREAD_ACT"),
                domains: t("domains"),
                endsOn: t("endsOn"),
                grant: t("grant"),
                granted: t("granted"),
                grantError: t.raw("grantError") as string,
                errorCodes: t.raw("errorCodes") as Record<string, string>,
              }}
            />
          </Card>
        )}
        <section aria-labelledby="proxies-notices" className="space-y-4">
          <h2 id="proxies-notices" className="text-std-20B-150">
            {t("noticesCaption")}
          </h2>
          {overview.notices.length === 0 ? (
            <p>{t("noNotices")}</p>
          ) : (
            <Table caption={t("noticesCaption")} regionLabel={t("noticesRegion")} data-testid="proxy-notices">
              <thead>
                <tr>
                  <th scope="col">{t("colWhen")}</th>
                  <th scope="col">{t("colProxy")}</th>
                  <th scope="col">{t("colWhat")}</th>
                </tr>
              </thead>
              <tbody>
                {overview.notices.map((n) => (
                  <tr key={n.id} data-notice-action={n.action}>
                    <th scope="row" className="font-normal">
                      <time dateTime={n.createdAt}>{formatDateTime(n.createdAt, locale)}</time>
                    </th>
                    <td>{n.proxy.displayName}</td>
                    <td>
                      {n.documentId && n.action !== "listed" ? (
                        <Link href={`/mailbox/${n.documentId}`} className="text-primary underline">
                          {t(`actions.${n.action}`)}
                        </Link>
                      ) : (
                        t(`actions.${n.action}`)
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </Table>
          )}
        </section>
        <section aria-labelledby="proxies-principals" className="space-y-4">
          <h2 id="proxies-principals" className="text-std-20B-150">
            {t("principalsTitle")}
          </h2>
          {principals.length === 0 ? (
            <p>{t("principalsNone")}</p>
          ) : (
            <ul className="list-disc space-y-2 pl-6" data-testid="proxy-principals">
              {principals.map((p) => (
                <li key={p.principalId}>
                  <Link href={`/proxy/${p.principalId}/mailbox`} className="text-primary underline">
                    {t("openMailbox", { name: p.displayName })}
                  </Link>
                  <span className="ml-2 text-ink-muted">{p.domains.map(domainLabel).join("、")}</span>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
    </>
  );
}

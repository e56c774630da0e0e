import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { LoginRequired } from "@/app/_components/login-required";
import { PageHeader } from "@/app/_components/page-header";
import { Button } from "@/app/_components/ui/button";
import { Card } from "@/app/_components/ui/card";
import { EmptyState } from "@/app/_components/ui/empty-state";
import { Notice } from "@/app/_components/ui/notice";
import { Table } from "@/app/_components/ui/table";
import { residentPage } from "@/app/_server/page-context";
import { getDb } from "@/lib/db/client";
import { formatDateBoth, formatDateTime } from "@/lib/i18n/dates";
import type { TBusOperatorAccount } from "@/lib/services/bus/view-bus-account";
import { viewBusAccount } from "@/lib/services/bus/view-bus-account";
import { buyBusProductAction, shareBusEligibilityAction } from "./actions";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("busService"))("title") };
}

const CODE = /^[A-Z0-9_]{3,60}$/;

/**
 * /services/bus — the community bus on the card: balance (rides left, pass validity), the
 * products on sale (a discount needs the predicate the resident agreed to share), buying one
 * (paid at the counter), the resident's tickets and rides with their receipts.
 */
export default async function BusServicePage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { t, locale, resident } = await residentPage("busService");
  if (!resident) {
    return (
      <>
        <PageHeader title={t("title")} lead={t("lead")} />
        <LoginRequired />
      </>
    );
  }
  const sp = await searchParams;
  const done = typeof sp.done === "string" && ["purchased", "shared", "unshared"].includes(sp.done) ? sp.done : null;
  const error = typeof sp.error === "string" && CODE.test(sp.error) ? sp.error : null;
  const accounts = await viewBusAccount(await getDb(), { residentId: resident.residentId });
  const yen = (n: number) => new Intl.NumberFormat(locale === "en" ? "en-JP" : "ja-JP").format(n);
  return (
    <>
      <PageHeader title={t("title")} lead={t("lead")} />
      <div className="space-y-10">
        {done ? <Notice tone="success" title={t(`done.${done}`)} role="status" data-testid="bus-done" /> : null}
        {error ? (
          <Notice tone="error" title={t("errorTitle")} role="alert" data-testid="bus-error" data-error-code={error}>
            <p>{t.has(`error.${error}`) ? t(`error.${error}`) : t("error.GENERIC")}</p>
            <p>{t("errorCode", { code: error })}</p>
          </Notice>
        ) : null}
        {accounts.length === 0 ? (
          <EmptyState title={t("noOperatorTitle")}>
            <p>{t("noOperatorBody")}</p>
          </EmptyState>
        ) : (
          accounts.map((a) => <OperatorSection key={a.operator.id} a={a} t={t} locale={locale} yen={yen} />)
        )}
      </div>
    </>
  );
}

type TT = Awaited<ReturnType<typeof residentPage>>["t"];

function OperatorSection({
  a,
  t,
  locale,
  yen,
}: {
  a: TBusOperatorAccount;
  t: TT;
  locale: "ja" | "en";
  yen: (n: number) => string;
}) {
  const name = (p: { nameJa: string; nameEn: string }) => (locale === "en" ? p.nameEn : p.nameJa);
  const operatorName = locale === "en" ? a.operator.nameEn : a.operator.name;
  const id = `bus-${a.operator.id}`;
  return (
    <section aria-labelledby={id} className="space-y-8" data-testid="bus-operator">
      <h2 id={id} className="text-std-24B-150">
        <bdi>{operatorName}</bdi>
      </h2>
      {!a.linked ? (
        <Notice tone="info" title={t("notLinkedTitle")} headingLevel={3}>
          <p>{t("notLinkedBody")}</p>
        </Notice>
      ) : (
        <>
          <Card className="space-y-3 p-6" data-testid="bus-balance">
            <h3 className="text-std-20B-150">{t("balanceTitle")}</h3>
            <dl className="grid gap-x-6 gap-y-2 sm:grid-cols-[auto_1fr]">
              <dt className="font-bold">{t("ridesRemaining")}</dt>
              <dd data-testid="bus-balance-rides" className="text-std-24B-150">
                {t("rides", { count: a.balance.ridesRemaining })}
              </dd>
              <dt className="font-bold">{t("passValidUntil")}</dt>
              <dd data-testid="bus-balance-pass">
                {a.balance.passValidUntil
                  ? formatDateBoth(new Date(Date.parse(a.balance.passValidUntil) - 1), locale)
                  : t("noPass")}
              </dd>
              <dt className="font-bold">{t("memberReference")}</dt>
              <dd className="font-mono">
                <bdi>{a.memberReference}</bdi>
              </dd>
            </dl>
          </Card>

          <section aria-labelledby={`${id}-share`} className="space-y-4">
            <h3 id={`${id}-share`} className="text-std-20B-150">
              {t("shareTitle")}
            </h3>
            <p className="max-w-[46em]">{t("shareLead")}</p>
            <ul className="space-y-3">
              {(["AGE_70_PLUS", "DISABILITY"] as const).map((p) => (
                <li key={p} className="flex flex-wrap items-center gap-4" data-testid={`bus-share-${p}`}>
                  <span>
                    {t(`predicate.${p}`)}: <strong>{a.shares[p] ? t("shareOn") : t("shareOff")}</strong>
                  </span>
                  <form action={shareBusEligibilityAction}>
                    <input type="hidden" name="operatorId" value={a.operator.id} />
                    <input type="hidden" name="predicate" value={p} />
                    <input type="hidden" name="share" value={a.shares[p] ? "0" : "1"} />
                    <Button type="submit" variant="outline" size="sm">
                      {a.shares[p]
                        ? t("unshareAction", { what: t(`predicate.${p}`) })
                        : t("shareAction", { what: t(`predicate.${p}`) })}
                    </Button>
                  </form>
                </li>
              ))}
            </ul>
          </section>

          <section aria-labelledby={`${id}-products`} className="space-y-4">
            <h3 id={`${id}-products`} className="text-std-20B-150">
              {t("productsTitle")}
            </h3>
            <p className="max-w-[46em]">{t("productsLead")}</p>
            <ul className="grid gap-4 sm:grid-cols-2">
              {a.offers.map((p) => (
                <li key={p.code}>
                  <Card className="h-full space-y-2 p-5" data-testid={`bus-product-${p.code}`}>
                    <h4 className="text-std-18B-160">{name(p)}</h4>
                    <p>
                      {p.kind === "TICKET_BOOK"
                        ? t("bookTerms", { rides: p.rides ?? 0, price: yen(p.priceYen) })
                        : t("passTerms", { days: p.validDays ?? 0, price: yen(p.priceYen) })}
                    </p>
                    {p.eligibility !== "NONE" ? (
                      <p className="text-std-16N-170 text-ink-muted">{t(`needs.${p.eligibility}`)}</p>
                    ) : null}
                    <form action={buyBusProductAction}>
                      <input type="hidden" name="operatorId" value={a.operator.id} />
                      <input type="hidden" name="productCode" value={p.code} />
                      <Button type="submit" size="md" disabled={!p.shared}>
                        {t("buyAction", { name: name(p) })}
                      </Button>
                    </form>
                    {!p.shared ? <p className="text-std-16N-170">{t("shareFirst")}</p> : null}
                  </Card>
                </li>
              ))}
            </ul>
          </section>

          <section aria-labelledby={`${id}-tickets`} className="space-y-4">
            <h3 id={`${id}-tickets`} className="text-std-20B-150">
              {t("ticketsTitle")}
            </h3>
            {a.tickets.length === 0 ? (
              <p>{t("noTickets")}</p>
            ) : (
              <Table caption={t("ticketsTitle")} regionLabel={t("ticketsTitle")} data-testid="bus-tickets">
                <thead>
                  <tr>
                    <th scope="col">{t("colProduct")}</th>
                    <th scope="col">{t("colLeft")}</th>
                    <th scope="col">{t("colBought")}</th>
                  </tr>
                </thead>
                <tbody>
                  {a.tickets.map((tk) => (
                    <tr key={tk.id}>
                      <th scope="row">{name(tk.product)}</th>
                      <td>
                        {tk.kind === "TICKET_BOOK"
                          ? t("ridesOf", { left: tk.ridesRemaining ?? 0, total: tk.ridesTotal ?? 0 })
                          : t("validUntil", {
                              date: formatDateBoth(new Date(Date.parse(tk.validUntil ?? tk.validFrom) - 1), locale),
                            })}
                      </td>
                      <td>{formatDateBoth(tk.purchasedAt, locale)}</td>
                    </tr>
                  ))}
                </tbody>
              </Table>
            )}
          </section>

          <section aria-labelledby={`${id}-rides`} className="space-y-4">
            <h3 id={`${id}-rides`} className="text-std-20B-150">
              {t("ridesTitle")}
            </h3>
            {a.rides.length === 0 ? (
              <p>{t("noRides")}</p>
            ) : (
              <Table caption={t("ridesTitle")} regionLabel={t("ridesTitle")} data-testid="bus-rides">
                <thead>
                  <tr>
                    <th scope="col">{t("colRideAt")}</th>
                    <th scope="col">{t("colCoveredBy")}</th>
                    <th scope="col">{t("colPaid")}</th>
                    <th scope="col">{t("colReceipt")}</th>
                  </tr>
                </thead>
                <tbody>
                  {a.rides.map((r) => (
                    <tr key={r.id}>
                      <th scope="row">
                        {formatDateTime(r.rideAt, locale)}
                        {r.source === "OFFLINE" ? ` ${t("offlineMark")}` : ""}
                      </th>
                      <td>
                        {r.status === "DEBT" ? t("debt", { fare: yen(r.fareYen) }) : r.product ? name(r.product) : ""}
                      </td>
                      <td>{t("paidOf", { paid: yen(r.paidYen), fare: yen(r.fareYen) })}</td>
                      <td>
                        {r.receiptDocumentId ? (
                          <Link href={`/mailbox/${r.receiptDocumentId}`} className="underline">
                            {t("receiptLink")}
                          </Link>
                        ) : (
                          "—"
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </Table>
            )}
          </section>
        </>
      )}
    </section>
  );
}

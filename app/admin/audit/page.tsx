import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { LoginRequired } from "@/app/_components/login-required";
import { PageHeader } from "@/app/_components/page-header";
import { Breadcrumbs } from "@/app/_components/ui/breadcrumbs";
import { Button } from "@/app/_components/ui/button";
import { EmptyState } from "@/app/_components/ui/empty-state";
import { ErrorSummary } from "@/app/_components/ui/error-summary";
import { Input } from "@/app/_components/ui/input";
import { Label } from "@/app/_components/ui/label";
import { Notice } from "@/app/_components/ui/notice";
import { Table } from "@/app/_components/ui/table";
import { currentRequestMetadata } from "@/app/_server/request-context";
import { staffPage } from "@/app/_server/page-context";
import { AUDIT_VIEWER_ROLES, listAuditEvents } from "@/lib/audit/audit-viewer";
import { ZAuditActorType, ZAuditChannel, ZAuditEventType } from "@/lib/audit/schemas";
import { getDb } from "@/lib/db/client";
import { formatDateTime } from "@/lib/i18n/dates";
import { type AUDIT_FILTER_KEYS, auditFilterOf, auditQuery, firstValues, ZAuditSearchParams } from "./filter";
import { VerifyForm } from "./verify-form";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("admin"))("auditTitle") };
}

const PAGE_SIZE = 50;
const selectClass = "block w-full rounded-8 border border-line-strong bg-white p-3 text-std-16N-170";

/**
 * /admin/audit: the audit log for AUDITOR / ADMIN staff — filters (GET form), newest first, paged
 * by seq, each row's details; the integrity check; the CSV export of the same filter. Every page
 * shown is audited `audit.log_viewed` (lib/audit/audit-viewer.ts).
 */
export default async function AdminAuditPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { t, locale, staff } = await staffPage();
  const a = (k: string, v?: Record<string, string | number>) => t(`adminAudit.${k}`, v);
  const header = (
    <>
      <Breadcrumbs
        aria-label={t("common.breadcrumbLabel")}
        items={[{ label: t("admin.title"), href: "/admin" }, { label: t("admin.auditTitle") }]}
      />
      <PageHeader title={t("admin.auditTitle")} lead={t("admin.auditLead")} />
    </>
  );
  if (!staff) {
    return (
      <div className="space-y-6">
        {header}
        <LoginRequired kind="staff" />
      </div>
    );
  }
  if (!staff.roles.some((r) => (AUDIT_VIEWER_ROLES as readonly string[]).includes(r))) {
    return (
      <div className="space-y-6">
        {header}
        <Notice tone="warning" title={a("forbiddenTitle")} data-testid="audit-forbidden">
          <p>{a("forbidden")}</p>
        </Notice>
      </div>
    );
  }

  const raw = firstValues(await searchParams);
  const parsed = ZAuditSearchParams.safeParse(raw);
  const params = parsed.success ? parsed.data : {};
  const badFields = parsed.success
    ? []
    : [...new Set(parsed.error.issues.map((i) => String(i.path[0])).filter((k) => k !== "cursor"))];
  const page = parsed.success
    ? await listAuditEvents(await getDb(), {
        staffId: staff.staffId,
        filter: auditFilterOf(parsed.data),
        cursor: parsed.data.cursor,
        limit: PAGE_SIZE,
        requestMetadata: await currentRequestMetadata(),
      })
    : null;
  const value = (k: (typeof AUDIT_FILTER_KEYS)[number]) => raw[k] ?? "";

  return (
    <div className="space-y-10">
      <div className="space-y-6">{header}</div>

      <section aria-labelledby="audit-filter" className="space-y-4">
        <h2 id="audit-filter" className="text-std-20B-150">
          {a("filterTitle")}
        </h2>
        {badFields.length > 0 ? (
          <ErrorSummary
            title={a("filterInvalid")}
            errors={badFields.map((f) => ({ href: `#audit-${f}` as const, message: a(`field.${f}`) }))}
          />
        ) : null}
        <form method="get" action="/admin/audit" className="grid gap-4 md:grid-cols-2" data-testid="audit-filter-form">
          <div className="space-y-2">
            <Label htmlFor="audit-type">{a("field.type")}</Label>
            <select id="audit-type" name="type" defaultValue={value("type")} className={selectClass}>
              <option value="">{a("any")}</option>
              {ZAuditEventType.options.map((o) => (
                <option key={o} value={o}>
                  {o}
                </option>
              ))}
            </select>
          </div>
          <div className="space-y-2">
            <Label htmlFor="audit-channel">{a("field.channel")}</Label>
            <select id="audit-channel" name="channel" defaultValue={value("channel")} className={selectClass}>
              <option value="">{a("any")}</option>
              {ZAuditChannel.options.map((o) => (
                <option key={o} value={o}>
                  {o}
                </option>
              ))}
            </select>
          </div>
          <div className="space-y-2">
            <Label htmlFor="audit-actorType">{a("field.actorType")}</Label>
            <select id="audit-actorType" name="actorType" defaultValue={value("actorType")} className={selectClass}>
              <option value="">{a("any")}</option>
              {ZAuditActorType.options.map((o) => (
                <option key={o} value={o}>
                  {a(`actor.${o}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="space-y-2">
            <Label htmlFor="audit-actorId">{a("field.actorId")}</Label>
            <Input
              id="audit-actorId"
              name="actorId"
              maxLength={200}
              defaultValue={value("actorId")}
              aria-invalid={badFields.includes("actorId") || undefined}
            />
          </div>
          <div className="space-y-2">
            <Label htmlFor="audit-subject">{a("field.subject")}</Label>
            <Input
              id="audit-subject"
              name="subject"
              maxLength={36}
              defaultValue={value("subject")}
              aria-invalid={badFields.includes("subject") || undefined}
              className="font-mono"
            />
          </div>
          <div className="grid grid-cols-2 gap-4">
            <div className="space-y-2">
              <Label htmlFor="audit-from">{a("field.from")}</Label>
              <Input
                id="audit-from"
                name="from"
                type="date"
                defaultValue={value("from")}
                aria-invalid={badFields.includes("from") || undefined}
              />
            </div>
            <div className="space-y-2">
              <Label htmlFor="audit-to">{a("field.to")}</Label>
              <Input
                id="audit-to"
                name="to"
                type="date"
                defaultValue={value("to")}
                aria-invalid={badFields.includes("to") || undefined}
              />
            </div>
          </div>
          <div className="flex flex-wrap items-center gap-4 md:col-span-2">
            <Button type="submit">{a("apply")}</Button>
            <Link href="/admin/audit" className="text-primary underline">
              {a("clear")}
            </Link>
            {parsed.success ? (
              <a
                href={`/admin/audit/export${auditQuery(parsed.data)}`}
                className="text-primary underline"
                data-testid="audit-export"
                download
              >
                {a("exportCsv")}
              </a>
            ) : null}
          </div>
        </form>
      </section>

      <section aria-labelledby="audit-events" className="space-y-4">
        <h2 id="audit-events" className="text-std-20B-150">
          {a("eventsTitle")}
        </h2>
        {page && page.items.length > 0 ? (
          <>
            <Table caption={a("eventsCaption")} regionLabel={a("eventsRegion")} data-testid="audit-events">
              <thead>
                <tr>
                  <th scope="col">{a("col.seq")}</th>
                  <th scope="col">{a("col.occurredAt")}</th>
                  <th scope="col">{a("col.type")}</th>
                  <th scope="col">{a("col.actor")}</th>
                  <th scope="col">{a("col.subject")}</th>
                  <th scope="col">{a("col.channel")}</th>
                  <th scope="col">{a("col.details")}</th>
                </tr>
              </thead>
              <tbody>
                {page.items.map((e) => (
                  <tr key={e.seq} data-seq={e.seq} data-type={e.type}>
                    <th scope="row" className="font-normal">
                      {e.seq}
                    </th>
                    <td>{formatDateTime(e.occurredAt, locale)}</td>
                    <td>
                      <code>{e.type}</code>
                    </td>
                    <td>
                      {a(`actor.${e.actorType}`)}
                      {e.actorId ? (
                        <>
                          {" "}
                          <code className="break-all">
                            <bdi>{e.actorId}</bdi>
                          </code>
                        </>
                      ) : null}
                    </td>
                    <td>{e.subjectResidentId ? <code className="break-all">{e.subjectResidentId}</code> : "—"}</td>
                    <td>{e.channel ?? "—"}</td>
                    <td>
                      <details>
                        <summary className="cursor-pointer text-primary underline">
                          {a("detailsOf", { seq: e.seq })}
                        </summary>
                        <dl className="mt-2 grid gap-1 text-std-16N-170">
                          <dt className="font-bold">{a("col.purpose")}</dt>
                          <dd>
                            <bdi>{e.purpose ?? "—"}</bdi>
                          </dd>
                          <dt className="font-bold">{a("col.ip")}</dt>
                          <dd>{e.ip ?? "—"}</dd>
                          <dt className="font-bold">{a("col.userAgent")}</dt>
                          <dd className="break-all">
                            <bdi>{e.userAgent ?? "—"}</bdi>
                          </dd>
                          <dt className="font-bold">{a("col.data")}</dt>
                          <dd>
                            <pre className="max-w-xl overflow-x-auto whitespace-pre-wrap break-all text-sm">
                              {JSON.stringify(e.data, null, 2)}
                            </pre>
                          </dd>
                          <dt className="font-bold">{a("col.hash")}</dt>
                          <dd>
                            <code className="break-all">{e.hash}</code>
                          </dd>
                          <dt className="font-bold">{a("col.prevHash")}</dt>
                          <dd>
                            <code className="break-all">{e.prevHash}</code>
                          </dd>
                        </dl>
                      </details>
                    </td>
                  </tr>
                ))}
              </tbody>
            </Table>
            <nav aria-label={a("pagination")} className="flex gap-4">
              {params && "cursor" in params && params.cursor ? (
                <Link href={`/admin/audit${auditQuery(params)}`} className="text-primary underline">
                  {a("newest")}
                </Link>
              ) : null}
              {page.nextCursor ? (
                <Link
                  href={`/admin/audit${auditQuery(params, page.nextCursor)}`}
                  className="text-primary underline"
                  data-testid="audit-next"
                >
                  {a("older")}
                </Link>
              ) : null}
            </nav>
          </>
        ) : (
          <EmptyState headingLevel={3} title={t("admin.auditEmpty")} />
        )}
      </section>

      <section aria-labelledby="audit-verify" className="space-y-4">
        <h2 id="audit-verify" className="text-std-20B-150">
          {a("verifyTitle")}
        </h2>
        <VerifyForm />
      </section>
    </div>
  );
}

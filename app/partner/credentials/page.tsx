import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { Notice } from "@/app/_components/ui/notice";
import { Table } from "@/app/_components/ui/table";
import { partnerPage } from "@/app/_server/page-context";
import { getDb } from "@/lib/db/client";
import { formatDateTime } from "@/lib/i18n/dates";
import { listPartnerCredentials } from "@/lib/partners/list-partner-credentials";
import { partnerRoleCan } from "@/lib/partners/partner-roles";
import { listScopeRequests } from "@/lib/partners/scope-requests";
import { API_SCOPES } from "@/lib/partners/scopes";
import { PartnerSection } from "../_lib/partner-section";
import {
  CreateCredentialForm,
  CredentialRowActions,
  ROTATED_SECRET_SLOT_ID,
  ScopeRequestForm,
} from "./credentials-client";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("partner"))("credentialsTitle") };
}

/**
 * /partner/credentials: API credentials (issue, rotate, revoke) and scope requests to the
 * municipality. A DEVELOPER sees the list (never a secret) and the request history, but no
 * controls: lib/partners refuses those actions to the role anyway (PARTNER_ROLE_FORBIDDEN).
 */
export default async function PartnerCredentialsPage() {
  const { t, locale, partner } = await partnerPage("partnerCredentials");
  if (!partner) return <PartnerSection section="credentials" authorized={false} />;
  const prisma = await getDb();
  const [credentials, requests] = await Promise.all([
    listPartnerCredentials(prisma, { partnerId: partner.partnerId }),
    listScopeRequests(prisma, { partnerId: partner.partnerId, limit: 50 }),
  ]);
  const canIssue = partnerRoleCan(partner.role, "credential.issue");
  const canChange =
    partnerRoleCan(partner.role, "credential.rotate") || partnerRoleCan(partner.role, "credential.revoke");
  const canRequest = partnerRoleCan(partner.role, "scope.request");
  const when = (d: Date | null, empty: string) => (d ? formatDateTime(d, locale) : empty);
  const pending = new Set(requests.filter((r) => r.status === "PENDING").flatMap((r) => r.scopes));
  const requestable = API_SCOPES.filter((s) => !partner.approvedScopes.includes(s) && !pending.has(s));
  return (
    <PartnerSection section="credentials" authorized>
      {canIssue ? null : (
        <Notice tone="info" title={t("developerTitle")} data-testid="owner-only-notice">
          <p>{t("ownerOnly")}</p>
        </Notice>
      )}
      <section aria-labelledby="approved-scopes" className="space-y-2">
        <h2 id="approved-scopes" className="text-std-20B-150">
          {t("approvedTitle")}
        </h2>
        {partner.approvedScopes.length === 0 ? (
          <p>{t("none")}</p>
        ) : (
          <ul className="flex flex-wrap gap-2" data-testid="approved-scopes">
            {partner.approvedScopes.map((s) => (
              <li key={s}>
                <code className="rounded-6 border border-line px-2 py-0.5">{s}</code>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="create-credential" className="space-y-4">
        <h2 id="create-credential" className="text-std-20B-150">
          {t("createTitle")}
        </h2>
        {!canIssue ? (
          <p className="text-std-16N-170">{t("issueOwnerOnly")}</p>
        ) : partner.approvedScopes.length === 0 ? (
          <p>{t("noApprovedScopes")}</p>
        ) : (
          <CreateCredentialForm approvedScopes={partner.approvedScopes} />
        )}
        {canIssue ? <p className="text-std-16N-170">{t("ownerOnly")}</p> : null}
      </section>

      <section aria-labelledby="credential-list" className="space-y-4">
        <h2 id="credential-list" className="text-std-20B-150">
          {t("listCaption")}
        </h2>
        <div id={ROTATED_SECRET_SLOT_ID} data-testid="rotated-secret-slot" />
        {credentials.length === 0 ? (
          <p data-testid="credentials-empty">{(await getTranslations("partner"))("credentialsEmpty")}</p>
        ) : (
          <Table caption={t("listCaption")} regionLabel={t("listRegion")} data-testid="credentials-table">
            <thead>
              <tr>
                <th scope="col">{t("clientId")}</th>
                <th scope="col">{t("colMode")}</th>
                <th scope="col">{t("colScopes")}</th>
                <th scope="col">{t("colHint")}</th>
                <th scope="col">{t("colCreated")}</th>
                <th scope="col">{t("colLastUsed")}</th>
                <th scope="col">{t("colExpires")}</th>
                <th scope="col">{t("colStatus")}</th>
                {canChange ? <th scope="col">{t("colActions")}</th> : null}
              </tr>
            </thead>
            <tbody>
              {credentials.map((c) => (
                <tr key={c.id} data-client-id={c.clientId} data-status={c.status}>
                  <th scope="row" className="font-normal">
                    <code>{c.clientId}</code>
                  </th>
                  <td>
                    <span
                      className={
                        c.mode === "LIVE"
                          ? "rounded-6 bg-error px-2 py-0.5 text-white"
                          : "rounded-6 border border-line-strong px-2 py-0.5"
                      }
                    >
                      {t(`mode${c.mode}`)}
                    </span>
                  </td>
                  <td>
                    {c.scopes.map((s) => (
                      <code key={s} className="mr-1 inline-block">
                        {s}
                      </code>
                    ))}
                  </td>
                  <td>
                    <code>…{c.secretHint}</code>
                  </td>
                  <td>{when(c.createdAt, "")}</td>
                  <td>{when(c.lastUsedAt, t("never"))}</td>
                  <td>{when(c.expiresAt, t("none"))}</td>
                  <td data-testid="credential-status">{t(`status_${c.status}`)}</td>
                  {canChange ? (
                    <td>
                      {/* Always mounted, so a rotation's one-time secret outlives the row's new status. */}
                      <CredentialRowActions
                        id={c.id}
                        clientId={c.clientId}
                        rotatable={c.status === "active"}
                        revocable={c.status === "active" || c.status === "rotating"}
                      />
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </section>

      <section aria-labelledby="scope-request" className="space-y-4">
        <h2 id="scope-request" className="text-std-20B-150">
          {t("requestTitle")}
        </h2>
        <p>{t("requestLead")}</p>
        {canRequest ? (
          <ScopeRequestForm requestable={[...requestable]} />
        ) : (
          <p className="text-std-16N-170">{t("requestOwnerOnly")}</p>
        )}
        {requests.length === 0 ? (
          <p>{t("requestsEmpty")}</p>
        ) : (
          <Table caption={t("requestsCaption")} regionLabel={t("requestsRegion")} data-testid="scope-requests">
            <thead>
              <tr>
                <th scope="col">{t("colRequested")}</th>
                <th scope="col">{t("colScopes")}</th>
                <th scope="col">{t("colReason")}</th>
                <th scope="col">{t("colDecision")}</th>
              </tr>
            </thead>
            <tbody>
              {requests.map((r) => (
                <tr key={r.id} data-status={r.status}>
                  <th scope="row" className="font-normal">
                    {formatDateTime(r.createdAt, locale)}
                  </th>
                  <td>{r.scopes.join(", ")}</td>
                  <td>{r.reason}</td>
                  <td>
                    {t(`req_${r.status}`)}
                    {r.decisionNote ? `（${r.decisionNote}）` : ""}
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

import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { Notice } from "@/app/_components/ui/notice";
import { Table } from "@/app/_components/ui/table";
import { partnerPage } from "@/app/_server/page-context";
import { getDb } from "@/lib/db/client";
import { formatDateTime } from "@/lib/i18n/dates";
import { listPartnerUsers } from "@/lib/partners/list-partner-users";
import { partnerRoleCan } from "@/lib/partners/partner-roles";
import { PartnerSection } from "../_lib/partner-section";
import { AddUserForm, UserRowActions } from "./users-client";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("partner"))("usersTitle") };
}

/**
 * /partner/users: the partner's console users. Every user sees the list; only an OWNER adds
 * users, changes roles, (de)activates them and resets another user's password (lib/partners
 * enforces it; the controls are only rendered for an OWNER).
 */
export default async function PartnerUsersPage() {
  const { t, locale, partner } = await partnerPage("partnerUsers");
  if (!partner) return <PartnerSection section="users" authorized={false} />;
  const users = await listPartnerUsers(await getDb(), { partnerId: partner.partnerId });
  const canManage = partnerRoleCan(partner.role, "user.manage");
  const activeOwners = users.filter((u) => u.role === "OWNER" && u.active).length;
  return (
    <PartnerSection section="users" authorized>
      <p className="text-std-16N-170" data-testid="your-role">
        {t("yourRole", { role: t(`role_${partner.role}`) })}
      </p>
      {canManage ? null : (
        <Notice tone="info" title={t("ownerOnlyTitle")} data-testid="owner-only-notice">
          <p>{t("ownerOnlyBody")}</p>
        </Notice>
      )}

      {canManage ? (
        <section aria-labelledby="add-user" className="space-y-4">
          <h2 id="add-user" className="text-std-20B-150">
            {t("addTitle")}
          </h2>
          <AddUserForm />
        </section>
      ) : null}

      <section aria-labelledby="user-list" className="space-y-4">
        <h2 id="user-list" className="text-std-20B-150">
          {t("listCaption")}
        </h2>
        <p className="text-std-16N-170">{t("rolesExplained")}</p>
        <Table caption={t("listCaption")} regionLabel={t("listRegion")} data-testid="users-table">
          <thead>
            <tr>
              <th scope="col">{t("colName")}</th>
              <th scope="col">{t("colEmail")}</th>
              <th scope="col">{t("colRole")}</th>
              <th scope="col">{t("colStatus")}</th>
              <th scope="col">{t("colLastLogin")}</th>
              {canManage ? <th scope="col">{t("colActions")}</th> : null}
            </tr>
          </thead>
          <tbody>
            {users.map((u) => {
              const lastOwner = u.role === "OWNER" && u.active && activeOwners === 1;
              return (
                <tr key={u.id} data-email={u.email} data-role={u.role} data-active={String(u.active)}>
                  <th scope="row" className="font-normal">
                    {u.displayName}
                    {u.id === partner.partnerUserId ? <span className="ml-2">{t("you")}</span> : null}
                  </th>
                  <td>{u.email}</td>
                  <td data-testid="user-role">{t(`role_${u.role}`)}</td>
                  <td data-testid="user-status">{u.active ? t("active") : t("inactive")}</td>
                  <td>{u.lastLoginAt ? formatDateTime(u.lastLoginAt, locale) : t("never")}</td>
                  {canManage ? (
                    <td>
                      <UserRowActions
                        userId={u.id}
                        email={u.email}
                        role={u.role}
                        active={u.active}
                        lastOwner={lastOwner}
                        self={u.id === partner.partnerUserId}
                      />
                    </td>
                  ) : null}
                </tr>
              );
            })}
          </tbody>
        </Table>
      </section>
    </PartnerSection>
  );
}

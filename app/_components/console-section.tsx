import { getTranslations } from "next-intl/server";
import { LoginRequired } from "./login-required";
import { PageHeader } from "./page-header";
import { Breadcrumbs } from "./ui/breadcrumbs";
import { EmptyState } from "./ui/empty-state";

export type TConsoleSectionProps = {
  /** Message namespace ("admin" or "partner") and the section's key prefix ("audit"). */
  namespace: "admin" | "partner";
  section: string;
  /** Whether the caller's page found a staff/partner session. */
  authorized: boolean;
};

/** Skeleton of one console section: breadcrumbs, heading, lead, then login prompt or empty state. */
export async function ConsoleSection({ namespace, section, authorized }: TConsoleSectionProps) {
  const t = await getTranslations();
  return (
    <div className="space-y-6">
      <Breadcrumbs
        aria-label={t("common.breadcrumbLabel")}
        items={[
          { label: t(`${namespace}.title`), href: `/${namespace}` },
          { label: t(`${namespace}.${section}Title`) },
        ]}
      />
      <PageHeader title={t(`${namespace}.${section}Title`)} lead={t(`${namespace}.${section}Lead`)} />
      {authorized ? (
        <EmptyState title={t(`${namespace}.${section}Empty`)} />
      ) : (
        <LoginRequired kind={namespace === "admin" ? "staff" : "partner"} />
      )}
    </div>
  );
}

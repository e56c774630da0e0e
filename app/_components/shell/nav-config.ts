import type { TNavItem } from "./nav-links-client";

type TTranslate = (key: string) => string;

/** Navigation as data, one list per audience (taxonomy's config/ pattern). */
export const publicNav = (t: TTranslate): TNavItem[] => [
  { href: "/", label: t("nav.home") },
  { href: "/login", label: t("nav.login") },
  { href: "/verify", label: t("nav.verify") },
  { href: "/reports/new", label: t("nav.reportNew") },
  { href: "/roads", label: t("nav.roads") },
];

export const residentNav = (t: TTranslate): TNavItem[] => [
  { href: "/mailbox", label: t("nav.mailbox") },
  { href: "/services", label: t("nav.services") },
  { href: "/disaster", label: t("nav.disaster") },
  { href: "/settings", label: t("nav.settings") },
  { href: "/reports/mine", label: t("nav.reportsMine") },
];

export const adminNav = (t: TTranslate): TNavItem[] => [
  { href: "/admin", label: t("nav.adminHome") },
  { href: "/admin/residents", label: t("nav.adminResidents") },
  { href: "/admin/disaster", label: t("nav.adminDisaster") },
  { href: "/admin/audit", label: t("nav.adminAudit") },
  { href: "/admin/partners", label: t("nav.adminPartners") },
  { href: "/admin/applications", label: t("nav.adminApplications") },
  { href: "/admin/notices", label: t("nav.adminNotices") },
  { href: "/admin/reports", label: t("nav.adminReports") },
  { href: "/admin/oidc-clients", label: t("sso.admin.nav") },
];

export const partnerNav = (t: TTranslate): TNavItem[] => [
  { href: "/partner", label: t("nav.partnerHome") },
  { href: "/partner/credentials", label: t("nav.partnerCredentials") },
  { href: "/partner/webhooks", label: t("nav.partnerWebhooks") },
  { href: "/partner/documents", label: t("nav.partnerDocuments") },
  { href: "/partner/usage", label: t("nav.partnerUsage") },
  { href: "/partner/users", label: t("nav.partnerUsers") },
  { href: "/partner/api-docs", label: t("nav.partnerApiDocs") },
];

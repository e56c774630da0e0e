import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { PageHeader } from "@/app/_components/page-header";
import { Breadcrumbs } from "@/app/_components/ui/breadcrumbs";
import { Notice } from "@/app/_components/ui/notice";
import { derToPem } from "@/lib/jpki";
import { getIssuerTrustAnchors } from "@/lib/mailbox/issuer-trust";
import { VerifyClient } from "./verify-client";

// The pinned root is read at request time from PARTNER_CA_DIR, never baked in at build.
export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("verify"))("title") };
}

/**
 * /verify: public, no login. The pinned partner-CA root is embedded in the page; the scanned QR
 * facts stay in the URL fragment (never sent to the server) and every check runs in the browser
 * (VerifyClient, lib/mailbox/offline-verify.ts), so a saved page verifies without a network.
 */
export default async function VerifyPage() {
  const t = await getTranslations();
  const roots = (await getIssuerTrustAnchors()).map((der) => derToPem(der, "CERTIFICATE")).join("");
  return (
    <div className="space-y-8">
      <Breadcrumbs
        aria-label={t("common.breadcrumbLabel")}
        items={[{ label: t("common.home"), href: "/" }, { label: t("verify.title") }]}
      />
      <PageHeader title={t("verify.title")} lead={t("verify.lead")} />
      <VerifyClient rootsPem={roots} />
      <Notice tone="info" title={t("verify.scopeTitle")}>
        <ul className="list-disc space-y-1 pl-6">
          <li>{t("verify.scopeOffline")}</li>
          <li>{t("verify.scopeNetwork")}</li>
          <li>{t("verify.scopeRoot")}</li>
        </ul>
      </Notice>
    </div>
  );
}

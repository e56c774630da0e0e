import type { Metadata } from "next";
import { pageContext } from "@/app/_server/page-context";
import { LinkButton } from "@/app/_components/ui/link-button";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await pageContext("sso");
  return { title: t("errorTitle") };
}

/**
 * /sso/error — a single sign-on request that cannot go on (the provider's error for a browser
 * flow, e.g. an unregistered redirect URI or client, or an expired step), in the portal's error
 * style: what happened in plain words, the stable code, the library's description.
 */
export default async function SsoErrorPage({
  searchParams,
}: {
  searchParams: Promise<{ error?: string; description?: string; code?: string }>;
}) {
  const { t } = await pageContext("sso");
  const { t: tCommon } = await pageContext("common");
  const q = await searchParams;
  const code = (q.code ?? q.error ?? "server_error").slice(0, 64);
  const key = `errors.${code}`;
  return (
    <div role="alert" className="space-y-4 rounded-12 border-l-8 border-error bg-red-50 p-6" data-sso-error={code}>
      <h1 className="text-std-28B-150">{t("errorTitle")}</h1>
      <p className="text-std-16N-175">{t.has(key) ? t(key) : t("errorBody")}</p>
      <p className="text-dns-16N-130 text-ink-muted">
        {t("errorCode")}: <code>{code}</code>
      </p>
      {q.description ? (
        <p className="text-dns-16N-130 text-ink-muted">
          {t("errorDescription")}: <bdi>{q.description.slice(0, 300)}</bdi>
        </p>
      ) : null}
      <LinkButton href="/" variant="outline">
        {tCommon("backHome")}
      </LinkButton>
    </div>
  );
}

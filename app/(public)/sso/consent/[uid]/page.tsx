import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { PageHeader } from "@/app/_components/page-header";
import { Button } from "@/app/_components/ui/button";
import { Card } from "@/app/_components/ui/card";
import { Notice } from "@/app/_components/ui/notice";
import { getOidcProvider } from "@/app/_server/oidc";
import { residentPage } from "@/app/_server/page-context";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { formatDateBoth } from "@/lib/i18n/dates";
import { claimValues, PREDICATE_CLAIMS, type TOidcClaim } from "@/lib/oidc/claims";
import { viewInteraction } from "@/lib/oidc/interaction";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await residentPage("sso");
  return { title: t("consentPageTitle") };
}

/**
 * /sso/consent/<uid> — what exactly goes to whom: one checkbox per claim the service asked for
 * (only claims within its registered scopes reach here), each with the value that would be sent,
 * nothing ticked in advance. Predicates say they disclose only yes/no.
 */
export default async function SsoConsentPage({ params }: { params: Promise<{ uid: string }> }) {
  const { uid } = await params;
  const { t, locale, resident } = await residentPage("sso");
  if (!resident) redirect(`/sso/interaction/${encodeURIComponent(uid)}`);
  const provider = await getOidcProvider();
  const view = await viewInteraction(provider, uid).catch((e: unknown) => {
    if (e instanceof AppError) redirect(`/sso/error?code=${e.code}`);
    throw e;
  });
  if (view.prompt !== "consent") redirect(`/sso/interaction/${encodeURIComponent(uid)}`);
  if (view.accountId !== resident.residentId) redirect("/sso/error?code=OIDC_LOGIN_REQUIRED");
  const prisma = await getDb();
  const [facts, client] = await Promise.all([
    prisma.resident.findUniqueOrThrow({
      where: { id: resident.residentId },
      select: {
        familyName: true,
        givenName: true,
        address: true,
        postalCode: true,
        dateOfBirth: true,
        gender: true,
        leftAt: true,
      },
    }),
    prisma.oidcClient.findUnique({ where: { id: view.client.id }, select: { name: true, nameEn: true } }),
  ]);
  const clientName = (locale === "en" ? client?.nameEn : client?.name) ?? view.client.name;
  const values = claimValues(facts, new Date());
  const shown = (c: TOidcClaim): string => {
    const v = values[c];
    if (typeof v === "boolean") return v ? t("yes") : t("no");
    if (c === "birthdate") return formatDateBoth(facts.dateOfBirth.toISOString(), locale);
    if (c === "gender") return t(`genders.${String(v)}`);
    if (c === "address") return `〒${facts.postalCode} ${facts.address}`;
    return String(v);
  };
  return (
    <>
      <PageHeader title={t("consentTitle", { client: clientName })} lead={t("consentLead", { client: clientName })} />
      <Card className="max-w-[48rem] space-y-6" data-testid="sso-consent" data-client={view.client.id}>
        <p className="text-std-16N-175">{t("loggedInAs", { name: resident.displayName })}</p>
        <form method="post" action={`/sso/consent/${encodeURIComponent(uid)}/decision`} className="space-y-6">
          {view.claimsAsked.length === 0 ? (
            <p className="text-std-16N-175">{t("consentNothing", { client: clientName })}</p>
          ) : (
            <fieldset className="space-y-4">
              <legend className="text-std-20B-150">{t("consentLegend", { client: clientName })}</legend>
              {view.claimsAsked.map((c) => (
                <div key={c} className="flex items-start gap-3">
                  <input
                    id={`claim-${c}`}
                    type="checkbox"
                    name="claim"
                    value={c}
                    className="mt-1 size-6"
                    aria-describedby={`claim-${c}-value`}
                    data-claim={c}
                  />
                  <label htmlFor={`claim-${c}`} className="text-std-16N-175">
                    <span className="font-bold">{t(`claims.${c}`)}</span>
                    <span id={`claim-${c}-value`} className="block text-ink-muted">
                      {t("consentValue", { value: shown(c) })}
                      {PREDICATE_CLAIMS.includes(c) ? <span className="block">{t("predicateHint")}</span> : null}
                    </span>
                  </label>
                </div>
              ))}
            </fieldset>
          )}
          <p className="text-std-16N-175">{t("consentSubject", { client: clientName })}</p>
          <div className="flex flex-wrap gap-4">
            <Button type="submit" name="decision" value="approve">
              {t("consentSubmit")}
            </Button>
            <Button type="submit" name="decision" value="cancel" variant="outline">
              {t("consentCancel")}
            </Button>
          </div>
        </form>
      </Card>
      <Notice tone="info" title={t("ledgerCaption")} className="mt-6 max-w-[48rem]">
        <p>{t("consentNote")}</p>
      </Notice>
    </>
  );
}

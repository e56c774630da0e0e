import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { LoginRequired } from "@/app/_components/login-required";
import { PageHeader } from "@/app/_components/page-header";
import { Card } from "@/app/_components/ui/card";
import { residentPage } from "@/app/_server/page-context";
import { SERVICE_SECTIONS } from "./sections";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("services");
  return { title: t("title") };
}

/** /services — the hub: one card per service section (./sections.ts), with what waits for the resident. */
export default async function ServicesPage() {
  const { t, resident } = await residentPage("services");
  if (!resident) {
    return (
      <>
        <PageHeader title={t("title")} lead={t("lead")} />
        <LoginRequired />
      </>
    );
  }
  const sections = await Promise.all(
    SERVICE_SECTIONS.map(async (s) => {
      const st = await getTranslations(s.namespace);
      return {
        ...s,
        title: st("hubTitle"),
        body: st("hubBody"),
        pending: s.pending ? await s.pending(resident.residentId) : 0,
      };
    }),
  );
  return (
    <>
      <PageHeader title={t("title")} lead={t("lead")} />
      <section aria-labelledby="services-sections" className="space-y-4">
        <h2 id="services-sections" className="sr-only">
          {t("sectionsTitle")}
        </h2>
        <ul className="grid gap-6 sm:grid-cols-2">
          {sections.map((s) => (
            <li key={s.id}>
              <Card data-section={s.id} className="h-full space-y-3">
                <h3 className="text-std-20B-150">
                  <Link
                    href={s.href}
                    className="underline underline-offset-4"
                    aria-label={t("open", { title: s.title })}
                  >
                    {s.title}
                  </Link>
                </h3>
                <p className="text-std-16N-175">{s.body}</p>
                {s.pending > 0 ? (
                  <p
                    className="inline-block rounded-8 border border-warning bg-yellow-50 px-3 py-1 text-std-16B-170"
                    data-testid={`services-pending-${s.id}`}
                  >
                    {t("pendingBadge", { count: s.pending })}
                  </p>
                ) : null}
              </Card>
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}

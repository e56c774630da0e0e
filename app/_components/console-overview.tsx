import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { LoginRequired } from "./login-required";
import { PageHeader } from "./page-header";
import { Card } from "./ui/card";

/** Landing page of a console: one card per section, each linking to it. */
export async function ConsoleOverview({
  namespace,
  sections,
  authorized,
}: {
  namespace: "admin" | "partner";
  sections: ReadonlyArray<{ key: string; href: string }>;
  authorized: boolean;
}) {
  const t = await getTranslations(namespace);
  return (
    <div className="space-y-8">
      <PageHeader title={t("title")} lead={t("lead")} />
      {authorized ? null : <LoginRequired kind={namespace === "admin" ? "staff" : "partner"} />}
      <ul className="grid gap-6 md:grid-cols-2 xl:grid-cols-3">
        {sections.map((s) => (
          <li key={s.key} className="flex">
            <Card className="flex-1">
              <h2 className="text-std-20B-150">
                <Link href={s.href} className="text-primary underline hover:decoration-2">
                  {t(`${s.key}Title`)}
                </Link>
              </h2>
              <p className="mt-2 text-std-16N-175">{t(`${s.key}Lead`)}</p>
            </Card>
          </li>
        ))}
      </ul>
    </div>
  );
}

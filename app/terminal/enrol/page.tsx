import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { Button } from "@/app/_components/ui/button";
import { Input } from "@/app/_components/ui/input";
import { Label } from "@/app/_components/ui/label";
import { LinkButton } from "@/app/_components/ui/link-button";
import { Notice } from "@/app/_components/ui/notice";
import { SupportText } from "@/app/_components/ui/support-text";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("terminalTap"))("enrol.title") };
}

/**
 * /terminal/enrol: staff type (or open a printed URL `?code=…` with) the one-time enrolment code
 * of a partner terminal; POST /api/terminal/enrol sets the device cookie and opens the kiosk.
 * A plain form post, so it works before any script has loaded.
 */
export default async function TerminalEnrolPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const t = await getTranslations("terminalTap");
  const params = await searchParams;
  const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  const code = one(params.code)?.slice(0, 200) ?? "";
  const error = one(params.error)
    ?.replace(/[^A-Z_]/g, "")
    .slice(0, 60);
  return (
    <main id="main" tabIndex={-1} className="mx-auto flex min-h-dvh max-w-200 flex-col gap-8 p-6 sm:p-10">
      <header className="flex flex-wrap items-center justify-between gap-4">
        <h1 className="text-std-32B-150">{t("enrol.title")}</h1>
        <LinkButton href="/terminal" variant="outline" size="xl">
          {(await getTranslations("terminal"))("restart")}
        </LinkButton>
      </header>
      {error ? (
        <div role="alert" data-error-code={error}>
          <Notice tone="error" title={t("enrol.errorTitle")}>
            <p>{t("enrol.errorBody")}</p>
            <p className="mt-2">{t("errorCode", { code: error })}</p>
          </Notice>
        </div>
      ) : null}
      <form method="post" action="/api/terminal/enrol" className="space-y-6 rounded-16 bg-white p-8">
        <p className="text-std-20N-150">{t("enrol.body")}</p>
        <div className="space-y-2">
          <Label htmlFor="enrol-code" size="lg">
            {t("enrol.codeLabel")}
          </Label>
          <SupportText id="enrol-code-hint">{t("enrol.codeSupport")}</SupportText>
          <Input
            id="enrol-code"
            name="code"
            required
            autoComplete="off"
            spellCheck={false}
            defaultValue={code}
            blockSize="lg"
            aria-describedby="enrol-code-hint"
            aria-invalid={error ? "true" : undefined}
            className="font-mono"
          />
        </div>
        <Button type="submit" size="xl" data-testid="enrol-submit">
          {t("enrol.submit")}
        </Button>
      </form>
    </main>
  );
}

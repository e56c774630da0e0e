"use client";

import { useTranslations } from "next-intl";
import { useEffect, useRef, useState } from "react";
import { CardLoginError } from "@/app/_lib/card/card-agent-session";
import { Button } from "@/app/_components/ui/button";
import { Input } from "@/app/_components/ui/input";
import { Label } from "@/app/_components/ui/label";
import { startTerminalLink, type TLinkConsent } from "./terminal-link-flow";

/**
 * Link on first tap, before the card: the kiosk's staff enter the member number, then the person
 * reads what they consent to (partner, number, what the partner may do, why) and presses
 * 「同意する」; the caller then runs the card steps over the consent challenge (`onConsent`).
 */
export function TerminalLinkClient({
  mode,
  partnerName,
  onConsent,
  onCancel,
}: {
  mode: "hospital" | "bus";
  partnerName: string;
  onConsent: (consent: TLinkConsent) => void;
  onCancel: () => void;
}) {
  const t = useTranslations("terminalTap");
  const p = useTranslations("links.purposes");
  const [consent, setConsent] = useState<TLinkConsent | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: focus moves only when the screen changes.
  useEffect(() => {
    heading.current?.focus();
  }, [consent]);
  const frame =
    "flex flex-1 flex-col items-center justify-center gap-8 rounded-32 border-4 border-primary bg-white p-10";
  const h = (text: string) => (
    <h2 ref={heading} tabIndex={-1} className="text-std-36B-140 focus:outline-none">
      {text}
    </h2>
  );

  if (!consent) {
    return (
      <section data-tap-state="link-form" className={frame}>
        {h(t("link.formTitle"))}
        <p className="text-std-24N-150">{t("link.formBody")}</p>
        <form
          className="w-full max-w-160 space-y-6"
          onSubmit={async (e) => {
            e.preventDefault();
            const ref = String(new FormData(e.currentTarget).get("partnerRef") ?? "");
            setBusy(true);
            setError(null);
            try {
              setConsent(await startTerminalLink(ref));
            } catch (err) {
              setError(err instanceof CardLoginError ? err.code : "INTERNAL");
            } finally {
              setBusy(false);
            }
          }}
        >
          <div className="space-y-2">
            <Label htmlFor="terminal-link-ref" size="lg">
              {t(`${mode}.memberLabel`)}
            </Label>
            <Input
              id="terminal-link-ref"
              name="partnerRef"
              required
              maxLength={100}
              autoComplete="off"
              className="font-mono text-std-28B-150"
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? "terminal-link-error" : undefined}
            />
          </div>
          {error ? (
            <p id="terminal-link-error" role="alert" className="text-error text-std-20N-150" data-error-code={error}>
              {t.has(`link.errors.${error}`) ? t(`link.errors.${error}`) : t("link.error", { code: error })}
            </p>
          ) : null}
          <div className="flex flex-wrap gap-4">
            <Button type="submit" size="xl" aria-disabled={busy || undefined} data-testid="link-form-submit">
              {t("link.submit")}
            </Button>
            <Button type="button" size="xl" variant="outline" onClick={onCancel}>
              {t("link.cancel")}
            </Button>
          </div>
        </form>
      </section>
    );
  }

  return (
    <section data-tap-state="link-consent" className={frame}>
      {h(t("link.consentTitle"))}
      <p className="text-std-24N-150">{t("link.consentBody")}</p>
      <dl className="grid gap-x-6 gap-y-3 text-left text-std-20N-150 sm:grid-cols-[auto_1fr]">
        <dt className="font-bold">{t("link.partnerLabel")}</dt>
        <dd>
          <bdi>{partnerName}</bdi>
        </dd>
        <dt className="font-bold">{t(`${mode}.memberLabel`)}</dt>
        <dd className="font-mono text-std-28B-150" data-testid="link-consent-reference">
          <bdi>{consent.partnerRef}</bdi>
        </dd>
        <dt className="font-bold">{t("link.allowsLabel")}</dt>
        <dd>
          <ul className="list-disc pl-6">
            {consent.purposes.map((x) => (
              <li key={x}>{p(x)}</li>
            ))}
          </ul>
        </dd>
        <dt className="font-bold">{t("link.purposeLabel")}</dt>
        <dd>
          <bdi>{consent.purposeText}</bdi>
        </dd>
      </dl>
      <div className="flex flex-wrap gap-4">
        <Button size="xl" onClick={() => onConsent(consent)} data-testid="link-consent">
          {t("link.consent")}
        </Button>
        <Button size="xl" variant="outline" onClick={onCancel}>
          {t("link.cancel")}
        </Button>
      </div>
    </section>
  );
}

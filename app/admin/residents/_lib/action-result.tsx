"use client";

import { useTranslations } from "next-intl";
import type { TActionState } from "@/app/_server/action-state";

/** The outcome line of a form: success, or the refusal's code in words. */
export function ActionResult({ state, testId }: { state: TActionState; testId: string }) {
  const t = useTranslations("adminResidents");
  return (
    <div
      role="status"
      aria-live="polite"
      data-testid={testId}
      data-result={state.at ? (state.ok ? state.subject : state.code) : undefined}
    >
      {state.at ? (
        state.ok ? (
          <p className="text-success">{t(`done.${state.subject ?? "ok"}`, { revoked: state.message ?? "0" })}</p>
        ) : (
          <p className="text-error" data-error-code={state.code}>
            {t.has(`errors.${state.code}`)
              ? t(`errors.${state.code}`)
              : t("errors.GENERIC", { code: state.code ?? "INTERNAL" })}
          </p>
        )
      ) : null}
    </div>
  );
}

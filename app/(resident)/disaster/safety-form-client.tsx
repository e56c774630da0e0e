"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { Button } from "@/app/_components/ui/button";
import type { TActionState } from "@/app/_server/action-state";
import { safetyReplyAction } from "./actions";

/** The two answers to an order; the current one is pressed. */
export function SafetyFormClient({ orderId, current }: { orderId: string; current: "SAFE" | "NEEDS_HELP" | null }) {
  const t = useTranslations("disaster");
  const [state, action, pending] = useActionState<TActionState, FormData>(safetyReplyAction, { ok: false });
  return (
    <form action={action} className="space-y-3" data-testid="safety-form">
      <input type="hidden" name="orderId" value={orderId} />
      <div className="flex flex-wrap gap-3">
        <Button
          type="submit"
          name="status"
          value="SAFE"
          size="lg"
          variant={current === "SAFE" ? "solid-fill" : "outline"}
          aria-pressed={current === "SAFE"}
          aria-disabled={pending || undefined}
        >
          {t("safe")}
        </Button>
        <Button
          type="submit"
          name="status"
          value="NEEDS_HELP"
          size="lg"
          variant={current === "NEEDS_HELP" ? "solid-fill" : "outline"}
          aria-pressed={current === "NEEDS_HELP"}
          aria-disabled={pending || undefined}
        >
          {t("needsHelp")}
        </Button>
      </div>
      <div
        role="status"
        aria-live="polite"
        data-testid="safety-result"
        data-result={state.at ? (state.ok ? state.subject : state.code) : undefined}
      >
        {state.at ? (
          state.ok ? (
            <p className="text-success">{t(state.subject === "SAFE" ? "repliedSafe" : "repliedNeedsHelp")}</p>
          ) : (
            <p className="text-error" data-error-code={state.code}>
              {t.has(`errors.${state.code}`)
                ? t(`errors.${state.code}`)
                : t("errors.GENERIC", { code: state.code ?? "INTERNAL" })}
            </p>
          )
        ) : null}
      </div>
    </form>
  );
}

"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { Button } from "@/app/_components/ui/button";
import { Label } from "@/app/_components/ui/label";
import { SupportText } from "@/app/_components/ui/support-text";
import type { TActionState } from "@/app/_server/action-state";
import { decideApplicationAction } from "../actions";

/** Approve, or return with a reason (the reason is required for a return; lib refuses an empty one). */
export function DecideFormClient({ id, canReturn }: { id: string; canReturn: boolean }) {
  const t = useTranslations("adminApplications");
  const [state, action, pending] = useActionState<TActionState, FormData>(decideApplicationAction, { ok: false });
  return (
    <form action={action} className="space-y-4" data-testid="application-decide">
      <input type="hidden" name="id" value={id} />
      {canReturn ? (
        <div className="space-y-2">
          <Label htmlFor="return-reason">{t("reason")}</Label>
          <SupportText id="return-reason-hint">{t("reasonHint")}</SupportText>
          <textarea
            id="return-reason"
            name="reason"
            maxLength={1000}
            rows={3}
            aria-describedby="return-reason-hint"
            className="block w-full rounded-6 border border-line-strong p-2"
          />
        </div>
      ) : null}
      <div className="flex flex-wrap gap-2">
        <Button
          type="submit"
          name="decision"
          value="APPROVE"
          aria-disabled={pending || undefined}
          data-testid="approve"
        >
          {canReturn ? t("approve") : t("finish")}
        </Button>
        {canReturn ? (
          <Button
            type="submit"
            variant="outline"
            name="decision"
            value="RETURN"
            aria-disabled={pending || undefined}
            data-testid="return"
          >
            {t("return")}
          </Button>
        ) : null}
      </div>
      <div
        role="status"
        aria-live="polite"
        data-testid="decide-result"
        data-result={state.at ? (state.ok ? state.subject : state.code) : undefined}
      >
        {state.at ? (
          state.ok ? (
            <p className={state.subject === "pending" ? "text-error" : "text-success"}>
              {t(`done.${state.subject ?? "approved"}`, { code: state.message ?? "" })}
            </p>
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

"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { Button } from "@/app/_components/ui/button";
import type { TActionState } from "@/app/_server/action-state";
import { decideScopeRequestAction } from "./actions";

/** Approve / reject buttons with an optional note for one pending scope request. */
export function DecideForm({ id, partner }: { id: string; partner: string }) {
  const t = useTranslations("adminPartners");
  const [state, action, pending] = useActionState<TActionState, FormData>(decideScopeRequestAction, { ok: false });
  return (
    <form action={action} className="space-y-2" data-testid="decide-form">
      <input type="hidden" name="id" value={id} />
      <label className="block text-std-16N-170">
        {t("note")}
        <input name="note" maxLength={1000} className="mt-1 block w-full rounded-6 border border-line-strong p-2" />
      </label>
      <div className="flex flex-wrap gap-2">
        <Button
          type="submit"
          size="sm"
          name="decision"
          value="APPROVE"
          aria-label={t("approveLabel", { partner })}
          aria-disabled={pending || undefined}
        >
          {t("approve")}
        </Button>
        <Button
          type="submit"
          size="sm"
          variant="outline"
          name="decision"
          value="REJECT"
          aria-label={t("rejectLabel", { partner })}
          aria-disabled={pending || undefined}
        >
          {t("reject")}
        </Button>
      </div>
      {state.at && !state.ok ? (
        <p role="alert" className="text-std-16B-170 text-error" data-error-code={state.code}>
          {t("error", { code: state.code ?? "INTERNAL" })}
        </p>
      ) : null}
    </form>
  );
}

"use client";

import { useTranslations } from "next-intl";
import { useActionState, useId } from "react";
import { Button } from "@/app/_components/ui/button";
import type { TActionState } from "@/app/_server/action-state";
import { setPartnerStatusAction } from "./actions";

/** Suspend (with a reason) or reactivate one partner. */
export function PartnerStatusForm({
  partnerId,
  partner,
  active,
}: {
  partnerId: string;
  partner: string;
  active: boolean;
}) {
  const t = useTranslations("adminPartnersOnboarding");
  const id = useId();
  const [state, action, pending] = useActionState<TActionState, FormData>(setPartnerStatusAction, { ok: false });
  return (
    <form action={action} className="space-y-2" data-testid="partner-status-form">
      <input type="hidden" name="partnerId" value={partnerId} />
      <input type="hidden" name="active" value={active ? "false" : "true"} />
      {active ? (
        <label htmlFor={`${id}-reason`} className="block text-std-16N-170">
          {t("suspendReason")}
          <input
            id={`${id}-reason`}
            name="reason"
            maxLength={500}
            aria-invalid={state.fieldErrors?.reason ? true : undefined}
            className="mt-1 block w-full rounded-6 border border-line-strong p-2"
          />
        </label>
      ) : null}
      <Button
        type="submit"
        size="sm"
        variant="outline"
        aria-label={t(active ? "suspendLabel" : "reactivateLabel", { partner })}
        aria-disabled={pending || undefined}
        onClick={(e) => pending && e.preventDefault()}
      >
        {t(active ? "suspend" : "reactivate")}
      </Button>
      {state.at && !state.ok ? (
        <p role="alert" className="text-std-16B-170 text-error" data-error-code={state.code}>
          {state.fieldErrors?.reason ? t("reasonRequired") : t("error", { code: state.code ?? "INTERNAL" })}
        </p>
      ) : null}
    </form>
  );
}

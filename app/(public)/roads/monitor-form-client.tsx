"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { Button } from "@/app/_components/ui/button";
import type { TActionState } from "@/app/_server/action-state";
import { trafficMonitorAction } from "./actions";

/** Volunteer as a traffic monitor, or withdraw. */
export function MonitorFormClient({ monitor }: { monitor: boolean }) {
  const t = useTranslations("roads");
  const [state, action, pending] = useActionState<TActionState, FormData>(trafficMonitorAction, { ok: false });
  return (
    <form action={action} className="space-y-2" data-testid="monitor-form">
      <input type="hidden" name="join" value={monitor ? "false" : "true"} />
      <Button type="submit" variant={monitor ? "outline" : "solid-fill"} aria-disabled={pending || undefined}>
        {monitor ? t("monitorLeave") : t("monitorJoin")}
      </Button>
      <p role="status" aria-live="polite" data-result={state.at ? (state.ok ? state.subject : state.code) : undefined}>
        {state.at
          ? state.ok
            ? t(`monitorDone.${state.subject}`)
            : t("monitorFailed", { code: state.code ?? "" })
          : null}
      </p>
    </form>
  );
}

"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { Button } from "@/app/_components/ui/button";
import type { TActionState } from "@/app/_server/action-state";
import { setActionOriginsAction } from "./actions";

/**
 * The origins a partner's documents may link their (unsigned) pay / reply / apply actions to,
 * one per line (lib/partners/set-action-origins.ts; administrators and supervisors only).
 */
export function ActionOriginsForm({
  partnerId,
  partner,
  origins,
}: {
  partnerId: string;
  partner: string;
  origins: string[];
}) {
  const t = useTranslations("adminPartners");
  const [state, action, pending] = useActionState<TActionState, FormData>(setActionOriginsAction, { ok: false });
  const id = `action-origins-${partnerId}`;
  return (
    <form action={action} className="space-y-2" data-testid="action-origins-form">
      <input type="hidden" name="partnerId" value={partnerId} />
      <label htmlFor={id} className="sr-only">
        {t("actionOriginsLabel", { partner })}
      </label>
      <textarea
        id={id}
        name="origins"
        rows={2}
        defaultValue={origins.join("\n")}
        placeholder="https://pay.example.jp"
        className="block w-full min-w-[16rem] rounded-6 border border-line-strong p-2 font-mono text-std-16N-170"
      />
      <Button type="submit" size="sm" variant="outline" aria-disabled={pending || undefined}>
        {t("actionOriginsSave")}
      </Button>
      {state.at ? (
        state.ok ? (
          <p role="status" className="text-std-16N-170">
            {t("actionOriginsSaved")}
          </p>
        ) : (
          <p role="alert" className="text-std-16B-170 text-error" data-error-code={state.code}>
            {t("error", { code: state.code ?? "INTERNAL" })}
          </p>
        )
      ) : null}
    </form>
  );
}

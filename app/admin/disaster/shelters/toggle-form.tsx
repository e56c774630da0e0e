"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { Button } from "@/app/_components/ui/button";
import type { TActionState } from "@/app/_server/action-state";
import { setShelterOpenAction } from "./actions";

/** Open / close one shelter. */
export function ShelterToggleForm({ shelterId, open, name }: { shelterId: string; open: boolean; name: string }) {
  const t = useTranslations("adminShelters");
  const [state, action, pending] = useActionState<TActionState, FormData>(setShelterOpenAction, { ok: false });
  return (
    <form action={action} data-testid="shelter-toggle">
      <input type="hidden" name="shelterId" value={shelterId} />
      <input type="hidden" name="open" value={open ? "false" : "true"} />
      <Button
        type="submit"
        size="sm"
        variant={open ? "outline" : "solid-fill"}
        aria-label={t(open ? "closeLabel" : "openLabel", { name })}
        aria-disabled={pending || undefined}
      >
        {t(open ? "close" : "openAction")}
      </Button>
      {!state.ok && state.code ? (
        <p role="alert" className="text-error text-std-14N-170" data-error-code={state.code}>
          {t("failed", { code: state.code })}
        </p>
      ) : null}
    </form>
  );
}

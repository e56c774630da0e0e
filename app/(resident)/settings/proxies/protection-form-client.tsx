"use client";

import { useActionState } from "react";
import { Button } from "@/app/_components/ui/button";
import type { TActionState } from "@/app/_server/action-state";
import { setProxyProtectionAction } from "./actions";

/** The protected-person switch, with its result announced. */
export function ProtectionFormClient({
  frozen,
  labels,
}: {
  frozen: boolean;
  labels: { freeze: string; unfreeze: string; frozenDone: string; unfrozenDone: string };
}) {
  const [state, action, pending] = useActionState<TActionState, FormData>(setProxyProtectionAction, { ok: false });
  return (
    <form action={action} className="space-y-3" data-testid="proxy-protection" data-frozen={frozen ? "true" : "false"}>
      <input type="hidden" name="frozen" value={frozen ? "0" : "1"} />
      <Button type="submit" variant={frozen ? "outline" : "solid-fill"} aria-disabled={pending || undefined}>
        {frozen ? labels.unfreeze : labels.freeze}
      </Button>
      <div aria-live="polite" role="status">
        {state.at && state.ok ? (
          <p className="text-success">{frozen ? labels.frozenDone : labels.unfrozenDone}</p>
        ) : null}
      </div>
    </form>
  );
}

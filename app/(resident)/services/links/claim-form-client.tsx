"use client";

import { startTransition, useActionState, useEffect, useRef } from "react";
import { Button } from "@/app/_components/ui/button";
import { Input } from "@/app/_components/ui/input";
import { Label } from "@/app/_components/ui/label";
import { SupportText } from "@/app/_components/ui/support-text";
import type { TActionState } from "@/app/_server/action-state";
import { claimLinkRequestAction } from "./actions";

export type TClaimLabels = {
  label: string;
  hint: string;
  submit: string;
  claimed: string;
  errors: Record<string, string>;
  error: string;
};

/** The link-code form: the request the code belongs to joins the pending list above. */
export function ClaimFormClient({ labels }: { labels: TClaimLabels }) {
  const [state, action, pending] = useActionState<TActionState, FormData>(claimLinkRequestAction, { ok: false });
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (state.ok) formRef.current?.reset();
  }, [state]);
  const message = state.code ? (labels.errors[state.code] ?? labels.error.replace("{code}", state.code)) : "";
  return (
    <form
      ref={formRef}
      // Submitted by hand: a mistyped code stays in the field so it can be corrected.
      onSubmit={(e) => {
        e.preventDefault();
        const data = new FormData(e.currentTarget);
        startTransition(() => action(data));
      }}
      className="space-y-4"
      data-testid="link-claim-form"
    >
      <div className="space-y-2">
        <Label htmlFor="link-claim-code">{labels.label}</Label>
        <SupportText id="link-claim-code-hint">{labels.hint}</SupportText>
        <Input
          id="link-claim-code"
          name="code"
          required
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          maxLength={40}
          aria-describedby="link-claim-code-hint"
          className="font-mono"
        />
      </div>
      <Button type="submit" aria-disabled={pending || undefined}>
        {labels.submit}
      </Button>
      <div aria-live="polite" role="status" data-testid="link-claim-result">
        {state.at ? (
          <p className={state.ok ? "text-success" : "text-error"}>{state.ok ? labels.claimed : message}</p>
        ) : null}
      </div>
    </form>
  );
}

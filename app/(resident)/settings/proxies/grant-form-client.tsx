"use client";

import { startTransition, useActionState, useEffect, useRef } from "react";
import { Button } from "@/app/_components/ui/button";
import { Input } from "@/app/_components/ui/input";
import { Label } from "@/app/_components/ui/label";
import { SupportText } from "@/app/_components/ui/support-text";
import type { TActionState } from "@/app/_server/action-state";
import { grantProxyAction } from "./actions";

export type TGrantFormLabels = {
  registryNumber: string;
  registryNumberHint: string;
  dateOfBirth: string;
  access: string;
  accessREAD: string;
  accessREAD_ACT: string;
  domains: string;
  endsOn: string;
  grant: string;
  granted: string;
  /** Known codes → sentence; others fall back to `grantError` with "{code}". */
  errorCodes: Record<string, string>;
  grantError: string;
};

/**
 * The add-a-proxy form (government form pattern: label, support text, input). A client leaf for
 * the live-region result; the form is reset after a success so a second grant starts clean.
 */
export function GrantFormClient({
  labels,
  domains,
  minDate,
}: {
  labels: TGrantFormLabels;
  domains: { value: string; label: string }[];
  minDate: string;
}) {
  const [state, action, pending] = useActionState<TActionState, FormData>(grantProxyAction, { ok: false });
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (state.ok) formRef.current?.reset();
  }, [state]);
  const message = state.code ? (labels.errorCodes[state.code] ?? labels.grantError.replace("{code}", state.code)) : "";
  return (
    <form
      ref={formRef}
      // Submitted by hand rather than through `action`: React resets a form after its action
      // runs, and a refused grant must keep what the resident typed so they can correct it.
      onSubmit={(e) => {
        e.preventDefault();
        const data = new FormData(e.currentTarget);
        startTransition(() => action(data));
      }}
      className="space-y-6"
      data-testid="proxy-grant-form"
    >
      <div className="space-y-2">
        <Label htmlFor="proxy-registry-number">{labels.registryNumber}</Label>
        <SupportText id="proxy-registry-number-hint">{labels.registryNumberHint}</SupportText>
        <Input
          id="proxy-registry-number"
          name="registryNumber"
          required
          autoComplete="off"
          aria-describedby="proxy-registry-number-hint"
          pattern="[0-9A-Za-z\-]{4,32}"
        />
      </div>
      <div className="space-y-2">
        <Label htmlFor="proxy-dob">{labels.dateOfBirth}</Label>
        <Input id="proxy-dob" name="dateOfBirth" type="date" required autoComplete="off" />
      </div>
      <fieldset className="space-y-2">
        <legend className="text-std-16B-170">{labels.access}</legend>
        {(["READ", "READ_ACT"] as const).map((a) => (
          <label key={a} className="flex items-center gap-2">
            <input type="radio" name="access" value={a} defaultChecked={a === "READ"} className="size-5" />
            {a === "READ" ? labels.accessREAD : labels.accessREAD_ACT}
          </label>
        ))}
      </fieldset>
      <fieldset className="space-y-2">
        <legend className="text-std-16B-170">{labels.domains}</legend>
        <div className="grid grid-cols-2 gap-2 sm:grid-cols-4">
          {domains.map((d) => (
            <label key={d.value} className="flex items-center gap-2">
              <input type="checkbox" name="domains" value={d.value} className="size-5" />
              {d.label}
            </label>
          ))}
        </div>
      </fieldset>
      <div className="space-y-2">
        <Label htmlFor="proxy-ends-on">{labels.endsOn}</Label>
        <Input id="proxy-ends-on" name="endsOn" type="date" required min={minDate} />
      </div>
      <Button type="submit" aria-disabled={pending || undefined}>
        {labels.grant}
      </Button>
      <div aria-live="polite" role="status" data-testid="proxy-grant-result">
        {state.at ? (
          state.ok ? (
            <p className="text-success">{labels.granted}</p>
          ) : (
            <p className="text-error">{message}</p>
          )
        ) : null}
      </div>
    </form>
  );
}

"use client";

import { useTranslations } from "next-intl";
import { type FormEvent, startTransition } from "react";
import type { TErrorSummaryItem } from "@/app/_components/ui/error-summary";
import type { TActionState } from "@/app/_server/action-state";

/**
 * A failed console action: the section's own `error_<CODE>` message when it has one (e.g. the
 * role explanation for PARTNER_ROLE_FORBIDDEN), else its generic "error" message with the code.
 */
export function ActionError({ state, namespace }: { state: TActionState; namespace: string }) {
  const t = useTranslations(namespace);
  if (state.ok || !state.code) return null;
  const key = `error_${state.code}`;
  return (
    <p role="alert" className="text-std-16B-170 text-error" data-error-code={state.code}>
      {t.has(key) ? t(key) : t("error", { code: state.code })}
    </p>
  );
}

/**
 * The field errors of a console form's last submit, read in the form's namespace: each field's
 * message (`fieldErrors.<key>`), and the error summary's entries — one per refused field in form
 * order, linking to `#<idPrefix>-<field>`, or, for a refusal of no particular field, the action's
 * `error_<CODE>` (else generic) message linking to the first field.
 */
export function useFormErrors(
  state: TActionState,
  namespace: string,
  fields: readonly string[],
  idPrefix: string,
): {
  fieldErrors: Record<string, string>;
  fieldMessage: (field: string) => string | null;
  summary: TErrorSummaryItem[];
} {
  const t = useTranslations(namespace);
  const fieldErrors = state.ok ? {} : (state.fieldErrors ?? {});
  const fieldMessage = (f: string) => {
    const key = fieldErrors[f];
    return key ? t(`fieldErrors.${key}`) : null;
  };
  let summary: TErrorSummaryItem[] = [];
  if (!state.ok && state.code) {
    const code = `error_${state.code}`;
    summary =
      Object.keys(fieldErrors).length > 0
        ? fields.filter((f) => fieldErrors[f]).map((f) => ({ href: `#${idPrefix}-${f}`, message: fieldMessage(f) }))
        : [{ href: `#${idPrefix}-${fields[0]}`, message: t.has(code) ? t(code) : t("error", { code: state.code }) }];
  }
  return { fieldErrors, fieldMessage, summary };
}

/**
 * A form's onSubmit that posts to `action` without React's automatic form reset, so a refused
 * submit keeps what the user typed (the form resets itself on success); ignored while pending.
 */
export function submitKeepingFields(action: (data: FormData) => void, pending: boolean) {
  return (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (pending) return;
    const data = new FormData(e.currentTarget);
    startTransition(() => action(data));
  };
}

/** A fieldset of checkboxes named `name`, one per value, each labelled by the value as code (scopes, event types). */
export function CodeCheckboxGroup({
  legend,
  hint,
  name,
  values,
  listClassName = "grid gap-2 sm:grid-cols-2",
}: {
  legend: string;
  hint?: string;
  name: string;
  values: readonly string[];
  listClassName?: string;
}) {
  return (
    <fieldset className="space-y-2">
      <legend className="text-std-17B-170">{legend}</legend>
      {hint ? <p className="text-std-16N-170">{hint}</p> : null}
      <ul className={listClassName}>
        {values.map((v) => (
          <li key={v}>
            <label className="flex items-center gap-2 text-std-16N-170">
              <input type="checkbox" name={name} value={v} className="size-6" />
              <code>{v}</code>
            </label>
          </li>
        ))}
      </ul>
    </fieldset>
  );
}

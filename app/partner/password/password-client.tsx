"use client";

import { useTranslations } from "next-intl";
import { useActionState, useEffect, useRef } from "react";
import { Button } from "@/app/_components/ui/button";
import { ErrorSummary } from "@/app/_components/ui/error-summary";
import { ErrorText } from "@/app/_components/ui/error-text";
import { Input } from "@/app/_components/ui/input";
import { Label } from "@/app/_components/ui/label";
import { SupportText } from "@/app/_components/ui/support-text";
import { submitKeepingFields, useFormErrors } from "../_lib/console-form-parts";
import type { TActionState } from "@/app/_server/action-state";
import { changePasswordAction } from "./actions";

/** The form's fields in page order: the error summary lists them in this order. */
const FIELDS = [
  { name: "currentPassword", autoComplete: "current-password" },
  { name: "newPassword", autoComplete: "new-password" },
  { name: "confirmPassword", autoComplete: "new-password" },
] as const;

/**
 * Current password, new password and its confirmation. Posted without the browser's form reset,
 * so a refused submit keeps what was typed; the error summary takes focus and links to each
 * field, each refused field is marked invalid and described by its error (convention 17, docs/architecture.md#conventions). A
 * success clears the fields and is announced.
 */
export function ChangePasswordForm() {
  const t = useTranslations("partnerPassword");
  const [state, action, pending] = useActionState<TActionState, FormData>(changePasswordAction, { ok: false });
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (state.ok && state.at) formRef.current?.reset();
  }, [state.ok, state.at]);

  const { fieldErrors, fieldMessage, summary } = useFormErrors(
    state,
    "partnerPassword",
    FIELDS.map((f) => f.name),
    "pw",
  );

  const onSubmit = submitKeepingFields(action, pending);

  return (
    <div className="space-y-4">
      <div role="status" className="text-std-16B-170" data-testid="change-password-status">
        {state.ok && state.at ? `${t("changed")}${state.subject === "loginAgain" ? ` ${t("loginAgain")}` : ""}` : ""}
      </div>
      {summary.length > 0 ? (
        <ErrorSummary key={state.at} title={t("errorTitle")} errors={summary} data-error-code={state.code} />
      ) : null}
      <form ref={formRef} onSubmit={onSubmit} noValidate className="space-y-6" data-testid="change-password-form">
        {FIELDS.map(({ name, autoComplete }) => {
          const id = `pw-${name}`;
          const describedBy = [fieldErrors[name] ? `${id}-error` : null, `${id}-hint`].filter(Boolean).join(" ");
          return (
            <div key={name} className="space-y-2">
              <Label htmlFor={id}>{t(name)}</Label>
              <SupportText id={`${id}-hint`}>{t(`${name}Hint`)}</SupportText>
              {fieldErrors[name] ? <ErrorText id={`${id}-error`}>{fieldMessage(name)}</ErrorText> : null}
              <Input
                id={id}
                name={name}
                type="password"
                autoComplete={autoComplete}
                required
                maxLength={name === "currentPassword" ? 1024 : 200}
                aria-invalid={fieldErrors[name] ? true : undefined}
                aria-describedby={describedBy}
              />
            </div>
          );
        })}
        <Button type="submit" aria-disabled={pending || undefined}>
          {t("submit")}
        </Button>
      </form>
    </div>
  );
}

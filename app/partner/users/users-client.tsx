"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import { type RefObject, useActionState, useEffect, useRef, useState } from "react";
import { Button } from "@/app/_components/ui/button";
import { ErrorSummary } from "@/app/_components/ui/error-summary";
import { ErrorText } from "@/app/_components/ui/error-text";
import { Input } from "@/app/_components/ui/input";
import { Label } from "@/app/_components/ui/label";
import { SupportText } from "@/app/_components/ui/support-text";
import { ActionError, submitKeepingFields, useFormErrors } from "../_lib/console-form-parts";
import type { TActionState } from "@/app/_server/action-state";
import { SecretOnce } from "../_lib/secret-once";
import { addUserAction, changeRoleAction, resetPasswordAction, setActiveAction } from "./actions";

const ROLES = ["DEVELOPER", "OWNER"] as const;
/** The form's fields in page order: the error summary lists them in this order. */
const FIELDS = ["email", "displayName", "role", "password"] as const;

/**
 * Add a console user: e-mail, name, role, and a password that is either generated (shown once)
 * or set by the owner. Posted without the browser's form reset, so a refused submit keeps what
 * was typed; the error summary takes focus and links to each field (convention 17, docs/architecture.md#conventions).
 */
export function AddUserForm() {
  const t = useTranslations("partnerUsers");
  const [state, action, pending] = useActionState<TActionState, FormData>(addUserAction, { ok: false });
  const [mode, setMode] = useState<"generate" | "set">("generate");
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (state.ok && state.at) {
      formRef.current?.reset();
      setMode("generate");
    }
  }, [state.ok, state.at]);

  const { fieldErrors, fieldMessage, summary } = useFormErrors(state, "partnerUsers", FIELDS, "user");
  const describedBy = (f: string, hint?: string) =>
    [fieldErrors[f] ? `user-${f}-error` : null, hint ?? null].filter(Boolean).join(" ") || undefined;

  const onSubmit = submitKeepingFields(action, pending);

  return (
    <div className="space-y-4">
      <div role="status" className="text-std-16B-170" data-testid="add-user-status">
        {state.ok && state.subject ? t("added", { email: state.subject }) : ""}
      </div>
      {state.ok && state.secret ? (
        <SecretOnce
          idLabel={t("email")}
          id={state.secret.id}
          secretLabel={t("initialPassword")}
          secret={state.secret.value}
          title={t("passwordOnceTitle")}
          warning={t("passwordOnceWarning")}
          copyLabel={t("copy")}
          copiedLabel={t("copied")}
        />
      ) : null}
      {summary.length > 0 ? (
        <ErrorSummary key={state.at} title={t("errorTitle")} errors={summary} data-error-code={state.code} />
      ) : null}
      <form ref={formRef} onSubmit={onSubmit} noValidate className="space-y-6" data-testid="add-user-form">
        <div className="space-y-2">
          <Label htmlFor="user-email">{t("email")}</Label>
          {fieldErrors.email ? <ErrorText id="user-email-error">{fieldMessage("email")}</ErrorText> : null}
          <Input
            id="user-email"
            name="email"
            type="email"
            autoComplete="off"
            required
            maxLength={254}
            aria-invalid={fieldErrors.email ? true : undefined}
            aria-describedby={describedBy("email")}
          />
        </div>
        <div className="space-y-2">
          <Label htmlFor="user-displayName">{t("displayName")}</Label>
          <SupportText id="user-displayName-hint">{t("displayNameHint")}</SupportText>
          {fieldErrors.displayName ? (
            <ErrorText id="user-displayName-error">{fieldMessage("displayName")}</ErrorText>
          ) : null}
          <Input
            id="user-displayName"
            name="displayName"
            required
            maxLength={100}
            aria-invalid={fieldErrors.displayName ? true : undefined}
            aria-describedby={describedBy("displayName", "user-displayName-hint")}
          />
        </div>
        <fieldset className="space-y-2" id="user-role" tabIndex={-1}>
          <legend className="text-std-17B-170">{t("role")}</legend>
          {fieldErrors.role ? <ErrorText>{fieldMessage("role")}</ErrorText> : null}
          {ROLES.map((r) => (
            <div key={r} className="flex items-start gap-2">
              <input
                type="radio"
                id={`user-role-${r}`}
                name="role"
                value={r}
                defaultChecked={r === "DEVELOPER"}
                aria-describedby={`user-role-${r}-hint`}
                className="mt-1 size-6"
              />
              <div>
                <label htmlFor={`user-role-${r}`} className="text-std-16B-170">
                  {t(`role_${r}`)}
                </label>
                <p id={`user-role-${r}-hint`} className="text-std-16N-170">
                  {t(`roleHint_${r}`)}
                </p>
              </div>
            </div>
          ))}
        </fieldset>
        <fieldset className="space-y-2">
          <legend className="text-std-17B-170">{t("passwordMode")}</legend>
          {(["generate", "set"] as const).map((m) => (
            <label key={m} className="flex items-center gap-2 text-std-16N-170">
              <input
                type="radio"
                name="passwordMode"
                value={m}
                checked={mode === m}
                onChange={() => setMode(m)}
                className="size-6"
              />
              {t(`passwordMode_${m}`)}
            </label>
          ))}
        </fieldset>
        {mode === "set" ? (
          <div className="space-y-2">
            <Label htmlFor="user-password">{t("password")}</Label>
            <SupportText id="user-password-hint">{t("passwordHint")}</SupportText>
            {fieldErrors.password ? <ErrorText id="user-password-error">{fieldMessage("password")}</ErrorText> : null}
            <Input
              id="user-password"
              name="password"
              type="password"
              autoComplete="new-password"
              required
              maxLength={200}
              aria-invalid={fieldErrors.password ? true : undefined}
              aria-describedby={describedBy("password", "user-password-hint")}
            />
          </div>
        ) : null}
        <Button type="submit" aria-disabled={pending || undefined}>
          {t("add")}
        </Button>
      </form>
    </div>
  );
}

/**
 * One row's controls: change the role, deactivate (confirmed in place) or reactivate, and reset
 * another user's password (confirmed in place; the new one is shown once). The last active OWNER
 * gets no demote/deactivate controls, only the reason (the server refuses it too); the owner's
 * own row points to the change-password page instead of a reset.
 */
export function UserRowActions({
  userId,
  email,
  role,
  active,
  lastOwner,
  self,
}: {
  userId: string;
  email: string;
  role: "OWNER" | "DEVELOPER";
  active: boolean;
  lastOwner: boolean;
  self: boolean;
}) {
  const t = useTranslations("partnerUsers");
  const [roleState, changeRole, changing] = useActionState<TActionState, FormData>(changeRoleAction, { ok: false });
  const [activeState, setActive, setting] = useActionState<TActionState, FormData>(setActiveAction, { ok: false });
  const [resetState, resetPassword, resetting] = useActionState<TActionState, FormData>(resetPasswordAction, {
    ok: false,
  });
  const [confirming, setConfirming] = useState<"deactivate" | "reset" | null>(null);
  const questionRef = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (confirming) questionRef.current?.focus();
  }, [confirming]);
  useEffect(() => {
    if (activeState.at || resetState.at) setConfirming(null);
  }, [activeState.at, resetState.at]);
  const latest = [roleState, activeState, resetState].reduce((a, b) => ((b.at ?? 0) > (a.at ?? 0) ? b : a));
  const selectId = `role-${userId}`;

  return (
    <div className="space-y-2">
      <ActionError state={latest} namespace="partnerUsers" />
      <p role="status" className="text-std-16N-170">
        {latest.ok && latest.at ? t(latest === resetState ? "passwordResetDone" : "changed", { email }) : ""}
      </p>
      {latest === resetState && resetState.ok && resetState.secret ? (
        <SecretOnce
          idLabel={t("email")}
          id={resetState.secret.id}
          secretLabel={t("newPassword")}
          secret={resetState.secret.value}
          title={t("resetOnceTitle")}
          warning={t("resetOnceWarning")}
          copyLabel={t("copy")}
          copiedLabel={t("copied")}
        />
      ) : null}
      {lastOwner ? <p className="text-std-16N-170">{t("lastOwnerNote")}</p> : null}
      {active && !lastOwner ? (
        <form action={changeRole} className="flex flex-wrap items-end gap-2">
          <input type="hidden" name="userId" value={userId} />
          <label htmlFor={selectId} className="sr-only">
            {t("roleSelectLabel", { email })}
          </label>
          <select
            id={selectId}
            name="role"
            defaultValue={role}
            className="h-10 rounded-6 border border-line-strong bg-white px-2 text-std-16N-170"
          >
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {t(`role_${r}`)}
              </option>
            ))}
          </select>
          <Button
            type="submit"
            size="sm"
            variant="outline"
            aria-label={t("changeRoleLabel", { email })}
            aria-disabled={changing || undefined}
          >
            {t("changeRole")}
          </Button>
        </form>
      ) : null}
      {!active ? (
        <form action={setActive}>
          <input type="hidden" name="userId" value={userId} />
          <input type="hidden" name="active" value="true" />
          <Button
            type="submit"
            size="sm"
            variant="outline"
            aria-label={t("reactivateLabel", { email })}
            aria-disabled={setting || undefined}
          >
            {t("reactivate")}
          </Button>
        </form>
      ) : lastOwner ? null : confirming === "deactivate" ? (
        <ConfirmInPlace
          action={setActive}
          title={t("deactivateTitle")}
          body={t("deactivateBody", { email })}
          confirm={t("deactivateConfirm")}
          cancel={t("cancel")}
          pending={setting}
          questionRef={questionRef}
          onCancel={() => setConfirming(null)}
          fields={{ userId, active: "false" }}
        />
      ) : confirming === "reset" ? null : (
        <Button
          size="sm"
          variant="outline"
          aria-label={t("deactivateLabel", { email })}
          onClick={() => setConfirming("deactivate")}
        >
          {t("deactivate")}
        </Button>
      )}
      {self ? (
        <p className="text-std-16N-170">
          <Link href="/partner/password" className="text-primary underline underline-offset-[0.1875rem]">
            {t("ownPasswordNote")}
          </Link>
        </p>
      ) : confirming === "reset" ? (
        <ConfirmInPlace
          action={resetPassword}
          title={t("resetTitle")}
          body={t("resetBody", { email })}
          confirm={t("resetConfirm")}
          cancel={t("cancel")}
          pending={resetting}
          questionRef={questionRef}
          onCancel={() => setConfirming(null)}
          fields={{ userId }}
        />
      ) : confirming === "deactivate" ? null : (
        <Button
          size="sm"
          variant="outline"
          aria-label={t("resetPasswordLabel", { email })}
          onClick={() => setConfirming("reset")}
        >
          {t("resetPassword")}
        </Button>
      )}
    </div>
  );
}

/**
 * A destructive action confirmed in place: the question (focused when it appears, so a screen
 * reader reads it), what will happen, and confirm / cancel. `fields` are posted as hidden inputs.
 */
function ConfirmInPlace({
  action,
  title,
  body,
  confirm,
  cancel,
  pending,
  questionRef,
  onCancel,
  fields,
}: {
  action: (formData: FormData) => void;
  title: string;
  body: string;
  confirm: string;
  cancel: string;
  pending: boolean;
  questionRef: RefObject<HTMLParagraphElement | null>;
  onCancel: () => void;
  fields: Record<string, string>;
}) {
  return (
    <form action={action} className="space-y-2" aria-label={title}>
      <p ref={questionRef} tabIndex={-1} className="text-std-16B-170">
        {title}
      </p>
      <p className="text-std-16N-170">{body}</p>
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <div className="flex flex-wrap gap-2">
        <Button type="submit" size="sm" aria-disabled={pending || undefined}>
          {confirm}
        </Button>
        <Button type="button" size="sm" variant="outline" onClick={onCancel}>
          {cancel}
        </Button>
      </div>
    </form>
  );
}

"use client";

import { useTranslations } from "next-intl";
import { type FormEvent, startTransition, useActionState } from "react";
import { Button } from "@/app/_components/ui/button";
import { ErrorText } from "@/app/_components/ui/error-text";
import { Input } from "@/app/_components/ui/input";
import { Label } from "@/app/_components/ui/label";
import { SupportText } from "@/app/_components/ui/support-text";
import type { TActionState } from "@/app/_server/action-state";
import { registerPartnerAction } from "./actions";

type TField = "slug" | "name" | "nameEn" | "corporateNumber" | "ownerName" | "ownerEmail";

/** Registering a partner: organisation, 法人番号, owner, optional CSR; the result (invitation, certificate) is announced. */
export function RegisterPartnerForm({ kinds }: { kinds: readonly string[] }) {
  const t = useTranslations("adminPartnersOnboarding");
  const [state, action, pending] = useActionState<TActionState, FormData>(registerPartnerAction, { ok: false });
  const err = (f: string) => state.fieldErrors?.[f];
  // Posted without React's automatic form reset, so a refused registration keeps what was typed.
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (pending) return;
    const data = new FormData(e.currentTarget);
    startTransition(() => action(data));
  };
  const field = (name: TField, o: { type?: string; maxLength: number; autoComplete?: string; hint?: boolean }) => (
    <div className="space-y-2">
      <Label htmlFor={`reg-${name}`} requirement={t("required")}>
        {t(`field.${name}`)}
      </Label>
      {o.hint ? <SupportText id={`reg-${name}-hint`}>{t(`hint.${name}`)}</SupportText> : null}
      <Input
        id={`reg-${name}`}
        name={name}
        type={o.type ?? "text"}
        required
        maxLength={o.maxLength}
        autoComplete={o.autoComplete ?? "off"}
        aria-invalid={err(name) ? true : undefined}
        aria-describedby={
          [err(name) ? `reg-${name}-error` : "", o.hint ? `reg-${name}-hint` : ""].join(" ").trim() || undefined
        }
      />
      {err(name) ? <ErrorText id={`reg-${name}-error`}>{t(`fieldError.${err(name)}`)}</ErrorText> : null}
    </div>
  );
  return (
    <form
      action={action}
      onSubmit={onSubmit}
      className="grid gap-4 md:grid-cols-2"
      data-testid="register-partner-form"
      noValidate
    >
      {field("name", { maxLength: 128 })}
      {field("nameEn", { maxLength: 128 })}
      {field("slug", { maxLength: 63, hint: true })}
      <div className="space-y-2">
        <Label htmlFor="reg-kind" requirement={t("required")}>
          {t("field.kind")}
        </Label>
        <select
          id="reg-kind"
          name="kind"
          required
          className="block w-full rounded-8 border border-line-strong bg-white p-3"
        >
          {kinds.map((k) => (
            <option key={k} value={k}>
              {t(`kind.${k}`)}
            </option>
          ))}
        </select>
      </div>
      {field("corporateNumber", { maxLength: 40, hint: true })}
      {field("ownerName", { maxLength: 100, autoComplete: "off" })}
      {field("ownerEmail", { type: "email", maxLength: 254 })}
      <div className="space-y-2 md:col-span-2">
        <Label htmlFor="reg-csr" requirement={t("optional")}>
          {t("field.csr")}
        </Label>
        <SupportText id="reg-csr-hint">{t("hint.csr")}</SupportText>
        <textarea
          id="reg-csr"
          name="csr"
          rows={6}
          maxLength={20000}
          spellCheck={false}
          aria-invalid={err("csr") ? true : undefined}
          aria-describedby={err("csr") ? "reg-csr-error reg-csr-hint" : "reg-csr-hint"}
          className="block w-full rounded-8 border border-line-strong p-3 font-mono text-sm aria-[invalid=true]:border-2 aria-[invalid=true]:border-error"
        />
        {err("csr") ? <ErrorText id="reg-csr-error">{t(`fieldError.${err("csr")}`)}</ErrorText> : null}
      </div>
      <div className="md:col-span-2">
        <Button type="submit" aria-disabled={pending || undefined} onClick={(e) => pending && e.preventDefault()}>
          {pending ? t("registering") : t("register")}
        </Button>
      </div>
      <div aria-live="polite" className="md:col-span-2" data-testid="register-partner-result">
        {state.at && !state.ok ? (
          <p role="alert" className="text-std-16B-170 text-error" data-error-code={state.code}>
            {t("error", { code: state.code ?? "INTERNAL" })}
          </p>
        ) : null}
        {state.ok ? (
          <div className="space-y-2 rounded-8 border border-success bg-green-50 p-4" data-registered={state.subject}>
            <p className="text-std-16B-170">{t("registered", { name: state.subject ?? "" })}</p>
            <p>
              {state.report?.certificateSerial
                ? t("certificateIssued", { serial: String(state.report.certificateSerial) })
                : t("noCertificate")}
            </p>
            {state.report?.mailed ? (
              <p>{t("invitationMailed")}</p>
            ) : state.url ? (
              <div className="space-y-1">
                <p>{t("invitationNotMailed")}</p>
                <p>
                  <code className="break-all" data-testid="invitation-url">
                    {state.url}
                  </code>
                </p>
              </div>
            ) : null}
          </div>
        ) : null}
      </div>
    </form>
  );
}

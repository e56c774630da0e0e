"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { Button } from "@/app/_components/ui/button";
import { ErrorText } from "@/app/_components/ui/error-text";
import { Input } from "@/app/_components/ui/input";
import { Label } from "@/app/_components/ui/label";
import { SupportText } from "@/app/_components/ui/support-text";
import type { TActionState } from "@/app/_server/action-state";
import { acceptInvitationAction } from "./actions";

const FIELDS = ["password", "confirmPassword"] as const;

/** New password + confirmation for an invited owner; on success, the way to the console login. */
export function AcceptInvitationForm({ token }: { token: string }) {
  const t = useTranslations("partnerInvitation");
  const [state, action, pending] = useActionState<TActionState, FormData>(acceptInvitationAction, { ok: false });
  if (state.ok) {
    return (
      <div role="status" className="space-y-3" data-testid="invitation-accepted">
        <p className="text-std-16B-170">{t("accepted")}</p>
        <p>
          <Link href="/partner/login" className="text-primary underline">
            {t("toLogin")}
          </Link>
        </p>
      </div>
    );
  }
  const fe = state.fieldErrors ?? {};
  return (
    <form action={action} noValidate className="space-y-6" data-testid="accept-invitation-form">
      <input type="hidden" name="token" value={token} />
      {FIELDS.map((name) => {
        const id = `inv-${name}`;
        return (
          <div key={name} className="space-y-2">
            <Label htmlFor={id}>{t(name)}</Label>
            <SupportText id={`${id}-hint`}>{t(`${name}Hint`)}</SupportText>
            {fe[name] ? <ErrorText id={`${id}-error`}>{t(`fieldError.${fe[name]}`)}</ErrorText> : null}
            <Input
              id={id}
              name={name}
              type="password"
              autoComplete="new-password"
              required
              maxLength={200}
              aria-invalid={fe[name] ? true : undefined}
              aria-describedby={[fe[name] ? `${id}-error` : "", `${id}-hint`].join(" ").trim()}
            />
          </div>
        );
      })}
      <Button type="submit" aria-disabled={pending || undefined} onClick={(e) => pending && e.preventDefault()}>
        {t("submit")}
      </Button>
      {state.at && !state.ok && !state.fieldErrors ? (
        <p role="alert" className="text-std-16B-170 text-error" data-error-code={state.code}>
          {state.code === "PARTNER_INVITATION_INVALID" ? t("invalid") : t("error", { code: state.code ?? "INTERNAL" })}
        </p>
      ) : null}
    </form>
  );
}

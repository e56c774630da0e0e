"use client";

import { signIn } from "next-auth/react";
import { useTranslations } from "next-intl";
import { type FormEvent, useState } from "react";
import { Button } from "@/app/_components/ui/button";
import { ErrorSummary } from "@/app/_components/ui/error-summary";
import { Input } from "@/app/_components/ui/input";
import { Label } from "@/app/_components/ui/label";

const KNOWN = new Set(["PARTNER_LOGIN_INVALID", "PARTNER_LOGIN_LOCKED", "RATE_LIMITED"]);

/** E-mail + password form; posts to next-auth's "partner" provider and goes to /partner. */
export function PartnerLoginForm() {
  const t = useTranslations("partnerLogin");
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (pending) return;
    const form = new FormData(e.currentTarget);
    const email = String(form.get("email") ?? "").trim();
    const password = String(form.get("password") ?? "");
    if (!email || !password) {
      setError("REQUIRED");
      return;
    }
    setPending(true);
    setError(null);
    const r = await signIn("partner", { email, password, redirect: false });
    if (r?.ok && !r.error) {
      window.location.assign("/partner");
      return;
    }
    setPending(false);
    setError(r?.error ?? "INTERNAL");
  }

  const message =
    error === null
      ? null
      : error === "REQUIRED"
        ? t("required")
        : KNOWN.has(error)
          ? t(error as "PARTNER_LOGIN_INVALID")
          : t("errorOther", { code: error });

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-6" data-testid="partner-login-form">
      {message ? (
        <ErrorSummary
          title={t("errorTitle")}
          errors={[{ href: "#partner-email", message }]}
          data-error-code={error ?? undefined}
        />
      ) : null}
      <div className="space-y-2">
        <Label htmlFor="partner-email">{t("email")}</Label>
        <Input
          id="partner-email"
          name="email"
          type="email"
          autoComplete="username"
          required
          aria-invalid={error ? true : undefined}
        />
      </div>
      <div className="space-y-2">
        <Label htmlFor="partner-password">{t("password")}</Label>
        <Input
          id="partner-password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          aria-invalid={error ? true : undefined}
        />
      </div>
      <Button type="submit" size="lg" aria-disabled={pending || undefined}>
        {pending ? t("submitting") : t("submit")}
      </Button>
    </form>
  );
}

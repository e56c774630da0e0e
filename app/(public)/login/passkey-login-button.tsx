"use client";

import { signIn } from "next-auth/react";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { Button } from "@/app/_components/ui/button";
import { Notice } from "@/app/_components/ui/notice";

/**
 * Passkey login (low-risk re-entry): WebAuthn with a discoverable credential; the session has
 * assurance "passkey", so pages with personal data still ask for the card (step-up).
 */
export function PasskeyLoginButton({ afterLogin = "/mailbox" }: { afterLogin?: string }) {
  const t = useTranslations("passkey");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const login = async () => {
    setBusy(true);
    setError(null);
    try {
      const res = await fetch("/api/auth/passkey/login/options", { method: "POST" });
      const optionsJSON = await res.json();
      if (!res.ok) throw new Error((optionsJSON as { error?: { code?: string } }).error?.code ?? "GENERIC");
      const { startAuthentication } = await import("@simplewebauthn/browser");
      const response = await startAuthentication({ optionsJSON });
      const r = await signIn("passkey", { response: JSON.stringify(response), redirect: false });
      if (r?.ok && !r.error) return window.location.assign(afterLogin);
      throw new Error(r?.error ?? "GENERIC");
    } catch (e) {
      setError((e as Error).name === "NotAllowedError" ? "CANCELLED" : (e as Error).message || "GENERIC");
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="passkey-login-heading" className="space-y-3">
      <h2 id="passkey-login-heading" className="text-std-20B-150">
        {t("loginTitle")}
      </h2>
      <p>{t("loginBody")}</p>
      <Button variant="outline" onClick={() => void login()} aria-disabled={busy} data-testid="passkey-login">
        {t("loginAction")}
      </Button>
      {error ? (
        <div role="alert" data-error-code={error}>
          <Notice tone="error" title={t("loginErrorTitle")}>
            <p>{t("loginErrorBody", { code: error })}</p>
          </Notice>
        </div>
      ) : null}
    </section>
  );
}

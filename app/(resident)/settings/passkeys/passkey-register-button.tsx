"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import { Button } from "@/app/_components/ui/button";
import { Notice } from "@/app/_components/ui/notice";

/** Registers a passkey on this device (WebAuthn create), inside a fresh card session. */
export function PasskeyRegisterButton() {
  const t = useTranslations("passkey");
  const [state, setState] = useState<"idle" | "busy" | "done" | { error: string }>("idle");
  const register = async () => {
    setState("busy");
    try {
      const res = await fetch("/api/auth/passkey/register/options", { method: "POST" });
      const optionsJSON = await res.json();
      if (!res.ok) throw new Error((optionsJSON as { error?: { code?: string } }).error?.code ?? "GENERIC");
      const { startRegistration } = await import("@simplewebauthn/browser");
      const response = await startRegistration({ optionsJSON });
      const verify = await fetch("/api/auth/passkey/register/verify", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ response }),
      });
      if (!verify.ok) {
        const body = (await verify.json().catch(() => ({}))) as { error?: { code?: string } };
        throw new Error(body.error?.code ?? "GENERIC");
      }
      setState("done");
      window.location.reload();
    } catch (e) {
      setState({ error: (e as Error).name === "NotAllowedError" ? "CANCELLED" : (e as Error).message || "GENERIC" });
    }
  };
  return (
    <div className="space-y-3" data-passkey-register={typeof state === "object" ? "error" : state}>
      <Button onClick={() => void register()} aria-disabled={state === "busy"} data-testid="passkey-register">
        {t("registerAction")}
      </Button>
      {typeof state === "object" ? (
        <div role="alert" data-error-code={state.error}>
          <Notice tone="error" title={t("registerErrorTitle")}>
            <p>{t("registerErrorBody", { code: state.error })}</p>
          </Notice>
        </div>
      ) : null}
    </div>
  );
}

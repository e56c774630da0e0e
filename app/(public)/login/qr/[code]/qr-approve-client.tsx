"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import { Button } from "@/app/_components/ui/button";
import { Notice } from "@/app/_components/ui/notice";

/** Phone side: approve the PC's login after comparing the number. */
export function QrApproveClient({
  code,
  confirmation,
  displayName,
}: {
  code: string;
  confirmation: string;
  displayName: string;
}) {
  const t = useTranslations("crossDevice");
  const [state, setState] = useState<"ask" | "sending" | "approved" | { error: string }>("ask");
  const approve = async () => {
    setState("sending");
    const res = await fetch("/api/card/cross-device/approve", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ code }),
    });
    const body = (await res.json().catch(() => ({}))) as { error?: { code?: string } };
    setState(res.ok ? "approved" : { error: body.error?.code ?? "GENERIC" });
  };
  if (state === "approved") {
    return (
      <div role="status" data-qr-approve="approved">
        <Notice tone="success" title={t("approvedTitle")}>
          <p>{t("approvedBody")}</p>
        </Notice>
      </div>
    );
  }
  return (
    <section className="space-y-4" data-qr-approve={typeof state === "object" ? "error" : state}>
      <p>{t("approveAs", { name: displayName })}</p>
      <p>
        {t("confirmationLabel")} <strong className="font-mono text-std-32B-150">{confirmation}</strong>
      </p>
      <Notice tone="warning" title={t("warningTitle")}>
        <p>{t("warningBody")}</p>
      </Notice>
      {typeof state === "object" ? (
        <div role="alert" data-error-code={state.error}>
          <Notice tone="error" title={t("errorTitle")}>
            <p>{t("errorBody", { code: state.error })}</p>
          </Notice>
        </div>
      ) : null}
      <Button onClick={() => void approve()} aria-disabled={state === "sending"} data-testid="qr-approve">
        {t("approve")}
      </Button>
    </section>
  );
}

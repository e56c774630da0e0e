"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import { Button } from "@/app/_components/ui/button";
import { Notice } from "@/app/_components/ui/notice";
import { CardSignPanel } from "../../_lib/card-sign-panel";

/**
 * Sign with the card (CardSignPanel: CAdES-BES over the exact canonical bytes, the signing PIN
 * typed in the card agent) or decline (after a confirmation). Either posts to the request's own
 * route and reloads the page, which then shows the outcome.
 */
export function SigningRequestClient({ id, canonical }: { id: string; canonical: string }) {
  const t = useTranslations("signingRequests");
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const post = async (action: "sign" | "decline", body: unknown): Promise<string | null> => {
    const res = await fetch(`/services/signing-requests/${id}/${action}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    if (res.ok) {
      window.location.reload();
      return null;
    }
    const json = (await res.json().catch(() => ({}))) as { error?: { code?: string } };
    return json.error?.code ?? "INTERNAL";
  };

  const decline = async () => {
    setBusy(true);
    setError(await post("decline", {}));
    setBusy(false);
  };

  return (
    <div className="space-y-8">
      <section aria-labelledby="signing-sign" className="space-y-4">
        <h2 id="signing-sign" className="text-std-20B-150">
          {t("signTitle")}
        </h2>
        <CardSignPanel canonical={canonical} onSigned={(signed) => post("sign", { signedData: signed.cms })} />
      </section>
      <section aria-labelledby="signing-decline" className="space-y-4">
        <h2 id="signing-decline" className="text-std-20B-150">
          {t("declineTitle")}
        </h2>
        <p>{t("declineBody")}</p>
        {error ? (
          <Notice tone="error" title={t("errorTitle")} role="alert" data-error-code={error}>
            <p>{t.has(`errors.${error}`) ? t(`errors.${error}`) : t("errors.GENERIC", { code: error })}</p>
          </Notice>
        ) : null}
        {confirming ? (
          <fieldset className="space-y-2">
            <legend className="text-std-16B-170">{t("declineConfirmTitle")}</legend>
            <div className="flex flex-wrap gap-2">
              <Button
                variant="outline"
                onClick={() => void decline()}
                aria-disabled={busy || undefined}
                data-testid="signing-decline-confirm"
              >
                {t("declineConfirm")}
              </Button>
              <Button variant="text" onClick={() => setConfirming(false)}>
                {t("cancel")}
              </Button>
            </div>
          </fieldset>
        ) : (
          <Button variant="outline" onClick={() => setConfirming(true)} data-testid="signing-decline">
            {t("decline")}
          </Button>
        )}
      </section>
    </div>
  );
}

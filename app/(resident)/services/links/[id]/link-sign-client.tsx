"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import { Notice } from "@/app/_components/ui/notice";
import { CardSignPanel } from "../../_lib/card-sign-panel";

/**
 * Approve a link request that asks for a signature: CardSignPanel signs the exact consent bytes
 * (the signing PIN typed in the card agent), the page posts the CMS to the request's sign route
 * and goes back to /services/links, which then lists the link.
 */
export function LinkSignClient({ id, canonical }: { id: string; canonical: string }) {
  const t = useTranslations("links");
  const [error, setError] = useState<string | null>(null);
  const post = async (signedData: string): Promise<string | null> => {
    const res = await fetch(`/services/links/${id}/sign`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ signedData }),
    });
    if (res.ok) {
      window.location.assign("/services/links");
      return null;
    }
    const json = (await res.json().catch(() => ({}))) as { error?: { code?: string } };
    const code = json.error?.code ?? "INTERNAL";
    setError(code);
    return code;
  };
  return (
    <div className="space-y-4">
      <CardSignPanel canonical={canonical} onSigned={(signed) => post(signed.cms)} />
      {error ? (
        <Notice tone="error" title={t("signErrorTitle")} role="alert" data-error-code={error}>
          <p>{t.has(`errors.${error}`) ? t(`errors.${error}`) : t("decideError", { code: error })}</p>
        </Notice>
      ) : null}
    </div>
  );
}

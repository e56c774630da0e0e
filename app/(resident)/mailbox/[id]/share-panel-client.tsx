"use client";

import { useActionState, useEffect, useState } from "react";
import { Button } from "@/app/_components/ui/button";
import { Input } from "@/app/_components/ui/input";
import { Label } from "@/app/_components/ui/label";
import { encodeVerifyQr, type TVerifyQr } from "@/lib/mailbox/verify-qr";
import type { TActionState } from "@/app/_server/action-state";
import { shareDocumentAction } from "../actions";

export type TSharePanelLabels = {
  partnerLabel: string;
  partnerNone: string;
  withPartner: string;
  link: string;
  linkCreated: string;
  linkLabel: string;
  partnerDone: string;
  error: string;
  qrTitle: string;
  qrBody: string;
  qrAlt: string;
  qrVerifyLink: string;
};

/** What the verification QR names besides the link: the document, its signed digest and signer. */
export type TVerifyFacts = Omit<TVerifyQr, "l">;

/**
 * The share forms of a document. A client leaf only to show the one-time link that the action
 * returns once (it is never stored in the clear, so it cannot be shown again).
 */
export function SharePanelClient({
  documentId,
  partners,
  labels,
  verify,
}: {
  documentId: string;
  partners: { id: string; name: string }[];
  labels: TSharePanelLabels;
  /** The verify page's origin and the document's facts; null when the signer is unknown (no QR). */
  verify: { origin: string; facts: TVerifyFacts } | null;
}) {
  const [state, action, pending] = useActionState<TActionState, FormData>(shareDocumentAction, { ok: false });
  const verifyUrl =
    state.ok && state.url && verify ? encodeVerifyQr(verify.origin, { ...verify.facts, l: state.url }) : null;
  const [qr, setQr] = useState<string | null>(null);
  useEffect(() => {
    setQr(null);
    if (!verifyUrl) return;
    let live = true;
    void import("qrcode").then(async ({ default: QRCode }) => {
      const svg = await QRCode.toString(verifyUrl, { type: "svg", margin: 2, errorCorrectionLevel: "M" });
      if (live) setQr(`data:image/svg+xml;utf8,${encodeURIComponent(svg)}`);
    });
    return () => {
      live = false;
    };
  }, [verifyUrl]);
  return (
    <div className="space-y-4">
      {partners.length > 0 ? (
        <form action={action} className="flex flex-wrap items-end gap-4">
          <input type="hidden" name="documentId" value={documentId} />
          <input type="hidden" name="target" value="partner" />
          <div className="space-y-2">
            <Label htmlFor="share-partner">{labels.partnerLabel}</Label>
            <select
              id="share-partner"
              name="partnerId"
              className="h-14 rounded-8 border border-line-strong bg-white px-4 text-std-16N-170 text-ink"
            >
              {partners.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
          </div>
          <Button type="submit" aria-disabled={pending || undefined}>
            {labels.withPartner}
          </Button>
        </form>
      ) : (
        <p className="text-std-16N-170 text-ink-muted">{labels.partnerNone}</p>
      )}
      <form action={action}>
        <input type="hidden" name="documentId" value={documentId} />
        <input type="hidden" name="target" value="link" />
        <Button type="submit" variant="outline" aria-disabled={pending || undefined}>
          {labels.link}
        </Button>
      </form>
      <div aria-live="polite" data-testid="share-result">
        {state.ok && state.url ? (
          <div className="space-y-2 rounded-12 border border-line bg-white p-4">
            <p>{labels.linkCreated}</p>
            <Label htmlFor="share-link-url">{labels.linkLabel}</Label>
            <Input id="share-link-url" readOnly value={state.url} data-testid="share-link-url" />
            {verifyUrl ? (
              <div className="space-y-2 pt-2" data-testid="share-verify-qr">
                <h3 className="text-std-17B-170">{labels.qrTitle}</h3>
                <p className="text-std-16N-170">{labels.qrBody}</p>
                {qr ? (
                  // biome-ignore lint/performance/noImgElement: a data: URL of a generated SVG, nothing for next/image to optimise.
                  <img
                    src={qr}
                    alt={labels.qrAlt}
                    width={260}
                    height={260}
                    className="rounded-8 border border-line bg-white"
                  />
                ) : null}
                <p>
                  <a
                    href={verifyUrl}
                    className="text-primary underline hover:decoration-2"
                    data-testid="share-verify-link"
                  >
                    {labels.qrVerifyLink}
                  </a>
                </p>
              </div>
            ) : null}
          </div>
        ) : state.ok ? (
          <p>{labels.partnerDone}</p>
        ) : state.code ? (
          <p role="alert" className="text-error">
            {labels.error.replace("{code}", state.code)}
          </p>
        ) : null}
      </div>
    </div>
  );
}

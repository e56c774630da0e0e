"use client";

import { useActionState } from "react";
import { Button } from "@/app/_components/ui/button";
import { Input } from "@/app/_components/ui/input";
import { Label } from "@/app/_components/ui/label";
import { shareDocumentAction, type TShareActionState } from "../actions";

export type TSharePanelLabels = {
  partnerLabel: string;
  partnerNone: string;
  withPartner: string;
  link: string;
  linkCreated: string;
  linkLabel: string;
  partnerDone: string;
  error: string;
};

/**
 * The share forms of a document. A client leaf only to show the one-time link that the action
 * returns once (it is never stored in the clear, so it cannot be shown again).
 */
export function SharePanelClient({
  documentId,
  partners,
  labels,
}: {
  documentId: string;
  partners: { id: string; name: string }[];
  labels: TSharePanelLabels;
}) {
  const [state, action, pending] = useActionState<TShareActionState, FormData>(shareDocumentAction, { ok: false });
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

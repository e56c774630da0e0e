"use client";

import { useActionState } from "react";
import { Button } from "@/app/_components/ui/button";
import { Card } from "@/app/_components/ui/card";
import { LinkButton } from "@/app/_components/ui/link-button";
import type { TActionState } from "@/app/_server/action-state";
import { decideLinkRequestAction } from "./actions";

export type TPendingRequestView = {
  id: string;
  partnerName: string;
  purposeText: string;
  /** The purposes in plain words. */
  allows: string[];
  partnerRef: string;
  expires: string;
  heading: string;
  approveLabel: string;
  refuseLabel: string;
  /** Approval only by signing with the card, on /services/links/{id}. */
  signatureRequired: boolean;
};

export type TPendingLabels = {
  purpose: string;
  allows: string;
  reference: string;
  expires: string;
  note: string;
  approve: string;
  /** The link to the signing page, for a request that asks for a signature. */
  signApprove: string;
  refuse: string;
  approved: string;
  refused: string;
  /** Known codes → sentence; others fall back to `error` with "{code}". */
  errors: Record<string, string>;
  error: string;
};

/**
 * The pending link requests, each with what approving allows, and Approve / Refuse (one server
 * action; the pressed button says which). The outcome is announced in a live region that stays
 * when the request leaves the list on revalidation.
 */
export function PendingRequestsClient({
  requests,
  labels,
}: {
  requests: TPendingRequestView[];
  labels: TPendingLabels;
}) {
  const [state, action, pending] = useActionState<TActionState, FormData>(decideLinkRequestAction, { ok: false });
  const message = state.ok
    ? state.message === "approve"
      ? labels.approved
      : labels.refused
    : state.code
      ? (labels.errors[state.code] ?? labels.error.replace("{code}", state.code))
      : "";
  return (
    <div className="space-y-4">
      <ul className="space-y-4" data-testid="link-requests">
        {requests.map((r) => (
          <li key={r.id}>
            <Card data-link-request-id={r.id} className="space-y-4">
              <h3 className="text-std-20B-150">
                <bdi>{r.heading}</bdi>
              </h3>
              <dl className="grid gap-x-6 gap-y-2 sm:grid-cols-[auto_1fr]">
                <dt className="font-bold">{labels.purpose}</dt>
                <dd>
                  <bdi>{r.purposeText}</bdi>
                </dd>
                <dt className="font-bold">{labels.allows}</dt>
                <dd>
                  <ul className="list-disc pl-6" data-testid="link-request-allows">
                    {r.allows.map((a) => (
                      <li key={a}>{a}</li>
                    ))}
                  </ul>
                </dd>
                <dt className="font-bold">{labels.reference}</dt>
                <dd className="font-mono">
                  <bdi>{r.partnerRef}</bdi>
                </dd>
                <dt className="font-bold">{labels.expires}</dt>
                <dd>{r.expires}</dd>
              </dl>
              <p className="text-std-16N-175">{labels.note}</p>
              <form action={action} className="flex flex-wrap gap-4">
                <input type="hidden" name="id" value={r.id} />
                {r.signatureRequired ? (
                  <LinkButton href={`/services/links/${r.id}`} data-testid="link-request-sign">
                    {labels.signApprove}
                  </LinkButton>
                ) : (
                  <Button
                    type="submit"
                    name="decision"
                    value="approve"
                    aria-label={r.approveLabel}
                    aria-disabled={pending || undefined}
                    data-testid="link-request-approve"
                  >
                    {labels.approve}
                  </Button>
                )}
                <Button
                  type="submit"
                  name="decision"
                  value="refuse"
                  variant="outline"
                  aria-label={r.refuseLabel}
                  aria-disabled={pending || undefined}
                  data-testid="link-request-refuse"
                >
                  {labels.refuse}
                </Button>
              </form>
            </Card>
          </li>
        ))}
      </ul>
      <div aria-live="polite" role="status" data-testid="link-request-result">
        {state.at ? <p className={state.ok ? "text-success" : "text-error"}>{message}</p> : null}
      </div>
    </div>
  );
}

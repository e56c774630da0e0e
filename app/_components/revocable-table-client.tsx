"use client";

import { useActionState, useEffect, useRef, useState } from "react";
import { Button } from "@/app/_components/ui/button";
import { EmptyState } from "@/app/_components/ui/empty-state";
import { Table } from "@/app/_components/ui/table";
import type { TActionState } from "@/app/_server/action-state";

export type TRevocableRow = {
  id: string;
  /** Sent as `kind` with the id, so one action can revoke several kinds of consent. */
  kind: string;
  cells: string[];
  /** Accessible name of the row's revoke button ("Stop receiving from さくら生命"). */
  revokeLabel: string;
  /** What revoking means for this row, shown in the confirmation. */
  confirmText: string;
  /** False for rows that can no longer be revoked (already revoked or expired). */
  revocable: boolean;
};

export type TRevocableLabels = {
  revoke: string;
  confirmTitle: string;
  confirm: string;
  cancel: string;
  done: string;
  /** With "{code}". */
  error: string;
};

/**
 * A table of consents (partner links, shares, proxy grants) with a revoke button per row. Revoking
 * asks for confirmation in place (focus moves to the question), then posts the server action; the
 * outcome is announced in a live region that outlives the row, which disappears on revalidation.
 */
export function RevocableTableClient({
  caption,
  regionLabel,
  columns,
  rows,
  labels,
  action,
  testId,
  empty,
}: {
  caption: string;
  regionLabel: string;
  columns: string[];
  rows: TRevocableRow[];
  labels: TRevocableLabels;
  action: (prev: TActionState, formData: FormData) => Promise<TActionState>;
  testId: string;
  /** Shown instead of the table when there are no rows (also after the last one is revoked). */
  empty: { title: string; body: string };
}) {
  const [state, formAction, pending] = useActionState<TActionState, FormData>(action, { ok: false });
  const [confirming, setConfirming] = useState<string | null>(null);
  const questionRef = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (confirming) questionRef.current?.focus();
  }, [confirming]);
  useEffect(() => {
    if (state.at) setConfirming(null);
  }, [state.at]);
  return (
    <div className="space-y-3" data-testid={testId}>
      {rows.length === 0 ? (
        <EmptyState headingLevel={3} title={empty.title}>
          <p>{empty.body}</p>
        </EmptyState>
      ) : (
        <Table caption={caption} regionLabel={regionLabel}>
          <thead>
            <tr>
              {columns.map((c) => (
                <th key={c} scope="col">
                  {c}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.id} data-row-id={row.id}>
                {row.cells.map((cell, i) =>
                  i === 0 ? (
                    <th key={columns[i]} scope="row" className="font-normal">
                      {cell}
                    </th>
                  ) : (
                    <td key={columns[i]}>{cell}</td>
                  ),
                )}
                <td>
                  {!row.revocable ? null : confirming === row.id ? (
                    <form action={formAction} className="space-y-2" aria-label={labels.confirmTitle}>
                      <p ref={questionRef} tabIndex={-1} className="text-std-16B-170">
                        {labels.confirmTitle}
                      </p>
                      <p className="text-std-16N-170">{row.confirmText}</p>
                      <input type="hidden" name="id" value={row.id} />
                      <input type="hidden" name="kind" value={row.kind} />
                      <div className="flex flex-wrap gap-2">
                        <Button
                          type="submit"
                          size="sm"
                          aria-disabled={pending || undefined}
                          aria-label={`${labels.confirm}: ${row.revokeLabel}`}
                        >
                          {labels.confirm}
                        </Button>
                        <Button type="button" size="sm" variant="outline" onClick={() => setConfirming(null)}>
                          {labels.cancel}
                        </Button>
                      </div>
                    </form>
                  ) : (
                    <Button
                      type="button"
                      size="sm"
                      variant="outline"
                      aria-label={row.revokeLabel}
                      onClick={() => setConfirming(row.id)}
                    >
                      {labels.revoke}
                    </Button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
      <div aria-live="polite" role="status" data-testid={`${testId}-result`}>
        {state.at ? (
          state.ok ? (
            <p className="text-success">{labels.done}</p>
          ) : (
            <p className="text-error">{labels.error.replace("{code}", state.code ?? "INTERNAL")}</p>
          )
        ) : null}
      </div>
    </div>
  );
}

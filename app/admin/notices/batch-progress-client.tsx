"use client";

import { useTranslations } from "next-intl";
import { useActionState, useEffect, useRef, useState } from "react";
import { Button } from "@/app/_components/ui/button";
import type { TActionState } from "@/app/_server/action-state";
import type { TNoticeBatchDto } from "@/lib/bulk-notices/read-notice-batches";
import { decideNoticeBatchAction } from "./actions";

/** States the job may still change: the page keeps asking. */
const MOVING = new Set(["QUEUED", "RUNNING", "AWAITING_APPROVAL"]);
const POLL_MS = 1000;

/**
 * The progress of one bulk notice: a native <progress> (role progressbar, with its value, max
 * and a text value), the counts, and a polite live region that speaks when the status changes or
 * another quarter is done — not on every poll. Polls /admin/notices/progress while the job may
 * still move; approve / cancel / resume and the report download below it.
 */
export function BatchProgressClient({ initial }: { initial: TNoticeBatchDto }) {
  const t = useTranslations("adminNotices");
  const [batch, setBatch] = useState(initial);
  const [state, action, pending] = useActionState<TActionState, FormData>(decideNoticeBatchAction, { ok: false });
  const [announce, setAnnounce] = useState("");
  const spoken = useRef({ status: initial.status, quarter: Math.floor(initial.percent / 25) });

  // After a decision the state moved: fetch it at once (and the polling below resumes).
  const decidedAt = state.at;
  // biome-ignore lint/correctness/useExhaustiveDependencies: restart only for another batch or after a decision, not on every update.
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      try {
        const res = await fetch(`/admin/notices/progress?id=${initial.id}`, { cache: "no-store" });
        if (res.ok && !stopped) {
          const next = (await res.json()) as TNoticeBatchDto;
          setBatch(next);
          if (!MOVING.has(next.status)) return;
        }
      } catch {
        // A network blip: try again on the next tick.
      }
      if (!stopped) timer = setTimeout(tick, POLL_MS);
    };
    if (MOVING.has(batch.status) || decidedAt) timer = setTimeout(tick, decidedAt ? 0 : POLL_MS);
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }, [initial.id, decidedAt]);

  useEffect(() => {
    const quarter = Math.floor(batch.percent / 25);
    if (batch.status !== spoken.current.status || quarter !== spoken.current.quarter) {
      spoken.current = { status: batch.status, quarter };
      setAnnounce(
        t("progressLive", {
          status: t(`status.${batch.status}`),
          delivered: batch.delivered,
          refused: batch.refused,
          pending: batch.pending,
        }),
      );
    }
  }, [batch, t]);

  const done = batch.delivered + batch.refused;
  const progressText = t("progressText", { done, total: batch.total, percent: batch.percent });
  return (
    <div className="space-y-4" data-testid="notice-batch" data-status={batch.status} data-percent={batch.percent}>
      <p className="text-std-16B-170">
        {t("colStatus")}：<span data-testid="notice-status">{t(`status.${batch.status}`)}</span>
      </p>
      <div className="space-y-2">
        <p id="notice-progress-label" className="text-std-16N-170">
          {t("progressLabel")}
        </p>
        <progress
          className="h-4 w-full accent-primary"
          max={batch.total}
          value={done}
          aria-labelledby="notice-progress-label"
          aria-valuetext={progressText}
          data-testid="notice-progress"
        />
        <p data-testid="notice-progress-text">{progressText}</p>
      </div>
      <dl className="grid grid-cols-[auto_1fr] gap-x-6 gap-y-1">
        <dt>{t("delivered")}</dt>
        <dd data-testid="notice-delivered">{batch.delivered}</dd>
        <dt>{t("refused")}</dt>
        <dd data-testid="notice-refused">{batch.refused}</dd>
        <dt>{t("pending")}</dt>
        <dd data-testid="notice-pending">{batch.pending}</dd>
      </dl>
      <div role="status" aria-live="polite" className="sr-only" data-testid="notice-live">
        {announce}
      </div>
      {batch.status === "FAILED" ? (
        <p className="text-error">{t("failedBody", { code: batch.failureCode ?? "INTERNAL" })}</p>
      ) : null}
      <div className="flex flex-wrap gap-2">
        <a
          href={`/admin/notices/report?id=${batch.id}`}
          className="text-primary underline"
          download
          data-testid="notice-report"
        >
          {t("downloadReport")}
        </a>
      </div>
      <form action={action} className="flex flex-wrap gap-2">
        <input type="hidden" name="id" value={batch.id} />
        {batch.canApprove ? (
          <Button type="submit" name="decision" value="approve" aria-disabled={pending || undefined}>
            {t("approve")}
          </Button>
        ) : null}
        {batch.status === "FAILED" ? (
          <Button type="submit" name="decision" value="retry" aria-disabled={pending || undefined}>
            {t("retry")}
          </Button>
        ) : null}
        {(batch.status === "AWAITING_APPROVAL" || batch.status === "QUEUED") &&
        (batch.createdByMe || batch.canApprove) ? (
          <Button type="submit" variant="outline" name="decision" value="cancel" aria-disabled={pending || undefined}>
            {t("cancel")}
          </Button>
        ) : null}
      </form>
      <div role="status" aria-live="polite" data-testid="notice-decide-result">
        {state.at ? (
          state.ok ? (
            <p className="text-success">{t(`done.${state.subject ?? "approved"}`)}</p>
          ) : (
            <p className="text-error" data-error-code={state.code}>
              {t.has(`errors.${state.code}`)
                ? t(`errors.${state.code}`, { code: state.code ?? "", column: "" })
                : t("errors.GENERIC", { code: state.code ?? "INTERNAL" })}
            </p>
          )
        ) : null}
      </div>
    </div>
  );
}

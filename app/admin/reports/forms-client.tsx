"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { Button } from "@/app/_components/ui/button";
import { Input } from "@/app/_components/ui/input";
import { Label } from "@/app/_components/ui/label";
import type { TActionState } from "@/app/_server/action-state";
import { segmentClosureAction, triageReportAction } from "./actions";

function Result({ state, t }: { state: TActionState; t: ReturnType<typeof useTranslations> }) {
  return (
    <p role="status" aria-live="polite" data-result={state.at ? (state.ok ? state.subject : state.code) : undefined}>
      {state.at ? (
        state.ok ? (
          <span className="text-success">{t(`done.${state.subject ?? "triaged"}`)}</span>
        ) : (
          <span className="text-error" data-error-code={state.code}>
            {t.has(`errors.${state.code}`)
              ? t(`errors.${state.code}`)
              : t("errors.GENERIC", { code: state.code ?? "INTERNAL" })}
          </span>
        )
      ) : null}
    </p>
  );
}

/** Assign a report and move its status, with the note its reporter sees. */
export function TriageFormClient({
  reportId,
  status,
  nextStatuses,
  department,
  assigneeId,
  assignees,
  closable,
}: {
  reportId: string;
  status: string;
  nextStatuses: string[];
  department: string | null;
  assigneeId: string | null;
  assignees: { id: string; name: string; department: string }[];
  /** The road segment a confirmed road-damage report can close, if any. */
  closable: { segmentId: string; code: string } | null;
}) {
  const t = useTranslations("adminReports");
  const [state, action, pending] = useActionState<TActionState, FormData>(triageReportAction, { ok: false });
  const [closure, closeAction, closing] = useActionState<TActionState, FormData>(segmentClosureAction, { ok: false });
  const id = (k: string) => `${k}-${reportId}`;
  return (
    <div className="space-y-3">
      <form action={action} className="space-y-3" data-testid="triage-form">
        <input type="hidden" name="reportId" value={reportId} />
        <div className="space-y-1">
          <Label htmlFor={id("status")}>{t("nextStatus")}</Label>
          <select
            id={id("status")}
            name="status"
            defaultValue=""
            className="block rounded-6 border border-line-strong p-2"
          >
            <option value="">{t("keepStatus", { status: t(`statuses.${status}`) })}</option>
            {nextStatuses.map((s) => (
              <option key={s} value={s}>
                {t(`statuses.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="space-y-1">
          <Label htmlFor={id("note")}>{t("publicNote")}</Label>
          <textarea
            id={id("note")}
            name="publicNote"
            maxLength={1000}
            rows={2}
            className="block w-full rounded-6 border border-line-strong p-2"
          />
        </div>
        <div className="flex flex-wrap gap-4">
          <div className="space-y-1">
            <Label htmlFor={id("department")}>{t("department")}</Label>
            <Input id={id("department")} name="department" defaultValue={department ?? ""} maxLength={100} />
          </div>
          <div className="space-y-1">
            <Label htmlFor={id("assignee")}>{t("assignee")}</Label>
            <select
              id={id("assignee")}
              name="assigneeStaffId"
              defaultValue={assigneeId ?? ""}
              className="block rounded-6 border border-line-strong p-2"
            >
              <option value="">{t("unassigned")}</option>
              {assignees.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.name}（{a.department}）
                </option>
              ))}
            </select>
          </div>
        </div>
        <Button type="submit" size="sm" aria-disabled={pending || undefined}>
          {t("save")}
        </Button>
        <Result state={state} t={t} />
      </form>
      {closable ? (
        <form action={closeAction} data-testid="close-segment-form">
          <input type="hidden" name="segmentId" value={closable.segmentId} />
          <input type="hidden" name="reportId" value={reportId} />
          <input type="hidden" name="closed" value="true" />
          <input type="hidden" name="reason" value={t("closedFromReport")} />
          <Button type="submit" size="sm" variant="outline" aria-disabled={closing || undefined}>
            {t("closeSegment", { code: closable.code })}
          </Button>
          <Result state={closure} t={t} />
        </form>
      ) : null}
    </div>
  );
}

/** Close a segment by hand (with a reason) or reopen it. */
export function SegmentClosureFormClient({ segmentId, closed }: { segmentId: string; closed: boolean }) {
  const t = useTranslations("adminReports");
  const [state, action, pending] = useActionState<TActionState, FormData>(segmentClosureAction, { ok: false });
  return (
    <form action={action} className="flex flex-wrap items-end gap-2" data-testid="segment-closure">
      <input type="hidden" name="segmentId" value={segmentId} />
      <input type="hidden" name="closed" value={closed ? "false" : "true"} />
      {closed ? null : (
        <div className="space-y-1">
          <Label htmlFor={`reason-${segmentId}`}>{t("closeReason")}</Label>
          <Input id={`reason-${segmentId}`} name="reason" maxLength={500} />
        </div>
      )}
      <Button type="submit" size="sm" variant="outline" aria-disabled={pending || undefined}>
        {closed ? t("reopen") : t("close")}
      </Button>
      <Result state={state} t={t} />
    </form>
  );
}

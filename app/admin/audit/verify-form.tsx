"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { Button } from "@/app/_components/ui/button";
import type { TActionState } from "@/app/_server/action-state";
import { verifyAuditChainAction } from "./actions";

/** The "verify" button of the audit viewer and the check's outcome (announced politely). */
export function VerifyForm() {
  const t = useTranslations("adminAudit");
  const [state, action, pending] = useActionState<TActionState, FormData>(verifyAuditChainAction, { ok: false });
  const r = state.report;
  return (
    <form action={action} className="space-y-3" data-testid="audit-verify-form">
      <p>{t("verifyLead")}</p>
      <Button type="submit" aria-disabled={pending || undefined} onClick={(e) => pending && e.preventDefault()}>
        {pending ? t("verifying") : t("verify")}
      </Button>
      <div aria-live="polite" data-testid="audit-verify-result">
        {state.at && !state.ok ? (
          <p role="alert" className="text-std-16B-170 text-error" data-error-code={state.code}>
            {t("error", { code: state.code ?? "INTERNAL" })}
          </p>
        ) : null}
        {state.ok && r ? (
          r.chainOk ? (
            <div className="space-y-1" data-result={Number(r.anchorProblems) === 0 ? "ok" : "anchor-problems"}>
              <p className="text-std-16B-170">
                {Number(r.anchorProblems) === 0
                  ? t("verifyOk")
                  : t("verifyAnchorProblems", { n: Number(r.anchorProblems) })}
              </p>
              <p>{t("verifyCount", { count: String(r.count) })}</p>
              <p>
                {t("verifyHead")} <code className="break-all">{String(r.headHash)}</code>
              </p>
              <p>
                {t("verifyAnchors", {
                  n: Number(r.anchorsVerified),
                  seq: r.anchorsLatestSeq === null ? t("none") : String(r.anchorsLatestSeq),
                })}
              </p>
              {r.anchorProblemList ? (
                <p className="text-error">
                  {t("verifyAnchorLines")} <code>{String(r.anchorProblemList)}</code>
                </p>
              ) : null}
            </div>
          ) : (
            <div className="space-y-1 text-error" data-result="broken" data-broken-seq={String(r.brokenSeq)}>
              <p className="text-std-16B-170">{t("verifyBroken", { seq: String(r.brokenSeq) })}</p>
              <p>{t(`reason.${String(r.reason)}`)}</p>
              <p>{t("verifyBrokenCount", { count: String(r.count) })}</p>
            </div>
          )
        ) : null}
      </div>
    </form>
  );
}

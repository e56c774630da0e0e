"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { Button } from "@/app/_components/ui/button";
import { Label } from "@/app/_components/ui/label";
import { SupportText } from "@/app/_components/ui/support-text";
import type { TActionState } from "@/app/_server/action-state";
import { changeOrderAction, issueOrderAction } from "./actions";

const HAZARDS = ["FLOOD", "LANDSLIDE", "TSUNAMI", "STORM_SURGE", "EARTHQUAKE", "FIRE"] as const;
const LEVELS = [1, 2, 3, 4, 5] as const;
const field = "block w-full rounded-6 border border-line-strong p-2";

function Result({ state, testId }: { state: TActionState; testId: string }) {
  const t = useTranslations("adminDisaster");
  return (
    <div
      role="status"
      aria-live="polite"
      data-testid={testId}
      data-result={state.at ? (state.ok ? state.subject : state.code) : undefined}
    >
      {state.at ? (
        state.ok ? (
          <p className="text-success">{t(`done.${state.subject ?? "issued"}`, { count: state.message ?? "0" })}</p>
        ) : (
          <p className="text-error" data-error-code={state.code}>
            {t.has(`errors.${state.code}`)
              ? t(`errors.${state.code}`)
              : t("errors.GENERIC", { code: state.code ?? "INTERNAL" })}
          </p>
        )
      ) : null}
    </div>
  );
}

/** Issue an order: district, hazard, level 1–5, the message (ja, optional en), escalation minutes. */
export function IssueOrderFormClient({
  districts,
  hazardLabels,
  levelLabels,
}: {
  districts: { code: string; label: string }[];
  hazardLabels: Record<string, string>;
  levelLabels: Record<number, string>;
}) {
  const t = useTranslations("adminDisaster");
  const [state, action, pending] = useActionState<TActionState, FormData>(issueOrderAction, { ok: false });
  return (
    <form action={action} className="grid gap-4 sm:grid-cols-2" data-testid="issue-order">
      <div className="space-y-2">
        <Label htmlFor="order-district">{t("district")}</Label>
        <select id="order-district" name="district" required className={field}>
          {districts.map((d) => (
            <option key={d.code} value={d.code}>
              {d.label}
            </option>
          ))}
        </select>
      </div>
      <div className="space-y-2">
        <Label htmlFor="order-hazard">{t("hazard")}</Label>
        <select id="order-hazard" name="hazard" required className={field}>
          {HAZARDS.map((h) => (
            <option key={h} value={h}>
              {hazardLabels[h]}
            </option>
          ))}
        </select>
      </div>
      <div className="space-y-2">
        <Label htmlFor="order-level">{t("level")}</Label>
        <select id="order-level" name="level" required defaultValue="4" className={field}>
          {LEVELS.map((l) => (
            <option key={l} value={l}>
              {levelLabels[l]}
            </option>
          ))}
        </select>
      </div>
      <div className="space-y-2">
        <Label htmlFor="order-escalate">{t("escalateAfter")}</Label>
        <SupportText id="order-escalate-hint">{t("escalateAfterHint")}</SupportText>
        <input
          id="order-escalate"
          name="escalateAfterMinutes"
          type="number"
          min={1}
          max={1440}
          defaultValue={15}
          aria-describedby="order-escalate-hint"
          className={field}
        />
      </div>
      <div className="space-y-2 sm:col-span-2">
        <Label htmlFor="order-message">{t("message")}</Label>
        <textarea id="order-message" name="message" required maxLength={2000} rows={3} className={field} />
      </div>
      <div className="space-y-2 sm:col-span-2">
        <Label htmlFor="order-message-en">{t("messageEn")}</Label>
        <textarea id="order-message-en" name="messageEn" maxLength={2000} rows={2} className={field} />
      </div>
      <div className="space-y-3 sm:col-span-2">
        <Button type="submit" aria-disabled={pending || undefined} data-testid="issue-submit">
          {t("issue")}
        </Button>
        <Result state={state} testId="issue-result" />
      </div>
    </form>
  );
}

/** Raise / lower to another level, or lift, one active order. */
export function ChangeOrderFormClient({
  orderId,
  level,
  levelLabels,
  label,
}: {
  orderId: string;
  level: number;
  levelLabels: Record<number, string>;
  label: string;
}) {
  const t = useTranslations("adminDisaster");
  const [state, action, pending] = useActionState<TActionState, FormData>(changeOrderAction, { ok: false });
  const id = `level-${orderId}`;
  return (
    <form action={action} className="space-y-2" data-testid="change-order" aria-label={label}>
      <input type="hidden" name="orderId" value={orderId} />
      <div className="flex flex-wrap items-end gap-2">
        <div className="space-y-1">
          <Label htmlFor={id}>{t("newLevel")}</Label>
          <select id={id} name="level" defaultValue={String(level)} className={field}>
            {LEVELS.map((l) => (
              <option key={l} value={l}>
                {levelLabels[l]}
              </option>
            ))}
          </select>
        </div>
        <Button type="submit" size="sm" name="op" value="LEVEL" aria-disabled={pending || undefined}>
          {t("changeLevel")}
        </Button>
        <Button type="submit" size="sm" variant="outline" name="op" value="LIFT" aria-disabled={pending || undefined}>
          {t("lift")}
        </Button>
      </div>
      <Result state={state} testId="change-result" />
    </form>
  );
}

"use client";

import { useTranslations } from "next-intl";
import { useActionState, useEffect, useRef, useState } from "react";
import { createPortal } from "react-dom";
import { Button } from "@/app/_components/ui/button";
import { Notice } from "@/app/_components/ui/notice";
import { ActionError, CodeCheckboxGroup } from "../_lib/console-form-parts";
import type { TActionState } from "@/app/_server/action-state";
import { SecretOnce } from "../_lib/secret-once";
import { createCredentialAction, requestScopesAction, revokeCredentialAction, rotateCredentialAction } from "./actions";

function useSecretLabels() {
  const t = useTranslations("partnerCredentials");
  return {
    idLabel: t("clientId"),
    secretLabel: t("clientSecret"),
    title: t("secretTitle"),
    warning: t("secretWarning"),
    copyLabel: t("copy"),
    copiedLabel: t("copied"),
  };
}

function ErrorNotice({ state }: { state: TActionState }) {
  return <ActionError state={state} namespace="partnerCredentials" />;
}

/** Issue a credential: mode and scopes; the secret is shown once in the result. */
export function CreateCredentialForm({ approvedScopes }: { approvedScopes: string[] }) {
  const t = useTranslations("partnerCredentials");
  const labels = useSecretLabels();
  const [state, action, pending] = useActionState<TActionState, FormData>(createCredentialAction, { ok: false });
  return (
    <div className="space-y-4">
      {state.ok && state.secret ? <SecretOnce {...labels} id={state.secret.id} secret={state.secret.value} /> : null}
      <ErrorNotice state={state} />
      <form action={action} className="space-y-6" data-testid="create-credential-form">
        <fieldset className="space-y-2">
          <legend className="text-std-17B-170">{t("mode")}</legend>
          <p className="text-std-16N-170" id="mode-hint">
            {t("modeHint")}
          </p>
          <div className="flex flex-wrap gap-6">
            {(["TEST", "LIVE"] as const).map((m) => (
              <label key={m} className="flex items-center gap-2 text-std-16N-170">
                <input type="radio" name="mode" value={m} defaultChecked={m === "TEST"} className="size-6" />
                {t(`mode${m}`)}
              </label>
            ))}
          </div>
        </fieldset>
        <CodeCheckboxGroup legend={t("scopes")} hint={t("scopesHint")} name="scopes" values={approvedScopes} />
        <Button type="submit" aria-disabled={pending || undefined}>
          {t("create")}
        </Button>
      </form>
    </div>
  );
}

/** Where a rotation's new secret is shown: above the credentials table, at the table's full width. */
export const ROTATED_SECRET_SLOT_ID = "rotated-secret";

/**
 * Rotate and revoke buttons of one row, each asking for confirmation in place. The new secret of a
 * rotation is rendered (through a portal, so this row keeps its state) into the slot above the
 * table rather than into the narrow actions cell, and takes the focus.
 */
export function CredentialRowActions({
  id,
  clientId,
  rotatable,
  revocable,
}: {
  id: string;
  clientId: string;
  rotatable: boolean;
  revocable: boolean;
}) {
  const t = useTranslations("partnerCredentials");
  const labels = useSecretLabels();
  const [open, setOpen] = useState<"rotate" | "revoke" | null>(null);
  const [rotateState, rotate, rotating] = useActionState<TActionState, FormData>(rotateCredentialAction, { ok: false });
  const [revokeState, revoke, revoking] = useActionState<TActionState, FormData>(revokeCredentialAction, { ok: false });
  const questionRef = useRef<HTMLParagraphElement>(null);
  const [secretSlot, setSecretSlot] = useState<HTMLElement | null>(null);
  useEffect(() => setSecretSlot(document.getElementById(ROTATED_SECRET_SLOT_ID)), []);
  useEffect(() => {
    if (open) questionRef.current?.focus();
  }, [open]);
  useEffect(() => {
    if (rotateState.at || revokeState.at) setOpen(null);
  }, [rotateState.at, revokeState.at]);
  return (
    <div className="space-y-2">
      {rotateState.ok && rotateState.secret && secretSlot
        ? createPortal(
            <SecretOnce {...labels} id={rotateState.secret.id} secret={rotateState.secret.value} focusOnShow />,
            secretSlot,
          )
        : null}
      <ErrorNotice
        state={rotateState.at && (!revokeState.at || rotateState.at > revokeState.at) ? rotateState : revokeState}
      />
      {open === "rotate" ? (
        <form action={rotate} className="space-y-2" aria-label={t("rotateTitle")}>
          <p ref={questionRef} tabIndex={-1} className="text-std-16B-170">
            {t("rotateTitle")}
          </p>
          <p className="text-std-16N-170">{t("rotateBody")}</p>
          <input type="hidden" name="id" value={id} />
          <label className="block text-std-16N-170">
            {t("grace")}{" "}
            <select name="grace" defaultValue="86400" className="rounded-6 border border-line-strong p-1">
              {["0", "3600", "86400", "604800"].map((g) => (
                <option key={g} value={g}>
                  {t(`grace${g}`)}
                </option>
              ))}
            </select>
          </label>
          <div className="flex flex-wrap gap-2">
            <Button type="submit" size="sm" aria-disabled={rotating || undefined}>
              {t("rotateConfirm")}
            </Button>
            <Button type="button" size="sm" variant="outline" onClick={() => setOpen(null)}>
              {t("cancel")}
            </Button>
          </div>
        </form>
      ) : open === "revoke" ? (
        <form action={revoke} className="space-y-2" aria-label={t("revokeTitle")}>
          <p ref={questionRef} tabIndex={-1} className="text-std-16B-170">
            {t("revokeTitle")}
          </p>
          <p className="text-std-16N-170">{t("revokeBody")}</p>
          <input type="hidden" name="id" value={id} />
          <div className="flex flex-wrap gap-2">
            <Button type="submit" size="sm" aria-disabled={revoking || undefined}>
              {t("revokeConfirm")}
            </Button>
            <Button type="button" size="sm" variant="outline" onClick={() => setOpen(null)}>
              {t("cancel")}
            </Button>
          </div>
        </form>
      ) : (
        <div className="flex flex-wrap gap-2">
          {rotatable ? (
            <Button
              size="sm"
              variant="outline"
              aria-label={t("rotateLabel", { clientId })}
              onClick={() => setOpen("rotate")}
            >
              {t("rotate")}
            </Button>
          ) : null}
          {revocable ? (
            <Button
              size="sm"
              variant="outline"
              aria-label={t("revokeLabel", { clientId })}
              onClick={() => setOpen("revoke")}
            >
              {t("revoke")}
            </Button>
          ) : null}
        </div>
      )}
    </div>
  );
}

/** Ask municipal staff for scopes the partner does not hold yet. */
export function ScopeRequestForm({ requestable }: { requestable: string[] }) {
  const t = useTranslations("partnerCredentials");
  const [state, action, pending] = useActionState<TActionState, FormData>(requestScopesAction, { ok: false });
  if (requestable.length === 0) return <p className="text-std-16N-170">{t("requestAllApproved")}</p>;
  return (
    <div className="space-y-4">
      {state.ok ? (
        <Notice tone="success" title={t("requestDone")} role="status" data-testid="scope-request-done" />
      ) : null}
      <ErrorNotice state={state} />
      <form action={action} className="space-y-6" data-testid="scope-request-form">
        <CodeCheckboxGroup legend={t("requestScopes")} name="scopes" values={requestable} />
        <div className="space-y-2">
          <label htmlFor="scope-reason" className="block text-std-17B-170">
            {t("requestReason")}
          </label>
          <p id="scope-reason-hint" className="text-std-16N-170">
            {t("requestReasonHint")}
          </p>
          <textarea
            id="scope-reason"
            name="reason"
            required
            maxLength={1000}
            rows={3}
            aria-describedby="scope-reason-hint"
            className="w-full rounded-8 border border-line-strong p-3 text-std-16N-170"
          />
        </div>
        <Button type="submit" aria-disabled={pending || undefined}>
          {t("requestSubmit")}
        </Button>
      </form>
    </div>
  );
}

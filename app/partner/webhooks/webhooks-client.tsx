"use client";

import { useTranslations } from "next-intl";
import { useActionState, useEffect, useRef, useState } from "react";
import { Button } from "@/app/_components/ui/button";
import { Input } from "@/app/_components/ui/input";
import { Label } from "@/app/_components/ui/label";
import { ActionError, CodeCheckboxGroup } from "../_lib/console-form-parts";
import type { TActionState } from "@/app/_server/action-state";
import { SecretOnce } from "../_lib/secret-once";
import { createEndpointAction, disableEndpointAction, replayDeliveryAction } from "./actions";

function ErrorText({ state }: { state: TActionState }) {
  return <ActionError state={state} namespace="partnerWebhooks" />;
}

/** Register an endpoint; its signing secret is shown once. */
export function CreateEndpointForm({ eventTypes }: { eventTypes: string[] }) {
  const t = useTranslations("partnerWebhooks");
  const [state, action, pending] = useActionState<TActionState, FormData>(createEndpointAction, { ok: false });
  return (
    <div className="space-y-4">
      {state.ok && state.secret ? (
        <SecretOnce
          idLabel={t("endpointId")}
          id={state.secret.id}
          secretLabel={t("secret")}
          secret={state.secret.value}
          title={t("secretTitle")}
          warning={t("secretWarning")}
          copyLabel={t("copy")}
          copiedLabel={t("copied")}
        />
      ) : null}
      <ErrorText state={state} />
      <form action={action} className="space-y-6" data-testid="create-endpoint-form">
        <div className="space-y-2">
          <Label htmlFor="webhook-url">{t("url")}</Label>
          <p id="webhook-url-hint" className="text-std-16N-170">
            {t("urlHint")}
          </p>
          <Input id="webhook-url" name="url" type="url" required aria-describedby="webhook-url-hint" />
        </div>
        <div className="space-y-2">
          <Label htmlFor="webhook-description">{t("description")}</Label>
          <Input id="webhook-description" name="description" maxLength={200} />
        </div>
        <fieldset className="space-y-2">
          <legend className="text-std-17B-170">{t("mode")}</legend>
          <p className="text-std-16N-170">{t("modeHint")}</p>
          <ul className="flex flex-wrap gap-6">
            {(["TEST", "LIVE"] as const).map((m) => (
              <li key={m}>
                <label className="flex items-center gap-2 text-std-16N-170">
                  <input type="radio" name="mode" value={m} defaultChecked={m === "TEST"} className="size-6" />
                  {t(`mode_${m}`)}
                </label>
              </li>
            ))}
          </ul>
        </fieldset>
        <CodeCheckboxGroup
          legend={t("eventTypes")}
          hint={t("eventTypesHint")}
          name="eventTypes"
          values={eventTypes}
          listClassName="flex flex-wrap gap-6"
        />
        <Button type="submit" aria-disabled={pending || undefined}>
          {t("create")}
        </Button>
      </form>
    </div>
  );
}

/** Disable an endpoint after confirming in place. */
export function DisableEndpointButton({ endpointId, url }: { endpointId: string; url: string }) {
  const t = useTranslations("partnerWebhooks");
  const [open, setOpen] = useState(false);
  const [state, action, pending] = useActionState<TActionState, FormData>(disableEndpointAction, { ok: false });
  const ref = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (open) ref.current?.focus();
  }, [open]);
  useEffect(() => {
    if (state.at) setOpen(false);
  }, [state.at]);
  return (
    <div className="space-y-2">
      <ErrorText state={state} />
      {open ? (
        <form action={action} className="space-y-2" aria-label={t("disableTitle")}>
          <p ref={ref} tabIndex={-1} className="text-std-16B-170">
            {t("disableTitle")}
          </p>
          <p className="text-std-16N-170">{t("disableBody")}</p>
          <input type="hidden" name="endpointId" value={endpointId} />
          <div className="flex flex-wrap gap-2">
            <Button type="submit" size="sm" aria-disabled={pending || undefined}>
              {t("disableConfirm")}
            </Button>
            <Button type="button" size="sm" variant="outline" onClick={() => setOpen(false)}>
              {t("cancel")}
            </Button>
          </div>
        </form>
      ) : (
        <Button size="sm" variant="outline" aria-label={t("disableLabel", { url })} onClick={() => setOpen(true)}>
          {t("disable")}
        </Button>
      )}
    </div>
  );
}

/** Replay one dead-lettered delivery now; the outcome is announced. */
export function ReplayButton({ endpointId, deliveryId }: { endpointId: string; deliveryId: string }) {
  const t = useTranslations("partnerWebhooks");
  const [state, action, pending] = useActionState<TActionState, FormData>(replayDeliveryAction, { ok: false });
  return (
    <form action={action} className="space-y-1">
      <input type="hidden" name="endpointId" value={endpointId} />
      <input type="hidden" name="deliveryId" value={deliveryId} />
      <Button
        type="submit"
        size="sm"
        aria-label={t("replayLabel", { id: deliveryId })}
        aria-disabled={pending || undefined}
      >
        {t("replay")}
      </Button>
      <ErrorText state={state} />
      <p role="status" className="text-std-16N-170">
        {state.ok && state.subject ? t("replayed", { status: t(`st_${state.subject}` as "st_dead") }) : ""}
      </p>
    </form>
  );
}

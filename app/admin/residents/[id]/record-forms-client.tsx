"use client";

import { useTranslations } from "next-intl";
import { useActionState, useState } from "react";
import { Button } from "@/app/_components/ui/button";
import { Input } from "@/app/_components/ui/input";
import { Label } from "@/app/_components/ui/label";
import { SupportText } from "@/app/_components/ui/support-text";
import type { TActionState } from "@/app/_server/action-state";
import { ActionResult } from "../_lib/action-result";
import { cardIssueAction, pinUnlockAction, protectionAction, registryEventAction } from "../actions";

const EVENT_KINDS = ["move_out", "death", "change_name", "card_lost", "card_revoked", "birth"] as const;
const SUPERVISOR_EVENTS: readonly string[] = ["death", "card_revoked"];
const PROTECTION_KINDS = ["DOMESTIC_VIOLENCE", "STALKING", "CHILD_ABUSE", "ELDER_ABUSE", "OTHER"] as const;
const IDENTITY_DOCUMENTS = [
  "MY_NUMBER_CARD_PHOTO",
  "DRIVERS_LICENSE",
  "PASSPORT",
  "RESIDENCE_CARD",
  "DISABILITY_CERTIFICATE",
  "TWO_DOCUMENTS_WITHOUT_PHOTO",
] as const;
const SELECT = "block w-full rounded-8 border border-solid-gray-600 p-3";

function TextField({
  id,
  name,
  label,
  defaultValue,
  type = "text",
  maxLength = 40,
}: {
  id: string;
  name: string;
  label: string;
  defaultValue?: string;
  type?: string;
  maxLength?: number;
}) {
  return (
    <div className="space-y-2">
      <Label htmlFor={id}>{label}</Label>
      <Input id={id} name={name} type={type} required maxLength={maxLength} defaultValue={defaultValue} />
    </div>
  );
}

/**
 * Registry events on the record: the kind chooses the fields. A death is offered to supervisors
 * only (lib refuses it to others anyway). Every event needs a reason, kept in the audit trail.
 */
export function RegistryEventFormClient({
  residentId,
  canDeath,
  current,
}: {
  residentId: string;
  canDeath: boolean;
  current: { familyName: string; givenName: string; familyNameKana: string; givenNameKana: string };
}) {
  const t = useTranslations("adminResidents");
  const [state, action, pending] = useActionState<TActionState, FormData>(registryEventAction, { ok: false });
  const [kind, setKind] = useState<(typeof EVENT_KINDS)[number]>("move_out");
  const kinds = EVENT_KINDS.filter((k) => !SUPERVISOR_EVENTS.includes(k) || canDeath);
  return (
    <form action={action} className="space-y-4" data-testid="registry-event-form">
      <input type="hidden" name="residentId" value={residentId} />
      <div className="space-y-2">
        <Label htmlFor="event-kind">{t("eventKind")}</Label>
        <select
          id="event-kind"
          name="kind"
          value={kind}
          onChange={(e) => setKind(e.target.value as (typeof EVENT_KINDS)[number])}
          className={SELECT}
        >
          {kinds.map((k) => (
            <option key={k} value={k}>
              {t(`eventKinds.${k}`)}
            </option>
          ))}
        </select>
        <SupportText>{t(`eventHints.${kind}`)}</SupportText>
      </div>
      {kind === "move_out" || kind === "death" ? (
        <TextField id="event-date" name="date" type="date" label={t("eventDate")} maxLength={10} />
      ) : null}
      {kind === "change_name" ? (
        <div className="grid gap-4 md:grid-cols-2">
          <TextField id="new-family" name="familyName" label={t("familyName")} defaultValue={current.familyName} />
          <TextField id="new-given" name="givenName" label={t("givenName")} defaultValue={current.givenName} />
          <TextField
            id="new-family-kana"
            name="familyNameKana"
            label={t("familyNameKana")}
            defaultValue={current.familyNameKana}
          />
          <TextField
            id="new-given-kana"
            name="givenNameKana"
            label={t("givenNameKana")}
            defaultValue={current.givenNameKana}
          />
        </div>
      ) : null}
      {kind === "birth" ? (
        <div className="grid gap-4 md:grid-cols-2">
          <TextField
            id="child-family"
            name="child.familyName"
            label={t("familyName")}
            defaultValue={current.familyName}
          />
          <TextField id="child-given" name="child.givenName" label={t("givenName")} />
          <TextField
            id="child-family-kana"
            name="child.familyNameKana"
            label={t("familyNameKana")}
            defaultValue={current.familyNameKana}
          />
          <TextField id="child-given-kana" name="child.givenNameKana" label={t("givenNameKana")} />
          <TextField id="child-dob" name="child.dateOfBirth" type="date" label={t("dateOfBirth")} maxLength={10} />
          <div className="space-y-2">
            <Label htmlFor="child-gender">{t("gender")}</Label>
            <select id="child-gender" name="child.gender" className={SELECT}>
              {(["FEMALE", "MALE", "UNKNOWN"] as const).map((g) => (
                <option key={g} value={g}>
                  {t(`genders.${g}`)}
                </option>
              ))}
            </select>
          </div>
          <TextField
            id="child-relation"
            name="child.householdRelation"
            label={t("householdRelation")}
            defaultValue="子"
          />
        </div>
      ) : null}
      <div className="space-y-2">
        <Label htmlFor="event-reason">{t("reason")}</Label>
        <SupportText id="event-reason-hint">{t("reasonHint")}</SupportText>
        <textarea
          id="event-reason"
          name="reason"
          required
          maxLength={1000}
          rows={3}
          aria-describedby="event-reason-hint"
          className="block w-full rounded-6 border border-line-strong p-2"
        />
      </div>
      <Button type="submit" aria-disabled={pending || undefined} data-testid="registry-event-submit">
        {t("recordEvent")}
      </Button>
      <ActionResult state={state} testId="registry-event-result" />
    </form>
  );
}

/** Set a protection (any registry role) or lift it (supervisor or administrator only). */
export function ProtectionFormClient({
  residentId,
  protectedNow,
  canLift,
}: {
  residentId: string;
  protectedNow: boolean;
  canLift: boolean;
}) {
  const t = useTranslations("adminResidents");
  const [state, action, pending] = useActionState<TActionState, FormData>(protectionAction, { ok: false });
  if (protectedNow && !canLift) {
    return <p data-testid="protection-lift-supervisor">{t("liftSupervisorOnly")}</p>;
  }
  return (
    <form action={action} className="space-y-4" data-testid="protection-form">
      <input type="hidden" name="residentId" value={residentId} />
      <input type="hidden" name="op" value={protectedNow ? "lift" : "set"} />
      {protectedNow ? null : (
        <div className="space-y-2">
          <Label htmlFor="protection-kind">{t("protectionKind")}</Label>
          <select id="protection-kind" name="kind" className={SELECT}>
            {PROTECTION_KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`protectionKinds.${k}`)}
              </option>
            ))}
          </select>
        </div>
      )}
      <div className="space-y-2">
        <Label htmlFor="protection-reason">{t("reason")}</Label>
        <SupportText id="protection-reason-hint">{t("protectionReasonHint")}</SupportText>
        <textarea
          id="protection-reason"
          name="reason"
          required
          maxLength={1000}
          rows={3}
          aria-describedby="protection-reason-hint"
          className="block w-full rounded-6 border border-line-strong p-2"
        />
      </div>
      <Button
        type="submit"
        variant={protectedNow ? "outline" : "solid-fill"}
        aria-disabled={pending || undefined}
        data-testid="protection-submit"
      >
        {protectedNow ? t("liftProtection") : t("setProtection")}
      </Button>
      <ActionResult state={state} testId="protection-result" />
    </form>
  );
}

/**
 * 暗証番号のロック解除: which PIN and the identity document checked (audited). The PIN is never
 * asked for: J-LIS's counter terminal resets the try counter on the card at the counter.
 */
export function PinUnlockFormClient({ residentId }: { residentId: string }) {
  const t = useTranslations("adminResidents.pinUnlock");
  const [state, action, pending] = useActionState<TActionState, FormData>(pinUnlockAction, { ok: false });
  return (
    <form action={action} className="space-y-4" data-testid="pin-unlock-form">
      <input type="hidden" name="residentId" value={residentId} />
      <fieldset className="space-y-2">
        <legend className="text-std-16B-170">{t("slot")}</legend>
        {(["auth", "sign"] as const).map((slot) => (
          <div key={slot} className="flex items-center gap-2">
            <input
              type="radio"
              id={`pin-unlock-${slot}`}
              name="slot"
              value={slot}
              defaultChecked={slot === "auth"}
              data-testid={`pin-unlock-slot-${slot}`}
            />
            <label htmlFor={`pin-unlock-${slot}`}>{t(`slots.${slot}`)}</label>
          </div>
        ))}
      </fieldset>
      <IdentityCheckFields idPrefix="pin-unlock" noteHint={t("noteHint")} />
      <Button type="submit" aria-disabled={pending || undefined} data-testid="pin-unlock-submit">
        {t("submit")}
      </Button>
      <ActionResult state={state} testId="pin-unlock-result" />
    </form>
  );
}

/** The identity document checked at the counter (audited) and a note. */
function IdentityCheckFields({ idPrefix, noteHint }: { idPrefix: string; noteHint: string }) {
  const t = useTranslations("adminResidents.pinUnlock");
  return (
    <>
      <div className="space-y-2">
        <Label htmlFor={`${idPrefix}-document`}>{t("identityDocument")}</Label>
        <SupportText id={`${idPrefix}-document-hint`}>{t("identityHint")}</SupportText>
        <select
          id={`${idPrefix}-document`}
          name="identityDocument"
          required
          defaultValue=""
          aria-describedby={`${idPrefix}-document-hint`}
          className={SELECT}
          data-testid={`${idPrefix}-document`}
        >
          <option value="" disabled>
            —
          </option>
          {IDENTITY_DOCUMENTS.map((d) => (
            <option key={d} value={d}>
              {t(`identityDocuments.${d}`)}
            </option>
          ))}
        </select>
      </div>
      <div className="space-y-2">
        <Label htmlFor={`${idPrefix}-note`}>{t("note")}</Label>
        <SupportText id={`${idPrefix}-note-hint`}>{noteHint}</SupportText>
        <Input id={`${idPrefix}-note`} name="note" maxLength={200} aria-describedby={`${idPrefix}-note-hint`} />
      </div>
    </>
  );
}

/**
 * 交付 (supervisors and administrators): the identity document checked. No PIN field: the
 * counter terminal prints the initial PINs for the resident.
 */
export function CardIssueFormClient({ residentId }: { residentId: string }) {
  const t = useTranslations("adminResidents.cardIssue");
  const [state, action, pending] = useActionState<TActionState, FormData>(cardIssueAction, { ok: false });
  return (
    <form action={action} className="space-y-4" data-testid="card-issue-form">
      <input type="hidden" name="residentId" value={residentId} />
      <IdentityCheckFields idPrefix="card-issue" noteHint={t("noteHint")} />
      <Button type="submit" aria-disabled={pending || undefined} data-testid="card-issue-submit">
        {t("submit")}
      </Button>
      <ActionResult state={state} testId="card-issue-result" />
    </form>
  );
}

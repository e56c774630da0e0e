"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { Button } from "@/app/_components/ui/button";
import { Input } from "@/app/_components/ui/input";
import { Label } from "@/app/_components/ui/label";
import type { TActionState } from "@/app/_server/action-state";
import { ActionResult } from "../_lib/action-result";
import { moveInAction } from "../actions";

const SELECT = "block w-full rounded-8 border border-solid-gray-600 p-3";

/** The 転入届 form: the person's facts, the address in town, a reason for the audit trail. */
export function MoveInFormClient({ districts }: { districts: { code: string; name: string }[] }) {
  const t = useTranslations("adminResidents");
  const [state, action, pending] = useActionState<TActionState, FormData>(moveInAction, { ok: false });
  const fields: [string, string, string, number][] = [
    ["mi-family", "familyName", t("familyName"), 40],
    ["mi-given", "givenName", t("givenName"), 40],
    ["mi-family-kana", "familyNameKana", t("familyNameKana"), 40],
    ["mi-given-kana", "givenNameKana", t("givenNameKana"), 40],
    ["mi-relation", "householdRelation", t("householdRelation"), 40],
    ["mi-address", "address", t("address"), 200],
    ["mi-postal", "postalCode", t("postalCode"), 8],
  ];
  return (
    <form action={action} className="space-y-4" data-testid="move-in-form">
      <div className="grid gap-4 md:grid-cols-2">
        {fields.map(([id, name, label, max]) => (
          <div key={id} className="space-y-2">
            <Label htmlFor={id}>{label}</Label>
            <Input
              id={id}
              name={name}
              required
              maxLength={max}
              defaultValue={name === "householdRelation" ? "世帯主" : undefined}
            />
          </div>
        ))}
        <div className="space-y-2">
          <Label htmlFor="mi-dob">{t("dateOfBirth")}</Label>
          <Input id="mi-dob" name="dateOfBirth" type="date" required />
        </div>
        <div className="space-y-2">
          <Label htmlFor="mi-gender">{t("gender")}</Label>
          <select id="mi-gender" name="gender" className={SELECT}>
            {(["FEMALE", "MALE", "UNKNOWN"] as const).map((g) => (
              <option key={g} value={g}>
                {t(`genders.${g}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="space-y-2">
          <Label htmlFor="mi-district">{t("district")}</Label>
          <select id="mi-district" name="districtCode" required className={SELECT}>
            {districts.map((d) => (
              <option key={d.code} value={d.code}>
                {d.name}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div className="space-y-2">
        <Label htmlFor="mi-reason">{t("reason")}</Label>
        <textarea
          id="mi-reason"
          name="reason"
          required
          maxLength={1000}
          rows={3}
          className="block w-full rounded-6 border border-line-strong p-2"
        />
      </div>
      <Button type="submit" aria-disabled={pending || undefined} data-testid="move-in-submit">
        {t("moveIn.submit")}
      </Button>
      <ActionResult state={state} testId="move-in-result" />
      {state.ok && state.message ? (
        <p>
          <Link href={`/admin/residents/${state.message}`} className="underline">
            {t("moveIn.open")}
          </Link>
        </p>
      ) : null}
    </form>
  );
}

"use client";

import { useTranslations } from "next-intl";
import { useRef, useState } from "react";
import { Button } from "@/app/_components/ui/button";
import { ErrorSummary } from "@/app/_components/ui/error-summary";
import { Input } from "@/app/_components/ui/input";
import { Label } from "@/app/_components/ui/label";
import { SupportText } from "@/app/_components/ui/support-text";
import { CardSignPanel } from "../../_lib/card-sign-panel";

type TKind = "move" | "residence-certificate";
type TPrepared = { content: { form: Record<string, unknown> }; canonical: string };

export type TApplicationFormProps = {
  kind: TKind;
  /** A returned application being corrected. */
  applicationId?: string;
  household: { registryNumber: string; name: string; self: boolean }[];
  districts: { code: string; name: string }[];
  /** The form of the returned application, to start the correction from. */
  initial?: Record<string, unknown>;
  /** The town's part of the current address (徳島県一枚町), shown as the start of the new one. */
  townPrefix: string;
  /** The applicant's four facts in the registry, shown before the signing PIN. */
  facts: { name: string; address: string; dateOfBirth: string; gender: string };
};

/**
 * 転居届 / 住民票の写し: fill in → the content to sign (prepared by the server) is shown → signed
 * with the card (CardSignPanel) → submitted. Errors of the form step are listed in an error
 * summary that takes the focus (government form pattern).
 */
export function ApplicationFormClient(p: TApplicationFormProps) {
  const t = useTranslations("applications");
  const [prepared, setPrepared] = useState<TPrepared | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const summary = useRef<HTMLDivElement>(null);
  const initial = p.initial ?? {};
  const nameOf = (n: string) => p.household.find((h) => h.registryNumber === n)?.name ?? n;

  const prepare = async (data: FormData) => {
    setBusy(true);
    setError(null);
    const form =
      p.kind === "move"
        ? {
            newAddress: String(data.get("newAddress") ?? ""),
            postalCode: String(data.get("postalCode") ?? ""),
            districtCode: String(data.get("districtCode") ?? ""),
            moveDate: String(data.get("moveDate") ?? ""),
            movers: data.getAll("movers").map(String),
          }
        : {
            subject: String(data.get("subject") ?? ""),
            scope: data.get("scope") === "household" ? "household" : "self",
            copies: Number(data.get("copies") ?? "1"),
            purpose: String(data.get("purpose") ?? ""),
          };
    try {
      const res = await fetch("/services/applications/prepare", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ kind: p.kind, form, applicationId: p.applicationId }),
      });
      const body = (await res.json()) as TPrepared & { error?: { code?: string } };
      if (!res.ok) {
        setError(body.error?.code ?? "INTERNAL");
        requestAnimationFrame(() => summary.current?.querySelector("h2")?.focus());
        return;
      }
      setPrepared(body);
    } finally {
      setBusy(false);
    }
  };

  const submit = async (signed: { cms: string }): Promise<string | null> => {
    const res = await fetch("/services/applications/submit", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ signedData: signed.cms }),
    });
    const body = (await res.json()) as { id?: string; error?: { code?: string } };
    if (!res.ok || !body.id) return body.error?.code ?? "INTERNAL";
    window.location.assign(`/services/applications?submitted=${body.id}`);
    return null;
  };

  if (prepared) {
    const f = prepared.content.form;
    const rows: [string, string][] =
      p.kind === "move"
        ? [
            [t("newAddress"), String(f.newAddress)],
            [t("postalCode"), String(f.postalCode)],
            [t("district"), p.districts.find((d) => d.code === f.districtCode)?.name ?? String(f.districtCode)],
            [t("moveDate"), String(f.moveDate)],
            [t("movers"), (f.movers as string[]).map(nameOf).join("、")],
          ]
        : [
            [t("subject"), nameOf(String(f.subject))],
            [t("scope"), f.scope === "household" ? t("scopeHousehold") : t("scopeSelf")],
            [t("copies"), String(f.copies)],
            [t("purpose"), String(f.purpose)],
          ];
    return (
      <div className="space-y-6" data-testid="application-review">
        <h2 className="text-std-20B-150">{t("reviewTitle")}</h2>
        <p>{t("reviewBody")}</p>
        <dl className="grid grid-cols-[auto_1fr] gap-x-6 gap-y-2">
          {rows.map(([k, v]) => (
            <div key={k} className="contents">
              <dt className="text-std-16B-170">{k}</dt>
              <dd>
                <bdi>{v}</bdi>
              </dd>
            </div>
          ))}
        </dl>
        <details>
          <summary>{t("signedText")}</summary>
          <pre className="mt-2 overflow-x-auto whitespace-pre-wrap break-all rounded-6 bg-solid-gray-50 p-3 text-std-14N-170">
            {prepared.canonical}
          </pre>
        </details>
        <CardSignPanel canonical={prepared.canonical} onSigned={submit} expectedFacts={p.facts} />
        <Button variant="text" onClick={() => setPrepared(null)}>
          {t("edit")}
        </Button>
      </div>
    );
  }

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void prepare(new FormData(e.currentTarget));
      }}
      className="space-y-6"
      data-testid={`application-form-${p.kind}`}
      noValidate
    >
      {error ? (
        <div ref={summary}>
          <ErrorSummary
            title={t("errorTitle")}
            errors={[
              {
                href: "#application-first",
                message: t.has(`errors.${error}`) ? t(`errors.${error}`) : t("errors.GENERIC", { code: error }),
              },
            ]}
            data-error-code={error}
          />
        </div>
      ) : null}
      {p.kind === "move" ? (
        <>
          <div className="space-y-2">
            <Label htmlFor="application-first">{t("newAddress")}</Label>
            <SupportText id="new-address-hint">{t("newAddressHint", { town: p.townPrefix })}</SupportText>
            <Input
              id="application-first"
              name="newAddress"
              required
              maxLength={200}
              defaultValue={String(initial.newAddress ?? p.townPrefix)}
              aria-describedby="new-address-hint"
            />
          </div>
          <div className="space-y-2">
            <Label htmlFor="application-postal">{t("postalCode")}</Label>
            <SupportText id="postal-hint">{t("postalCodeHint")}</SupportText>
            <Input
              id="application-postal"
              name="postalCode"
              required
              inputMode="numeric"
              pattern="\d{3}-\d{4}"
              defaultValue={String(initial.postalCode ?? "")}
              aria-describedby="postal-hint"
            />
          </div>
          <div className="space-y-2">
            <Label htmlFor="application-district">{t("district")}</Label>
            <select
              id="application-district"
              name="districtCode"
              required
              defaultValue={String(initial.districtCode ?? "")}
              className="block w-full rounded-8 border border-solid-gray-600 p-3"
            >
              <option value="">{t("districtChoose")}</option>
              {p.districts.map((d) => (
                <option key={d.code} value={d.code}>
                  {d.name}
                </option>
              ))}
            </select>
          </div>
          <div className="space-y-2">
            <Label htmlFor="application-move-date">{t("moveDate")}</Label>
            <Input
              id="application-move-date"
              name="moveDate"
              type="date"
              required
              defaultValue={String(initial.moveDate ?? "")}
            />
          </div>
          <fieldset className="space-y-2">
            <legend className="text-std-16B-170">{t("movers")}</legend>
            <SupportText>{t("moversHint")}</SupportText>
            {p.household.map((h) => (
              <label key={h.registryNumber} className="flex items-center gap-2">
                <input
                  type="checkbox"
                  name="movers"
                  value={h.registryNumber}
                  defaultChecked={Array.isArray(initial.movers) ? initial.movers.includes(h.registryNumber) : h.self}
                  className="size-5"
                />
                <bdi>{h.name}</bdi>
                {h.self ? `（${t("you")}）` : null}
              </label>
            ))}
          </fieldset>
        </>
      ) : (
        <>
          <div className="space-y-2">
            <Label htmlFor="application-first">{t("subject")}</Label>
            <select
              id="application-first"
              name="subject"
              defaultValue={String(initial.subject ?? p.household.find((h) => h.self)?.registryNumber ?? "")}
              className="block w-full rounded-8 border border-solid-gray-600 p-3"
            >
              {p.household.map((h) => (
                <option key={h.registryNumber} value={h.registryNumber}>
                  {h.name}
                </option>
              ))}
            </select>
          </div>
          <fieldset className="space-y-2">
            <legend className="text-std-16B-170">{t("scope")}</legend>
            {(["self", "household"] as const).map((s) => (
              <label key={s} className="flex items-center gap-2">
                <input
                  type="radio"
                  name="scope"
                  value={s}
                  defaultChecked={(initial.scope ?? "self") === s}
                  className="size-5"
                />
                {s === "self" ? t("scopeSelf") : t("scopeHousehold")}
              </label>
            ))}
            <SupportText>{t("myNumberNote")}</SupportText>
          </fieldset>
          <div className="space-y-2">
            <Label htmlFor="application-copies">{t("copies")}</Label>
            <Input
              id="application-copies"
              name="copies"
              type="number"
              min={1}
              max={5}
              required
              defaultValue={String(initial.copies ?? 1)}
            />
          </div>
          <div className="space-y-2">
            <Label htmlFor="application-purpose">{t("purpose")}</Label>
            <SupportText id="purpose-hint">{t("purposeHint")}</SupportText>
            <Input
              id="application-purpose"
              name="purpose"
              required
              maxLength={200}
              defaultValue={String(initial.purpose ?? "")}
              aria-describedby="purpose-hint"
            />
          </div>
        </>
      )}
      <Button type="submit" aria-disabled={busy || undefined} data-testid="application-prepare">
        {t("next")}
      </Button>
    </form>
  );
}

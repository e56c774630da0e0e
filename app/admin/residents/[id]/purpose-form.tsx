import { getTranslations } from "next-intl/server";
import { Button } from "@/app/_components/ui/button";
import { ErrorText } from "@/app/_components/ui/error-text";
import { Input } from "@/app/_components/ui/input";
import { Label } from "@/app/_components/ui/label";
import { SupportText } from "@/app/_components/ui/support-text";
import { STAFF_PURPOSES } from "@/lib/services/residents/schemas";

/**
 * The purpose asked before a record opens: a GET form back to the record page, so the purpose
 * travels with this one view (the next view asks again). No client JS.
 */
export async function PurposeForm({
  residentId,
  error,
  initial,
}: {
  residentId: string;
  error?: string;
  initial: { purpose?: string; purposeText?: string };
}) {
  const t = await getTranslations("adminResidents");
  const describedBy = error ? "purpose-error purpose-hint" : "purpose-hint";
  return (
    <form method="get" action={`/admin/residents/${residentId}`} className="space-y-4" data-testid="purpose-form">
      {error ? (
        <ErrorText id="purpose-error" role="alert" data-error-code={error}>
          {t(`errors.${error}`)}
        </ErrorText>
      ) : null}
      <fieldset className="space-y-2" aria-describedby={describedBy}>
        <legend className="text-std-16B-170">{t("purpose")}</legend>
        <SupportText id="purpose-hint">{t("purposeHint")}</SupportText>
        {STAFF_PURPOSES.map((p) => (
          <div key={p} className="flex items-center gap-2">
            <input
              id={`purpose-${p}`}
              type="radio"
              name="purpose"
              value={p}
              required
              defaultChecked={initial.purpose === p}
              className="size-5"
            />
            <label htmlFor={`purpose-${p}`}>{t(`purposes.${p}`)}</label>
          </div>
        ))}
      </fieldset>
      <div className="space-y-2">
        <Label htmlFor="purpose-text">{t("purposeText")}</Label>
        <SupportText id="purpose-text-hint">{t("purposeTextHint")}</SupportText>
        <Input
          id="purpose-text"
          name="purposeText"
          maxLength={200}
          defaultValue={initial.purposeText ?? ""}
          aria-describedby="purpose-text-hint"
        />
      </div>
      <Button type="submit" data-testid="purpose-submit">
        {t("openRecord")}
      </Button>
    </form>
  );
}

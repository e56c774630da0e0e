"use client";

import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { type FormEvent, useState } from "react";
import { Button } from "@/app/_components/ui/button";
import { ErrorSummary, type TErrorSummaryItem } from "@/app/_components/ui/error-summary";
import { ErrorText } from "@/app/_components/ui/error-text";
import { Input } from "@/app/_components/ui/input";
import { Label } from "@/app/_components/ui/label";
import { SupportText } from "@/app/_components/ui/support-text";

const TEXTAREA =
  "block w-full rounded-8 border border-line-strong bg-white p-3 text-std-16N-170 aria-[invalid=true]:border-2 aria-[invalid=true]:border-error";

/**
 * The upload form (government pattern: label, support text, field, error text; a failed submit
 * shows a focused error summary). Posts multipart to /admin/notices/upload with fetch and goes to
 * the batch's progress; without JavaScript the same form posts and is redirected there.
 */
export function UploadFormClient({ threshold }: { threshold: number }) {
  const t = useTranslations("adminNotices");
  const router = useRouter();
  const [pending, setPending] = useState(false);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);

  const message = (code: string) =>
    t.has(`errors.${code}`) ? t(`errors.${code}`, { code, column: "{{…}}" }) : t("errors.GENERIC", { code });

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending) return;
    const form = new FormData(event.currentTarget);
    const missing: Record<string, string> = {};
    if (!String(form.get("title") ?? "").trim()) missing.title = t("fieldRequired", { field: t("fieldTitle") });
    if (!String(form.get("body") ?? "").trim()) missing.body = t("fieldRequired", { field: t("fieldBody") });
    const file = form.get("csv");
    if (!(file instanceof File) || file.size === 0) missing.csv = t("fileRequired");
    setFieldErrors(missing);
    setError(null);
    if (Object.keys(missing).length > 0) return;
    setPending(true);
    try {
      const res = await fetch("/admin/notices/upload", {
        method: "POST",
        body: form,
        headers: { accept: "application/json" },
      });
      const json = (await res.json().catch(() => ({}))) as {
        batchId?: string;
        existing?: boolean;
        error?: { code?: string };
      };
      if (!res.ok || !json.batchId) {
        const code = json.error?.code ?? "INTERNAL";
        // Errors about the file belong to the file field; the rest to the form.
        if (code.startsWith("NOTICE_CSV") || code === "NOTICE_TEMPLATE_VARIABLE_UNKNOWN") {
          setFieldErrors({ csv: message(code) });
        } else setError(code);
        return;
      }
      router.push(`/admin/notices?batch=${json.batchId}&${json.existing ? "existing" : "created"}=1`);
      router.refresh();
    } finally {
      setPending(false);
    }
  }

  const summary: TErrorSummaryItem[] = [
    ...Object.entries(fieldErrors).map(([field, m]) => ({ href: `#notice-${field}` as const, message: m })),
    ...(error ? [{ href: "#notice-title" as const, message: message(error) }] : []),
  ];
  const invalid = (f: string) => (fieldErrors[f] ? true : undefined);
  const describedBy = (f: string, hint?: string) =>
    [fieldErrors[f] ? `notice-${f}-error` : null, hint].filter(Boolean).join(" ") || undefined;

  return (
    <form
      method="post"
      action="/admin/notices/upload"
      encType="multipart/form-data"
      onSubmit={onSubmit}
      noValidate
      className="space-y-6"
      data-testid="notice-upload"
    >
      {summary.length > 0 ? <ErrorSummary title={t("errorSummary")} errors={summary} key={summary.length} /> : null}
      <SupportText id="notice-text-hint">{t("textHint", { column: "{{列名}}", name: "{{氏名}}" })}</SupportText>
      <div className="space-y-2">
        <Label htmlFor="notice-title" requirement={t("required")}>
          {t("fieldTitle")}
        </Label>
        {fieldErrors.title ? <ErrorText id="notice-title-error">{fieldErrors.title}</ErrorText> : null}
        <Input
          id="notice-title"
          name="title"
          maxLength={200}
          required
          aria-invalid={invalid("title")}
          aria-describedby={describedBy("title", "notice-text-hint")}
        />
      </div>
      <div className="space-y-2">
        <Label htmlFor="notice-body" requirement={t("required")}>
          {t("fieldBody")}
        </Label>
        {fieldErrors.body ? <ErrorText id="notice-body-error">{fieldErrors.body}</ErrorText> : null}
        <textarea
          id="notice-body"
          name="body"
          rows={6}
          maxLength={10000}
          required
          className={TEXTAREA}
          aria-invalid={invalid("body")}
          aria-describedby={describedBy("body", "notice-text-hint")}
        />
      </div>
      <div className="space-y-2">
        <Label htmlFor="notice-titleEn" requirement={t("optional")}>
          {t("fieldTitleEn")}
        </Label>
        <Input id="notice-titleEn" name="titleEn" maxLength={200} lang="en" />
      </div>
      <div className="space-y-2">
        <Label htmlFor="notice-bodyEn" requirement={t("optional")}>
          {t("fieldBodyEn")}
        </Label>
        <textarea id="notice-bodyEn" name="bodyEn" rows={4} maxLength={10000} lang="en" className={TEXTAREA} />
      </div>
      <div className="space-y-2">
        <Label htmlFor="notice-csv" requirement={t("required")}>
          {t("fieldFile")}
        </Label>
        <SupportText id="notice-csv-hint">{t("fileHint", { column: "{{列名}}" })}</SupportText>
        {fieldErrors.csv ? (
          <ErrorText id="notice-csv-error" data-testid="notice-csv-error">
            {fieldErrors.csv}
          </ErrorText>
        ) : null}
        <input
          id="notice-csv"
          name="csv"
          type="file"
          accept=".csv,text/csv"
          required
          className="block text-std-16N-170"
          aria-invalid={invalid("csv")}
          aria-describedby={describedBy("csv", "notice-csv-hint")}
        />
      </div>
      <fieldset className="space-y-2">
        <legend className="text-std-17B-170">{t("fieldEncoding")}</legend>
        <label className="flex items-center gap-2">
          <input type="radio" name="encoding" value="utf-8" defaultChecked />
          {t("encodingUtf8")}
        </label>
        <label className="flex items-center gap-2">
          <input type="radio" name="encoding" value="shift_jis" />
          {t("encodingSjis")}
        </label>
      </fieldset>
      <SupportText>{t("approvalNote", { threshold })}</SupportText>
      <Button type="submit" aria-disabled={pending || undefined} data-testid="notice-submit">
        {pending ? t("submitting") : t("submit")}
      </Button>
    </form>
  );
}

import { getTranslations } from "next-intl/server";
import { formatDateTime } from "@/lib/i18n/dates";
import type { TLocale } from "@/lib/i18n/locales";
import type { TStoredVerificationReport } from "@/lib/mailbox/schemas";

/**
 * The signature badge: a native disclosure (<details>) so it opens by keyboard and screen reader
 * without JavaScript, listing each check of the stored verification report by its stable code.
 */
export async function SignatureDetails({ report, locale }: { report: TStoredVerificationReport; locale: TLocale }) {
  const t = await getTranslations("mailbox");
  return (
    <details
      className="rounded-12 border border-line bg-white p-4"
      data-testid="signature-badge"
      data-valid={report.valid ? "true" : "false"}
    >
      <summary className="cursor-pointer text-std-18B-160">
        <span className={report.valid ? "text-success" : "text-error"}>
          {report.valid ? `✓ ${t("signatureValid")}` : `× ${t("signatureInvalid")}`}
        </span>
        <span className="ml-3 text-std-16N-170 text-primary underline">{t("signatureDetails")}</span>
      </summary>
      <div className="mt-4 space-y-4 text-std-16N-170">
        <p>{t("signatureExplain")}</p>
        <dl className="grid gap-x-6 gap-y-2 sm:grid-cols-[max-content_1fr]">
          <dt className="font-bold">{t("signatureSigner")}</dt>
          <dd className="break-all">
            {report.signer ? (report.signer.organizationName ?? report.signer.subject) : "—"}
          </dd>
          <dt className="font-bold">{t("signatureSigningTime")}</dt>
          <dd>{report.signingTime ? formatDateTime(report.signingTime, locale) : "—"}</dd>
          <dt className="font-bold">{t("signatureVerifiedAt")}</dt>
          <dd>{formatDateTime(report.verifiedAt, locale)}</dd>
          <dt className="font-bold">{t("signaturePath")}</dt>
          <dd>
            <ol className="list-decimal space-y-1 pl-6">
              {report.path.map((subject) => (
                <li key={subject} className="break-all">
                  {subject}
                </li>
              ))}
            </ol>
          </dd>
        </dl>
        <h3 className="text-std-17B-170">{t("signatureChecks")}</h3>
        <ul className="space-y-1" data-testid="signature-checks">
          {report.checks.map((c) => (
            <li key={c.code} data-check={c.code} data-ok={c.ok ? "true" : "false"}>
              <span className={c.ok ? "text-success" : "text-error"}>
                {c.ok ? `✓ ${t("checkOk")}` : `× ${t("checkFailed")}`}
              </span>{" "}
              <code>{c.code}</code>
              {c.detail ? <span className="text-ink-muted"> — {c.detail}</span> : null}
            </li>
          ))}
        </ul>
        {report.signer ? (
          <p className="break-all text-dns-16N-130 text-ink-muted">
            SHA-256: <code>{report.signer.fingerprint}</code>
          </p>
        ) : null}
      </div>
    </details>
  );
}

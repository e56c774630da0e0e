"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import { useEffect } from "react";

/**
 * Body of every error.tsx: says what happened, offers a retry (re-renders the segment) and a
 * way home, and shows the digest so support can find the server log line. Focus moves to the
 * heading so keyboard and screen-reader users learn the page changed.
 */
export function ErrorViewClient({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const t = useTranslations();
  useEffect(() => {
    document.getElementById("error-title")?.focus();
  }, []);
  return (
    <div role="alert" className="space-y-4 rounded-12 border-l-8 border-error bg-red-50 p-6" data-error-view="">
      <h1 id="error-title" tabIndex={-1} className="text-std-28B-150">
        {t("errors.errorTitle")}
      </h1>
      <p className="text-std-16N-175">{t("errors.errorBody")}</p>
      {error.digest ? (
        <p className="text-dns-16N-130 text-ink-muted">
          {t("errors.errorRef")}: <code>{error.digest}</code>
        </p>
      ) : null}
      <div className="flex flex-wrap gap-4">
        <button
          type="button"
          onClick={reset}
          className="min-h-12 rounded-8 bg-primary px-4 text-oln-16B-100 text-white hover:bg-primary-hover hover:underline"
        >
          {t("common.retry")}
        </button>
        <Link
          href="/"
          className="inline-flex min-h-12 items-center rounded-8 border border-current bg-white px-4 text-oln-16B-100 text-primary hover:underline"
        >
          {t("common.backHome")}
        </Link>
      </div>
    </div>
  );
}

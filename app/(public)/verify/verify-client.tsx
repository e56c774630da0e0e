"use client";

import { useTranslations } from "next-intl";
import { useEffect, useMemo, useState } from "react";
import { Button } from "@/app/_components/ui/button";
import { Input } from "@/app/_components/ui/input";
import { Label } from "@/app/_components/ui/label";
import { SupportText } from "@/app/_components/ui/support-text";
import { pemCertificates, type TOfflineVerification, verifyBundleOffline } from "@/lib/mailbox/offline-verify";
import { decodeVerifyQr, type TVerifyQr } from "@/lib/mailbox/verify-qr";

type TState =
  | { kind: "idle" }
  | { kind: "working" }
  | { kind: "done"; result: TOfflineVerification }
  | { kind: "error"; message: "notJson" | "fetchFailed"; code?: string };

/**
 * The verifier: reads the QR facts from the URL fragment or a pasted scan, takes the signed
 * bundle from a file or (one network call) the one-time link the QR names, and verifies it in the
 * browser against the root embedded in the page.
 */
export function VerifyClient({ rootsPem }: { rootsPem: string }) {
  const t = useTranslations("verify");
  const roots = useMemo(() => pemCertificates(rootsPem), [rootsPem]);
  const [qr, setQr] = useState<TVerifyQr | null>(null);
  const [scan, setScan] = useState("");
  const [scanInvalid, setScanInvalid] = useState(false);
  const [state, setState] = useState<TState>({ kind: "idle" });

  useEffect(() => {
    if (window.location.hash) setQr(decodeVerifyQr(window.location.hash));
  }, []);

  const verify = async (text: string) => {
    let bundle: unknown;
    try {
      bundle = JSON.parse(text);
    } catch {
      return setState({ kind: "error", message: "notJson" });
    }
    setState({ kind: "done", result: await verifyBundleOffline(bundle, { trustAnchors: roots, qr }) });
  };

  const fromLink = async () => {
    if (!qr?.l) return;
    setState({ kind: "working" });
    try {
      const res = await fetch(qr.l, { cache: "no-store", referrerPolicy: "no-referrer" });
      const text = await res.text();
      if (!res.ok) {
        let code: string | undefined;
        try {
          code = (JSON.parse(text) as { error?: { code?: string } }).error?.code;
        } catch {}
        return setState({ kind: "error", message: "fetchFailed", code: code ?? String(res.status) });
      }
      await verify(text);
    } catch {
      setState({ kind: "error", message: "fetchFailed" });
    }
  };

  const fromFile = async (file: File | undefined) => {
    if (!file) return;
    setState({ kind: "working" });
    await verify(await file.text());
  };

  return (
    <div className="space-y-8">
      <section aria-labelledby="verify-qr" className="space-y-4">
        <h2 id="verify-qr" className="text-std-20B-150">
          {t("qrTitle")}
        </h2>
        {qr ? (
          <dl className="grid gap-x-6 gap-y-1 sm:grid-cols-[auto_1fr]" data-testid="verify-qr-facts">
            <dt className="text-std-16B-170">{t("qrDocument")}</dt>
            <dd className="break-all font-mono">{qr.id}</dd>
            <dt className="text-std-16B-170">{t("qrDigest")}</dt>
            <dd className="break-all font-mono">{qr.d}</dd>
            <dt className="text-std-16B-170">{t("qrSigner")}</dt>
            <dd className="break-all font-mono">{qr.f}</dd>
          </dl>
        ) : (
          <p>{t("qrNone")}</p>
        )}
        <form
          className="flex flex-wrap items-end gap-4"
          onSubmit={(e) => {
            e.preventDefault();
            const decoded = decodeVerifyQr(scan);
            setScanInvalid(!decoded);
            if (decoded) {
              setQr(decoded);
              setState({ kind: "idle" });
            }
          }}
        >
          <div className="min-w-64 flex-1 space-y-2">
            <Label htmlFor="verify-scan">{t("scanLabel")}</Label>
            <SupportText id="verify-scan-hint">{t("scanHint")}</SupportText>
            <Input
              id="verify-scan"
              value={scan}
              onChange={(e) => setScan(e.target.value)}
              aria-describedby={scanInvalid ? "verify-scan-error verify-scan-hint" : "verify-scan-hint"}
              aria-invalid={scanInvalid || undefined}
            />
            {scanInvalid ? (
              <p id="verify-scan-error" className="text-error">
                {t("scanInvalid")}
              </p>
            ) : null}
          </div>
          <Button type="submit" variant="outline">
            {t("scanRead")}
          </Button>
        </form>
      </section>

      <section aria-labelledby="verify-data" className="space-y-4">
        <h2 id="verify-data" className="text-std-20B-150">
          {t("dataTitle")}
        </h2>
        <div className="space-y-2">
          <Label htmlFor="verify-file">{t("fileLabel")}</Label>
          <SupportText id="verify-file-hint">{t("fileHint")}</SupportText>
          <input
            id="verify-file"
            type="file"
            accept="application/json,.json"
            aria-describedby="verify-file-hint"
            className="block text-std-16N-170"
            onChange={(e) => void fromFile(e.target.files?.[0])}
          />
        </div>
        {qr?.l ? (
          <div className="space-y-2">
            <p className="text-std-16N-170">{t("linkBody")}</p>
            <Button onClick={() => void fromLink()} data-testid="verify-fetch-link">
              {t("linkFetch")}
            </Button>
          </div>
        ) : null}
      </section>

      <div aria-live="polite" data-testid="verify-result" data-state={state.kind}>
        {state.kind === "working" ? <p>{t("working")}</p> : null}
        {state.kind === "error" ? (
          <p role="alert" className="text-error">
            {t(state.message, { code: state.code ?? "" })}
          </p>
        ) : null}
        {state.kind === "done" ? <VerifyResult result={state.result} withQr={qr !== null} /> : null}
      </div>
    </div>
  );
}

function VerifyResult({ result, withQr }: { result: TOfflineVerification; withQr: boolean }) {
  const t = useTranslations("verify");
  return (
    <section
      aria-labelledby="verify-outcome"
      className="space-y-4 rounded-12 border border-line bg-white p-6"
      data-valid={String(result.valid)}
    >
      <h2
        id="verify-outcome"
        className={result.valid ? "text-std-20B-150 text-success" : "text-std-20B-150 text-error"}
      >
        {result.valid ? (withQr ? t("validWithQr") : t("valid")) : t("invalid")}
      </h2>
      {result.document ? (
        <p>
          {t("issuedBy", { issuer: result.document.issuer.name, type: result.document.type })}
          {result.signer?.organization ? ` ${t("signedBy", { organization: result.signer.organization })}` : ""}
        </p>
      ) : null}
      <ul className="space-y-1">
        {result.checks.map((c) => (
          <li key={c.id} data-check={c.id} data-ok={String(c.ok)}>
            <span aria-hidden="true">{c.ok ? "✓ " : "× "}</span>
            {t(`checks.${c.id}`)}: {c.ok ? t("ok") : t("failed")}
            {c.detail && !c.ok ? <span className="text-ink-muted"> ({c.detail})</span> : null}
          </li>
        ))}
        <li data-check="revocation" data-ok="unknown">
          <span aria-hidden="true">? </span>
          {t("checks.revocation")}: {t("notCheckedOffline")}
        </li>
      </ul>
      {result.document ? (
        <details>
          <summary className="cursor-pointer text-primary underline">{t("payload")}</summary>
          <pre className="mt-2 overflow-x-auto rounded-8 bg-solid-gray-50 p-4 text-std-16N-170">
            {JSON.stringify(result.document.payload, null, 2)}
          </pre>
        </details>
      ) : null}
    </section>
  );
}

"use client";

import { signIn } from "next-auth/react";
import { useTranslations } from "next-intl";
import { useEffect, useRef, useState } from "react";
import { Button } from "@/app/_components/ui/button";
import { Notice } from "@/app/_components/ui/notice";
import { Loading } from "@/app/_components/ui/spinner";

type TStart = { code: string; confirmation: string; expiresAt: string; url: string };
type TState =
  | { kind: "idle" }
  | { kind: "showing"; start: TStart; qr: string }
  | { kind: "completing" }
  | { kind: "error"; code: string };

/**
 * PC side of the QR cross-device login: shows a QR code and a 4-digit number, polls until a
 * phone approved after its own card login, then completes the next-auth session here.
 */
export function QrLoginPanel({ afterLogin = "/mailbox" }: { afterLogin?: string }) {
  const t = useTranslations("crossDevice");
  const [state, setState] = useState<TState>({ kind: "idle" });
  const live = useRef(true);

  useEffect(() => {
    live.current = true;
    return () => {
      live.current = false;
    };
  }, []);

  useEffect(() => {
    if (state.kind !== "showing") return;
    const { code } = state.start;
    const timer = setInterval(async () => {
      const res = await fetch("/api/card/cross-device/status", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ code }),
      });
      const body = (await res.json().catch(() => ({}))) as { status?: string; error?: { code?: string } };
      if (!live.current) return;
      if (!res.ok) {
        clearInterval(timer);
        setState({ kind: "error", code: body.error?.code ?? "GENERIC" });
      } else if (body.status === "expired") {
        clearInterval(timer);
        setState({ kind: "error", code: "CHALLENGE_EXPIRED" });
      } else if (body.status === "approved") {
        clearInterval(timer);
        setState({ kind: "completing" });
        const r = await signIn("cross-device", { code, redirect: false });
        if (r?.ok && !r.error) window.location.assign(afterLogin);
        else setState({ kind: "error", code: r?.error ?? "GENERIC" });
      }
    }, 1500);
    return () => clearInterval(timer);
  }, [state, afterLogin]);

  const start = async () => {
    const res = await fetch("/api/card/cross-device", { method: "POST" });
    const body = (await res.json()) as TStart & { error?: { code?: string } };
    if (!res.ok) return setState({ kind: "error", code: body.error?.code ?? "GENERIC" });
    const QRCode = (await import("qrcode")).default;
    const svg = await QRCode.toString(body.url, { type: "svg", margin: 2, errorCorrectionLevel: "M" });
    setState({ kind: "showing", start: body, qr: `data:image/svg+xml;utf8,${encodeURIComponent(svg)}` });
  };

  return (
    <section aria-labelledby="qr-login-heading" className="space-y-4" data-qr-login={state.kind}>
      <h2 id="qr-login-heading" className="text-std-20B-150">
        {t("title")}
      </h2>
      {state.kind === "idle" ? (
        <>
          <p>{t("body")}</p>
          <Button variant="outline" onClick={() => void start()} data-testid="qr-login-start">
            {t("start")}
          </Button>
        </>
      ) : null}
      {state.kind === "showing" ? (
        <div className="space-y-3">
          <p>{t("scan")}</p>
          {/* biome-ignore lint/performance/noImgElement: a data: URL of a generated SVG, nothing for next/image to optimise. */}
          <img
            src={state.qr}
            alt={t("qrAlt")}
            width={220}
            height={220}
            className="rounded-8 border border-line bg-white"
          />
          <p>
            {t("confirmationLabel")}{" "}
            <strong className="font-mono text-std-24B-150" data-testid="qr-confirmation">
              {state.start.confirmation}
            </strong>
          </p>
          <p className="text-std-16N-170">
            {t("linkLabel")}{" "}
            <a href={state.start.url} className="break-all underline" data-testid="qr-url">
              {state.start.url}
            </a>
          </p>
          <Loading label={t("waiting")} />
        </div>
      ) : null}
      {state.kind === "completing" ? <Loading label={t("completing")} /> : null}
      {state.kind === "error" ? (
        <div role="alert" data-error-code={state.code} className="space-y-3">
          <Notice tone="error" title={t("errorTitle")}>
            <p>{t("errorBody", { code: state.code })}</p>
          </Notice>
          <Button variant="outline" onClick={() => void start()}>
            {t("start")}
          </Button>
        </div>
      ) : null}
    </section>
  );
}

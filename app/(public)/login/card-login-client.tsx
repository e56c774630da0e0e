"use client";

import { useTranslations } from "next-intl";
import { useEffect, useState } from "react";
import { CardLoginPanel } from "./card-login-panel";
import { PasskeyLoginButton } from "./passkey-login-button";
import { QrLoginPanel } from "./qr-login-panel";

const steps = ["step1", "step2", "step3", "step4"] as const;

/**
 * The card-login area of /login: the live card flow (CardLoginPanel: agent connection, pairing,
 * PIN in the agent, challenge signing, next-auth session), the QR cross-device alternative for a
 * PC without a card reader, a passkey for low-risk re-entry, and the login steps as the guide.
 */
export function CardLoginClient({ afterLogin, showQr = true }: { afterLogin?: string; showQr?: boolean } = {}) {
  const t = useTranslations("login");
  // `?next=/path` after a step-up prompt: back to that page (same-site paths only).
  const [next, setNext] = useState<string | undefined>(undefined);
  useEffect(() => {
    const v = new URLSearchParams(window.location.search).get("next");
    if (v && /^\/(?!\/)[\w\-/]*$/.test(v)) setNext(v);
  }, []);
  afterLogin ??= next;
  return (
    <div className="space-y-8" data-card-login="">
      <div className="rounded-12 border border-line bg-white p-6">
        <CardLoginPanel afterLogin={afterLogin} />
      </div>
      {showQr ? (
        <div className="rounded-12 border border-line bg-white p-6">
          <QrLoginPanel afterLogin={afterLogin} />
        </div>
      ) : null}
      {showQr ? (
        <div className="rounded-12 border border-line bg-white p-6">
          <PasskeyLoginButton afterLogin={afterLogin} />
        </div>
      ) : null}
      <section aria-labelledby="login-steps-title" className="space-y-4">
        <h2 id="login-steps-title" className="text-std-24B-150">
          {t("stepsTitle")}
        </h2>
        <ol aria-label={t("stepsAria")} className="space-y-4">
          {steps.map((s, i) => (
            <li key={s} className="flex gap-4 rounded-12 border border-line bg-white p-5">
              <span
                aria-hidden="true"
                className="flex size-10 shrink-0 items-center justify-center rounded-full bg-primary text-std-18B-160 text-white"
              >
                {i + 1}
              </span>
              <div className="space-y-1">
                <h3 className="text-std-18B-160">{t(`${s}Title`)}</h3>
                <p className="text-std-16N-175">{t(`${s}Body`)}</p>
              </div>
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}

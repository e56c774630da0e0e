"use client";

import { useTranslations } from "next-intl";

const steps = ["step1", "step2", "step3", "step4"] as const;

/**
 * The card-login area of /login. For now it shows the login steps; the card flow
 * (agent connection, challenge signing, session) mounts here and keeps the steps as its guide.
 */
export function CardLoginClient() {
  const t = useTranslations("login");
  return (
    <section aria-labelledby="login-steps-title" className="space-y-4" data-card-login="">
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
  );
}

"use client";

import { useTranslations } from "next-intl";
import { type ReactNode, useCallback, useEffect, useRef, useState } from "react";
import { Button } from "@/app/_components/ui/button";
import { Loading } from "@/app/_components/ui/spinner";
import type { TCardChoice } from "@/app/_lib/card/card-agent-session";
import type { TTapStep } from "./terminal-tap-flow";

/**
 * The screens and hooks every card kiosk shares (the partner tap, the bus, the emergency history):
 * the card steps (connecting / pairing code / waiting for the card / choose the card / PIN /
 * verifying), the card-error screen with the tries left, and the "back to start" countdown.
 * Copy comes from the `terminalTap` messages; `data-tap-state` (or the caller's attribute) and
 * `data-error-code` are the e2e hooks.
 */

/** The kiosk's full-height frame (a border colour is added per screen). */
export const KIOSK_FRAME =
  "flex flex-1 flex-col items-center justify-center gap-8 rounded-32 border-4 bg-white p-10 text-center";
export const KIOSK_HEADING = "text-std-36B-140 focus:outline-none sm:text-dsp-48B-140";

/** Card and agent errors with their own copy under terminalTap.error.*; others show GENERIC (code still shown). */
export const CARD_TAP_ERRORS: readonly string[] = [
  "CARD_UNKNOWN",
  "CERT_REVOKED",
  "CERT_EXPIRED",
  "CHALLENGE_REPLAYED",
  "CHALLENGE_EXPIRED",
  "CHALLENGE_UNKNOWN",
  "PIN_INCORRECT",
  "PIN_LOCKED",
  "PIN_CANCELLED",
  "AGENT_NOT_RUNNING",
  "NO_CARD",
  "TERMINAL_NOT_ENROLLED",
  "TERMINAL_DISABLED",
];

/** One heading per screen that takes focus when `screenKey` changes; `h(text)` renders it. */
export function useScreenHeading(screenKey: string, className: string = KIOSK_HEADING) {
  const heading = useRef<HTMLElement | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: focus moves only when the screen changes.
  useEffect(() => {
    heading.current?.focus();
  }, [screenKey]);
  const focusRef = (el: HTMLElement | null) => {
    heading.current = el;
  };
  const h = (text: string) => (
    <h2 ref={focusRef} tabIndex={-1} className={className}>
      {text}
    </h2>
  );
  return { focusRef, h };
}

/** The card choice: `chooseCard` waits until the person presses one of the card buttons (`pick`). */
export function useCardChooser() {
  const pending = useRef<((v: string) => void) | null>(null);
  const chooseCard = useCallback(
    (_cards?: TCardChoice[]) =>
      new Promise<string>((resolve) => {
        pending.current = resolve;
      }),
    [],
  );
  const pick = (providerId: string) => {
    pending.current?.(providerId);
    pending.current = null;
  };
  return { chooseCard, pick };
}

/**
 * Auto return: a kiosk must not leave one person's result on screen for the next. While `active`,
 * counts down from `resetSeconds` (restarting whenever `screen` changes) and then calls `backToStart`;
 * returns the seconds left.
 */
export function useAutoReturn(screen: unknown, active: boolean, resetSeconds: number, backToStart: () => void) {
  const [left, setLeft] = useState(resetSeconds);
  const back = useRef(backToStart);
  back.current = backToStart;
  // biome-ignore lint/correctness/useExhaustiveDependencies: the countdown restarts when the screen changes.
  useEffect(() => {
    if (!active) return;
    setLeft(resetSeconds);
    const started = Date.now();
    const timer = setInterval(() => {
      const remaining = resetSeconds - Math.floor((Date.now() - started) / 1000);
      if (remaining <= 0) {
        clearInterval(timer);
        back.current();
      } else setLeft(remaining);
    }, 250);
    return () => clearInterval(timer);
  }, [screen, resetSeconds]);
  return left;
}

/** "Returning in N seconds" and the button back to the start screen. */
export function TapBackButton({ left, onBack }: { left: number; onBack: () => void }) {
  const t = useTranslations("terminalTap");
  return (
    <div className="space-y-4">
      <p className="text-std-20N-150" data-testid="tap-returning">
        {t("returning", { seconds: left })}
      </p>
      <Button size="xl" variant="outline" onClick={onBack} data-testid="tap-again">
        {t("again")}
      </Button>
    </div>
  );
}

/** A card step in progress: pairing code, card choice, PIN at the agent, or a spinner. */
export function TapStepScreen({
  step,
  heading,
  onPick,
  className = `${KIOSK_FRAME} border-primary`,
  stateAttribute = "data-tap-state",
  pairingBody = true,
}: {
  step: TTapStep;
  heading: (text: string) => ReactNode;
  onPick: (providerId: string) => void;
  className?: string;
  stateAttribute?: "data-tap-state" | "data-emergency-state";
  /** The sentence above the pairing code (the emergency kiosk shows only the code). */
  pairingBody?: boolean;
}) {
  const t = useTranslations("terminalTap");
  return (
    <section {...{ [stateAttribute]: step.kind }} className={className}>
      {heading(t(`stepTitle.${step.kind}`))}
      {step.kind === "pairing" ? (
        <>
          {pairingBody ? <p className="text-std-24N-150">{t("pairingBody")}</p> : null}
          <p>
            <span className="sr-only">{t("pairingCodeLabel")}: </span>
            <span className="font-mono text-dsp-48B-140 tracking-widest">{step.code}</span>
          </p>
        </>
      ) : null}
      {step.kind === "pin" ? <p className="text-std-24N-150">{t("pinBody")}</p> : null}
      {step.kind === "choose-card" ? (
        <ul className="grid w-full max-w-200 gap-4">
          {step.cards.map((c: TCardChoice) => (
            <li key={c.providerId}>
              <Button
                size="xl"
                variant="outline"
                className="w-full"
                onClick={() => onPick(c.providerId)}
                data-provider-id={c.providerId}
              >
                {c.name}
              </Button>
            </li>
          ))}
        </ul>
      ) : (
        <Loading label={t(`step.${step.kind}`)} size="lg" className="text-std-24B-150" />
      )}
    </section>
  );
}

/** A tap that failed (card, agent, challenge, kiosk): its own copy when `known`, tries left for a wrong PIN. */
export function TapErrorScreen({
  code,
  triesLeft,
  known,
  heading,
  back,
}: {
  code: string;
  triesLeft?: number;
  known: ReadonlySet<string>;
  heading: (text: string) => ReactNode;
  back: ReactNode;
}) {
  const t = useTranslations("terminalTap");
  const copy = known.has(code) ? code : "GENERIC";
  const body =
    copy === "PIN_INCORRECT" && triesLeft !== undefined
      ? t("error.PIN_INCORRECT.bodyTries", { triesLeft })
      : t(`error.${copy}.body`);
  return (
    <section data-tap-state="error" data-error-code={code} className={`${KIOSK_FRAME} border-error`}>
      <div role="alert" className="space-y-6">
        {heading(t(`error.${copy}.title`))}
        <p className="text-std-24N-150">{body}</p>
        <p className="text-std-18N-160">{t("errorCode", { code })}</p>
      </div>
      {back}
    </section>
  );
}

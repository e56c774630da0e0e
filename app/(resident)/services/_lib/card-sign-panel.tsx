"use client";

import { useTranslations } from "next-intl";
import { useEffect, useRef, useState } from "react";
import { Button } from "@/app/_components/ui/button";
import { Notice } from "@/app/_components/ui/notice";
import { Loading } from "@/app/_components/ui/spinner";
import { type TCadesSignResult, type TSignStep, signWithCard } from "@/app/_lib/card/cades-sign";
import { agentAddressFromLocation, CardLoginError, type TCardChoice } from "@/app/_lib/card/card-agent-session";

type TFacts = { name: string; address: string; dateOfBirth: string; gender: string };

type TState =
  | { kind: "idle" }
  | { kind: "step"; step: TSignStep }
  | { kind: "choose"; cards: TCardChoice[] }
  | { kind: "confirm"; facts: TFacts }
  | { kind: "error"; code: string; triesLeft?: number };

/**
 * Signing with the card (CAdES-BES through the card agent, app/_lib/card/cades-sign.ts): the
 * agent asks for the signing PIN, the page then shows the four facts the signing certificate
 * carries — what the signature will say about the signer — and signs only after "sign". The
 * content itself is shown by the parent above this panel. `data-sign-state` is the e2e hook.
 */
export function CardSignPanel({
  canonical,
  onSigned,
  disabled,
  expectedFacts,
}: {
  /** The exact text to sign (RFC 8785 canonical JSON). */
  canonical: string;
  /**
   * The signer's four facts as the registry holds them: shown BEFORE the signing PIN (a card
   * releases its signing certificate only after the PIN), then compared with the certificate's.
   */
  expectedFacts?: TFacts;
  /** Posts the signature; resolves with an error code or null. */
  onSigned: (result: TCadesSignResult) => Promise<string | null>;
  disabled?: boolean;
}) {
  const t = useTranslations("cardSign");
  const [state, setState] = useState<TState>({ kind: "idle" });
  const pending = useRef<{ resolve: (v: string) => void; reject: (e: unknown) => void } | null>(null);
  const heading = useRef<HTMLHeadingElement | null>(null);
  const key = state.kind === "step" ? state.step.kind : state.kind;

  // biome-ignore lint/correctness/useExhaustiveDependencies: focus moves only when the screen changes.
  useEffect(() => {
    if (state.kind !== "idle") heading.current?.focus();
  }, [key]);

  const start = async () => {
    try {
      const result = await signWithCard({
        content: new TextEncoder().encode(canonical),
        agentAddress: agentAddressFromLocation(),
        onStep: (step) => setState({ kind: "step", step }),
        chooseCard: (cards) =>
          new Promise<string>((resolve, reject) => {
            pending.current = { resolve, reject };
            setState({ kind: "choose", cards });
          }),
        review: async (signCertificate) => {
          const res = await fetch("/services/applications/signer", {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ signCertificate }),
          });
          const body = (await res.json()) as TFacts & { error?: { code?: string } };
          if (!res.ok) throw new CardLoginError(body.error?.code ?? "INTERNAL");
          await new Promise<string>((resolve, reject) => {
            pending.current = { resolve, reject };
            setState({ kind: "confirm", facts: body });
          });
        },
      });
      setState({ kind: "step", step: { kind: "signing" } });
      const code = await onSigned(result);
      if (code) setState({ kind: "error", code });
    } catch (e) {
      setState({
        kind: "error",
        code: e instanceof CardLoginError ? e.code : "INTERNAL",
        triesLeft: e instanceof CardLoginError ? e.triesLeft : undefined,
      });
    }
  };
  const answer = (v: string) => {
    pending.current?.resolve(v);
    pending.current = null;
  };
  const cancel = () => {
    pending.current?.reject(new CardLoginError("CANCELLED"));
    pending.current = null;
  };
  const h = (text: string) => (
    <h3 ref={heading} tabIndex={-1} className="text-std-20B-150 focus:outline-none">
      {text}
    </h3>
  );

  return (
    <section aria-label={t("region")} data-sign-state={key} className="space-y-4">
      {state.kind === "idle" ? (
        <>
          {expectedFacts ? (
            <>
              <p>{t("expectedBody")}</p>
              <FactList facts={expectedFacts} testId="sign-expected-facts" />
            </>
          ) : null}
          <p>{t("before")}</p>
          <Button size="lg" onClick={() => void start()} disabled={disabled} data-testid="card-sign-start">
            {t("start")}
          </Button>
        </>
      ) : null}
      {state.kind === "step" ? (
        <div role="status" className="space-y-2">
          {h(t(`step.${state.step.kind}`))}
          {state.step.kind === "pairing" ? <p className="text-std-24B-150">{state.step.code}</p> : null}
          {state.step.kind === "pin" ? <p>{t("pinBody")}</p> : null}
          {state.step.kind !== "pin" && state.step.kind !== "pairing" ? (
            <Loading label={t(`step.${state.step.kind}`)} />
          ) : null}
        </div>
      ) : null}
      {state.kind === "choose" ? (
        <div className="space-y-2" data-sign-state="choose-card">
          {h(t("chooseTitle"))}
          <ul className="space-y-2">
            {state.cards.map((c) => (
              <li key={c.providerId}>
                <Button variant="outline" onClick={() => answer(c.providerId)}>
                  <bdi>{c.name}</bdi>
                </Button>
              </li>
            ))}
          </ul>
          <Button variant="text" onClick={cancel}>
            {t("cancel")}
          </Button>
        </div>
      ) : null}
      {state.kind === "confirm" ? (
        <div className="space-y-4">
          {h(t("confirmTitle"))}
          <p>{t("confirmBody")}</p>
          <FactList facts={state.facts} testId="sign-facts" />
          {expectedFacts && !sameFacts(expectedFacts, state.facts) ? (
            <Notice tone="warning" title={t("factsDifferTitle")} data-testid="sign-facts-differ">
              <p>{t("factsDifferBody")}</p>
            </Notice>
          ) : null}
          <div className="flex flex-wrap gap-2">
            <Button onClick={() => answer("sign")} data-testid="card-sign-confirm">
              {t("confirm")}
            </Button>
            <Button variant="outline" onClick={cancel}>
              {t("cancel")}
            </Button>
          </div>
        </div>
      ) : null}
      {state.kind === "error" ? (
        <Notice tone="error" title={t("errorTitle")} role="alert" data-error-code={state.code}>
          <p>
            {t.has(`error.${state.code}`) ? t(`error.${state.code}`) : t("error.GENERIC", { code: state.code })}
            {state.triesLeft !== undefined ? ` ${t("triesLeft", { triesLeft: state.triesLeft })}` : ""}
          </p>
          <Button variant="outline" className="mt-4" onClick={() => setState({ kind: "idle" })}>
            {t("retry")}
          </Button>
        </Notice>
      ) : null}
    </section>
  );
}

/** Compares two sets of four facts, ignoring spacing differences (full- and half-width spaces). */
function sameFacts(a: TFacts, b: TFacts): boolean {
  const norm = (v: string) => v.normalize("NFKC").replace(/\s+/g, "");
  return (["name", "address", "dateOfBirth", "gender"] as const).every((f) => norm(a[f]) === norm(b[f]));
}

/** The four facts as a definition list (name, address, date of birth, gender). */
function FactList({ facts, testId }: { facts: TFacts; testId: string }) {
  const t = useTranslations("cardSign");
  return (
    <dl className="grid grid-cols-[auto_1fr] gap-x-6 gap-y-2" data-testid={testId}>
      {(["name", "address", "dateOfBirth", "gender"] as const).map((f) => (
        <div key={f} className="contents">
          <dt className="text-std-16B-170">{t(`facts.${f}`)}</dt>
          <dd>
            <bdi>{f === "gender" ? t(`gender.${facts.gender}`) : facts[f]}</bdi>
          </dd>
        </div>
      ))}
    </dl>
  );
}

"use client";

import { useTranslations } from "next-intl";
import { useCallback, useEffect, useState } from "react";
import { Button } from "@/app/_components/ui/button";
import { agentAddressFromLocation, CardLoginError } from "@/app/_lib/card/card-agent-session";
import {
  CARD_TAP_ERRORS,
  KIOSK_FRAME,
  KIOSK_HEADING,
  TapBackButton,
  TapErrorScreen,
  TapStepScreen,
  useAutoReturn,
  useCardChooser,
  useScreenHeading,
} from "../_components/tap-step-screens";
import { runTerminalTap, type TTapResult, type TTapStep } from "../_components/terminal-tap-flow";
import {
  cardFingerprintOf,
  ensureDeviceKey,
  pendingOfflineRides,
  recordOfflineRide,
  rememberCard,
  syncOfflineRides,
} from "./offline-store";

/** The server's answer (lib/services/bus/terminal-ride.ts TBusTapAnswer), as the kiosk reads it. */
type TBusAnswer = TTapResult & {
  bus?: {
    ride: {
      rideId: string;
      ticket: { kind: "TICKET_BOOK" | "PASS"; product: { nameJa: string; nameEn: string } } | null;
    } | null;
    refused?: string;
    balance: { ridesRemaining: number; passValidUntil: string | null };
    receipt: string;
  };
  offline?: { board: boolean; code?: string; ridesRemaining?: number; passValidUntil?: string | null };
};

type TState =
  | { kind: "ready" }
  | { kind: "step"; step: TTapStep }
  | { kind: "result"; result: TBusAnswer }
  | { kind: "error"; code: string; triesLeft?: number };

const KNOWN_ERRORS: ReadonlySet<string> = new Set(CARD_TAP_ERRORS);

/** Refusals with their own bus screen. */
const BUS_CODES = new Set([
  "BUS_BOOK_EMPTY",
  "BUS_PASS_EXPIRED",
  "BUS_NO_VALID_PRODUCT",
  "BUS_NOT_LINKED",
  "BUS_OFFLINE_CARD_UNKNOWN",
  "BUS_OFFLINE_DEVICE_UNKNOWN",
  "RECIPIENT_NOT_LINKED",
  "CARD_UNKNOWN",
]);

function randomKey(): string {
  const b = crypto.getRandomValues(new Uint8Array(18));
  return btoa(String.fromCharCode(...b))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");
}

export type TBusTapClientProps = {
  deviceId: string;
  partnerName: string;
  terminalLabel: string;
  resetSeconds: number;
};

/**
 * The on-board device (/terminal/bus): card → PIN at the agent → the platform's check and ONE
 * ride → what is left (rides or pass validity), or a refusal with its stable code. When the
 * server cannot be reached after the PIN, the offline rule of lib/services/bus/offline-record.ts
 * decides and a device-signed record is queued; queued records are synced on load, every 30
 * seconds and after each online tap. `data-tap-state`, `data-error-code` and the test ids are
 * stable hooks for e2e.
 */
export function BusTapClient({ deviceId, partnerName, terminalLabel, resetSeconds }: TBusTapClientProps) {
  const t = useTranslations("terminalTap");
  const tb = useTranslations("terminalBus");
  const [state, setState] = useState<TState>({ kind: "ready" });
  const [pending, setPending] = useState(0);
  const { chooseCard, pick } = useCardChooser();
  const stateKey =
    state.kind === "step" ? state.step.kind : state.kind === "error" ? `error-${state.code}` : state.kind;
  const { focusRef, h } = useScreenHeading(stateKey);
  const left = useAutoReturn(state, state.kind === "result" || state.kind === "error", resetSeconds, () =>
    setState({ kind: "ready" }),
  );

  const sync = useCallback(async () => {
    setPending(pendingOfflineRides(deviceId));
    setPending(await syncOfflineRides(deviceId).catch(() => pendingOfflineRides(deviceId)));
  }, [deviceId]);

  useEffect(() => {
    void ensureDeviceKey(deviceId).catch(() => undefined);
    void sync();
    const timer = setInterval(() => void sync(), 30_000);
    return () => clearInterval(timer);
  }, [deviceId, sync]);

  const start = useCallback(async () => {
    let der: ArrayBuffer | undefined;
    try {
      const result = await runTerminalTap<TBusAnswer>({
        agentAddress: agentAddressFromLocation(),
        onStep: (step) => setState({ kind: "step", step }),
        chooseCard,
        check: { url: "/api/terminal/bus/rides", body: { tapKey: randomKey() } },
        onCertificate: (d) => {
          der = d;
        },
        whenOffline: async (d) => {
          const decision = await recordOfflineRide(deviceId, d);
          setPending(pendingOfflineRides(deviceId));
          return {
            eligible: decision.board,
            checkedAt: new Date().toISOString(),
            offline: decision.board
              ? {
                  board: true,
                  ridesRemaining: decision.snapshot.ridesRemaining,
                  passValidUntil: decision.snapshot.passValidUntil,
                }
              : { board: false, code: decision.code },
          };
        },
      });
      if (result.bus && result.member && der) {
        rememberCard(deviceId, {
          cardFingerprint: await cardFingerprintOf(der),
          memberReference: result.member.reference,
          ridesRemaining: result.bus.balance.ridesRemaining,
          passValidUntil: result.bus.balance.passValidUntil,
          seenAt: new Date().toISOString(),
        });
      }
      setState({ kind: "result", result });
      if (!result.offline) void sync();
    } catch (e) {
      if (e instanceof CardLoginError) setState({ kind: "error", code: e.code, triesLeft: e.triesLeft });
      else setState({ kind: "error", code: "INTERNAL" });
    }
  }, [deviceId, sync, chooseCard]);

  const backButton = <TapBackButton left={left} onBack={() => setState({ kind: "ready" })} />;
  const frame = KIOSK_FRAME;
  const pendingLine =
    pending > 0 ? (
      <p className="text-std-18N-160" data-testid="bus-offline-pending" role="status">
        {tb("offlinePending", { count: pending })}
      </p>
    ) : null;
  const dateText = (iso: string) => new Date(iso).toLocaleDateString();
  const balanceOf = (rides: number | undefined, passUntil: string | null | undefined) => (
    <dl className="grid gap-x-6 gap-y-2 text-left text-std-24N-150 sm:grid-cols-[auto_1fr]">
      {passUntil ? (
        <>
          <dt className="font-bold">{tb("passValidUntil")}</dt>
          <dd data-testid="bus-pass-valid-until">
            <time dateTime={passUntil}>{dateText(passUntil)}</time>
          </dd>
        </>
      ) : null}
      <dt className="font-bold">{tb("ridesRemaining")}</dt>
      <dd className="font-mono text-std-32B-150" data-testid="bus-rides-remaining">
        {tb("rides", { count: rides ?? 0 })}
      </dd>
    </dl>
  );

  if (state.kind === "ready") {
    return (
      <section data-tap-state="ready" aria-labelledby="tap-start" className={`${frame} border-primary`}>
        <h2 id="tap-start" ref={focusRef} tabIndex={-1} className={KIOSK_HEADING}>
          {t("bus.startTitle")}
        </h2>
        <p className="text-std-24N-150">{t("bus.startBody")}</p>
        <Button size="xl" onClick={() => void start()} data-testid="tap-start" className="min-w-80">
          {t("bus.startAction")}
        </Button>
        {pendingLine}
      </section>
    );
  }

  if (state.kind === "result") {
    const { result } = state;
    if (result.offline) {
      const o = result.offline;
      const code = o.code ?? "";
      return (
        <section
          data-tap-state="result"
          data-offline="true"
          data-eligible={o.board ? "true" : "false"}
          data-error-code={o.board ? undefined : code}
          className={`${frame} ${o.board ? "border-success" : "border-error"}`}
        >
          <div role={o.board ? "status" : "alert"} className="space-y-6">
            {h(o.board ? tb("offlineRideTitle") : tb(`refused.${code}.title`))}
            <p className="text-std-24N-150">{o.board ? tb("offlineRideBody") : tb(`refused.${code}.body`)}</p>
          </div>
          {o.board ? balanceOf(o.ridesRemaining, o.passValidUntil) : null}
          {o.board ? null : <p className="text-std-18N-160">{t("errorCode", { code })}</p>}
          {pendingLine}
          {backButton}
        </section>
      );
    }
    const bus = result.bus;
    const ride = bus?.ride ?? null;
    const ok = result.eligible && ride !== null;
    const code = ok ? undefined : (bus?.refused ?? result.reason ?? "RECIPIENT_NOT_LINKED");
    const known = code && BUS_CODES.has(code) ? code : "GENERIC";
    return (
      <section
        data-tap-state="result"
        data-eligible={ok ? "true" : "false"}
        data-error-code={code}
        className={`${frame} ${ok ? "border-success" : "border-error"}`}
      >
        <div role={ok ? "status" : "alert"} className="space-y-6">
          {h(ok ? tb("rideTitle") : tb(`refused.${known}.title`))}
          <p className="text-std-24N-150">{ok ? tb("rideBody") : tb(`refused.${known}.body`)}</p>
        </div>
        {bus ? balanceOf(bus.balance.ridesRemaining, bus.balance.passValidUntil) : null}
        <dl className="grid gap-x-6 gap-y-2 text-left text-std-20N-150 sm:grid-cols-[auto_1fr]">
          {ride?.ticket ? (
            <>
              <dt className="font-bold">{tb("usedTicket")}</dt>
              <dd data-testid="bus-used-ticket">{ride.ticket.product.nameJa}</dd>
            </>
          ) : null}
          {result.member ? (
            <>
              <dt className="font-bold">{t("bus.memberLabel")}</dt>
              <dd className="font-mono" data-testid="tap-member-reference">
                {result.member.reference}
              </dd>
            </>
          ) : null}
          <dt className="font-bold">{t("partnerLabel")}</dt>
          <dd>{partnerName}</dd>
          <dt className="font-bold">{t("terminalLabel")}</dt>
          <dd>{terminalLabel}</dd>
        </dl>
        {code ? <p className="text-std-18N-160">{t("errorCode", { code })}</p> : null}
        {backButton}
      </section>
    );
  }

  if (state.kind === "error") {
    return (
      <TapErrorScreen
        code={state.code}
        triesLeft={state.triesLeft}
        known={KNOWN_ERRORS}
        heading={h}
        back={backButton}
      />
    );
  }

  return <TapStepScreen step={state.step} heading={h} onPick={pick} />;
}

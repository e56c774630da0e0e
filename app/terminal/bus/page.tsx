import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { resetSecondsOf, TerminalModePage } from "../_components/terminal-mode-page";
import { BusTapClient } from "./bus-tap-client";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("terminalTap"))("bus.title") };
}

/**
 * /terminal/bus: the on-board device of an enrolled bus operator. A card tap takes one ride
 * (ticket book or pass) and shows what is left; offline, device-signed rides are queued and
 * synced later (lib/services/bus).
 */
export default async function TerminalBusPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  return (
    <TerminalModePage
      mode="bus"
      resetSeconds={resetSecondsOf((await searchParams).reset)}
      client={({ device, partnerName, resetSeconds }) => (
        <BusTapClient
          deviceId={device.id}
          partnerName={partnerName}
          terminalLabel={device.label}
          resetSeconds={resetSeconds}
        />
      )}
    />
  );
}

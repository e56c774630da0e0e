"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import { Button } from "@/app/_components/ui/button";

/**
 * "Use my location": fills the latitude and longitude fields from the browser's geolocation API
 * (the browser asks the person first). The fields stay editable; without JavaScript or permission
 * they are typed in.
 */
export function UseLocationClient({ latitudeId, longitudeId }: { latitudeId: string; longitudeId: string }) {
  const t = useTranslations("reports");
  const [state, setState] = useState<"idle" | "busy" | "done" | "failed">("idle");
  const locate = () => {
    if (!("geolocation" in navigator)) {
      setState("failed");
      return;
    }
    setState("busy");
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        const lat = document.getElementById(latitudeId) as HTMLInputElement | null;
        const lng = document.getElementById(longitudeId) as HTMLInputElement | null;
        if (lat) lat.value = pos.coords.latitude.toFixed(6);
        if (lng) lng.value = pos.coords.longitude.toFixed(6);
        setState("done");
      },
      () => setState("failed"),
      { enableHighAccuracy: true, timeout: 15_000 },
    );
  };
  return (
    <div className="space-y-2">
      <Button
        type="button"
        variant="outline"
        onClick={locate}
        aria-disabled={state === "busy" || undefined}
        data-testid="use-location"
      >
        {t("useLocation")}
      </Button>
      <p role="status" aria-live="polite" className="text-std-16N-170">
        {state === "busy"
          ? t("locating")
          : state === "done"
            ? t("located")
            : state === "failed"
              ? t("locateFailed")
              : ""}
      </p>
    </div>
  );
}

"use client";

import { type ReactNode, useEffect } from "react";
import { tvNavigation } from "./_html/tv-navigation";

/** The remote-key navigation (tvNavigation) on the TV's one React screen, the card login (/tv/login). */
export function TvNavigationClient({ children }: { children: ReactNode }) {
  useEffect(() => tvNavigation(), []);
  return <>{children}</>;
}

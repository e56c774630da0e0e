"use client";

import { usePathname } from "next/navigation";
import { useEffect, useRef } from "react";

/**
 * After a client-side navigation, moves focus to `<main id="main">` so keyboard and
 * screen-reader users start at the new page's content, as after a full page load, instead of
 * where the clicked link used to be. The first render is left alone (the browser starts at the
 * top, where the skip link is).
 */
export function RouteFocusClient() {
  const pathname = usePathname();
  const previous = useRef<string | null>(null);
  useEffect(() => {
    if (previous.current !== null && previous.current !== pathname) {
      document.getElementById("main")?.focus();
    }
    previous.current = pathname;
  }, [pathname]);
  return null;
}

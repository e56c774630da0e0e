"use client";

import { type ReactNode, useEffect } from "react";

type TDirection = "up" | "down" | "left" | "right";

const KEY_TO_DIRECTION: Record<string, TDirection> = {
  ArrowUp: "up",
  ArrowDown: "down",
  ArrowLeft: "left",
  ArrowRight: "right",
};

/**
 * Picks the element to move to from `from` in `direction`: the nearest one whose centre lies
 * that way, with sideways distance weighted double so a D-pad press moves along rows and columns
 * rather than diagonally (the usual spatial-navigation heuristic of TV browsers).
 */
function nextTarget(from: DOMRect, direction: TDirection, candidates: readonly HTMLElement[]): HTMLElement | null {
  const fx = from.left + from.width / 2;
  const fy = from.top + from.height / 2;
  let best: HTMLElement | null = null;
  let bestScore = Number.POSITIVE_INFINITY;
  for (const el of candidates) {
    const r = el.getBoundingClientRect();
    const dx = r.left + r.width / 2 - fx;
    const dy = r.top + r.height / 2 - fy;
    const along = { right: dx, left: -dx, down: dy, up: -dy }[direction];
    const across = direction === "left" || direction === "right" ? Math.abs(dy) : Math.abs(dx);
    if (along <= 1) continue;
    const score = along + across * 2;
    if (score < bestScore) {
      bestScore = score;
      best = el;
    }
  }
  return best;
}

/**
 * D-pad focus navigation for the 10-foot UI: arrow keys move focus between `[data-tv-nav]`
 * elements by screen position; OK/Enter activates natively (they are links and buttons). On load
 * the current tile takes focus, because a remote has no pointer to start from.
 */
export function TvNavigationClient({ children }: { children: ReactNode }) {
  useEffect(() => {
    const targets = () => Array.from(document.querySelectorAll<HTMLElement>("[data-tv-nav]"));
    if (document.activeElement === document.body || document.activeElement === null) {
      const initial = document.querySelector<HTMLElement>("[data-tv-nav][aria-current='true']") ?? targets()[0];
      initial?.focus();
    }
    const onKeyDown = (event: KeyboardEvent) => {
      const direction = KEY_TO_DIRECTION[event.key];
      if (!direction || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
      const active = document.activeElement;
      const all = targets();
      if (!(active instanceof HTMLElement) || !all.includes(active)) {
        all[0]?.focus();
        event.preventDefault();
        return;
      }
      const next = nextTarget(
        active.getBoundingClientRect(),
        direction,
        all.filter((el) => el !== active),
      );
      // At an edge, stay put rather than scroll the page: the focus ring is the TV's cursor.
      event.preventDefault();
      next?.focus();
      next?.scrollIntoView({ block: "nearest", inline: "nearest" });
    };
    document.addEventListener("keydown", onKeyDown);
    return () => document.removeEventListener("keydown", onKeyDown);
  }, []);
  return <>{children}</>;
}

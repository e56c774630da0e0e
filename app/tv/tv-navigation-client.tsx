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
 * The remote's other keys, as browsers report them. Back: Backspace / Escape on a keyboard,
 * GoBack / BrowserBack on TV browsers. The four colour keys: HbbTV/CE-HTML key names
 * (ColorF0Red …) or key codes VK_RED 403 … VK_BLUE 406, and on a computer's keyboard the letters
 * r / g / y / b or F1–F4 (the legend on screen says so).
 */
const BACK_KEYS = new Set(["Backspace", "Escape", "GoBack", "BrowserBack"]);
export type TColourKey = "red" | "green" | "yellow" | "blue";
const COLOUR_KEYS: Record<string, TColourKey> = {
  ColorF0Red: "red",
  ColorF1Green: "green",
  ColorF2Yellow: "yellow",
  ColorF3Blue: "blue",
  r: "red",
  g: "green",
  y: "yellow",
  b: "blue",
  F1: "red",
  F2: "green",
  F3: "yellow",
  F4: "blue",
};
const COLOUR_KEY_CODES: Record<number, TColourKey> = { 403: "red", 404: "green", 405: "yellow", 406: "blue" };

/** The element a non-arrow remote key activates: `[data-tv-back]`, `[data-tv-key="N"]` or `[data-tv-colour="…"]`. */
function keyTarget(event: KeyboardEvent): HTMLElement | null {
  const q = (selector: string) => document.querySelector<HTMLElement>(selector);
  if (BACK_KEYS.has(event.key)) return q("[data-tv-back]");
  if (/^[0-9]$/.test(event.key)) return q(`[data-tv-key="${event.key}"]`);
  const colour = COLOUR_KEYS[event.key] ?? COLOUR_KEY_CODES[event.keyCode];
  return colour ? q(`[data-tv-colour="${colour}"]`) : null;
}

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
 * the current tile (`aria-current`, else `[data-tv-autofocus]`, else the first that is not the
 * Back link) takes focus,
 * because a remote has no pointer to start from. Back, the number keys and the colour keys click
 * the element marked for them (see {@link keyTarget}).
 */
export function TvNavigationClient({ children }: { children: ReactNode }) {
  useEffect(() => {
    const targets = () => Array.from(document.querySelectorAll<HTMLElement>("[data-tv-nav]"));
    const initial = () =>
      document.querySelector<HTMLElement>("[data-tv-nav][aria-current='true']") ??
      document.querySelector<HTMLElement>("[data-tv-autofocus]") ??
      targets().find((el) => !el.hasAttribute("data-tv-back")) ??
      targets()[0];
    // After a client-side navigation Next.js focuses the new segment (our <main>), not a control,
    // possibly after this effect: anything but a remote target counts as "no focus yet", checked
    // now and once more on the next frame.
    const focusInitial = () => {
      const active = document.activeElement;
      if (!(active instanceof HTMLElement) || !active.matches("[data-tv-nav]")) initial()?.focus();
    };
    focusInitial();
    const frame = requestAnimationFrame(focusInitial);
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey || event.defaultPrevented) return;
      const direction = KEY_TO_DIRECTION[event.key];
      if (!direction) {
        const target = keyTarget(event);
        if (target) {
          event.preventDefault();
          target.click();
        }
        return;
      }
      const active = document.activeElement;
      const all = targets();
      if (!(active instanceof HTMLElement) || !all.includes(active)) {
        initial()?.focus();
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
    return () => {
      cancelAnimationFrame(frame);
      document.removeEventListener("keydown", onKeyDown);
    };
  }, []);
  return <>{children}</>;
}

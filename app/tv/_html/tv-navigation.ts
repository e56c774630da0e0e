/**
 * The TV's remote-key navigation, the ONE script of the TV's screens. It is self-contained (no
 * imports, no outer variables) because the server-rendered screens inline its source
 * (`tvNavigation.toString()`, with the request's CSP nonce) and the login screen's React
 * component calls it; returns the cleanup.
 *
 * Arrow keys move focus between `[data-tv-nav]` elements by screen position (the nearest one whose
 * centre lies that way, sideways distance weighted double, as TV browsers' spatial navigation
 * does); OK/Enter activates natively (links and buttons). On load the current tile
 * (`aria-current`, else `[data-tv-autofocus]`, else the first that is not the Back link) takes
 * focus: a remote has no pointer to start from. The remote's other keys click the element marked
 * for them: Back (Backspace / Escape on a keyboard, GoBack / BrowserBack on TV browsers) →
 * `[data-tv-back]`; number keys → `[data-tv-key="N"]`; the colour keys (HbbTV/CE-HTML names
 * ColorF0Red …, key codes VK_RED 403 … VK_BLUE 406, and on a computer r / g / y / b or F1–F4, as
 * the legend on screen says) → `[data-tv-colour="red|green|yellow|blue"]`.
 */
export function tvNavigation(): () => void {
  const directions: Record<string, "up" | "down" | "left" | "right"> = {
    ArrowUp: "up",
    ArrowDown: "down",
    ArrowLeft: "left",
    ArrowRight: "right",
  };
  const backKeys = ["Backspace", "Escape", "GoBack", "BrowserBack"];
  const colours: Record<string, string> = {
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
    "403": "red",
    "404": "green",
    "405": "yellow",
    "406": "blue",
  };
  const q = (selector: string) => document.querySelector<HTMLElement>(selector);
  const targets = () => Array.from(document.querySelectorAll<HTMLElement>("[data-tv-nav]"));
  const initial = () =>
    q("[data-tv-nav][aria-current='true']") ??
    q("[data-tv-autofocus]") ??
    targets().find((el) => !el.hasAttribute("data-tv-back")) ??
    targets()[0];
  // After a client-side navigation (the React login screen) the framework may focus <main> after
  // this runs: anything but a remote target counts as "no focus yet", checked now and on the next frame.
  const focusInitial = () => {
    const active = document.activeElement;
    if (!(active instanceof HTMLElement) || !active.matches("[data-tv-nav]")) initial()?.focus();
  };
  const keyTarget = (event: KeyboardEvent): HTMLElement | null => {
    if (backKeys.includes(event.key)) return q("[data-tv-back]");
    if (/^[0-9]$/.test(event.key)) return q(`[data-tv-key="${event.key}"]`);
    const colour = colours[event.key] ?? colours[String(event.keyCode)];
    return colour ? q(`[data-tv-colour="${colour}"]`) : null;
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey || event.defaultPrevented) return;
    const direction = directions[event.key];
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
    event.preventDefault();
    if (!(active instanceof HTMLElement) || !all.includes(active)) {
      initial()?.focus();
      return;
    }
    const from = active.getBoundingClientRect();
    const fx = from.left + from.width / 2;
    const fy = from.top + from.height / 2;
    let best: HTMLElement | null = null;
    let bestScore = Number.POSITIVE_INFINITY;
    for (const el of all) {
      if (el === active) continue;
      const r = el.getBoundingClientRect();
      const dx = r.left + r.width / 2 - fx;
      const dy = r.top + r.height / 2 - fy;
      const along = direction === "right" ? dx : direction === "left" ? -dx : direction === "down" ? dy : -dy;
      const across = direction === "left" || direction === "right" ? Math.abs(dy) : Math.abs(dx);
      if (along <= 1) continue;
      const score = along + across * 2;
      if (score < bestScore) {
        bestScore = score;
        best = el;
      }
    }
    // At an edge, stay put rather than scroll the page: the focus ring is the TV's cursor.
    best?.focus();
    best?.scrollIntoView({ block: "nearest", inline: "nearest" });
  };
  focusInitial();
  const frame = requestAnimationFrame(focusInitial);
  document.addEventListener("keydown", onKeyDown);
  return () => {
    cancelAnimationFrame(frame);
    document.removeEventListener("keydown", onKeyDown);
  };
}

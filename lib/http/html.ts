/**
 * A minimal HTML builder (the TV's server-rendered screens, app/tv/_html) (route handlers cannot use
 * react-dom/server: route handlers run in the React Server Components layer). `html` is a tagged
 * template that escapes every interpolated value unless it is itself `html` output; arrays are
 * joined, and null / undefined / false render nothing.
 */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

function render(value: unknown): string {
  if (value === null || value === undefined || value === false) return "";
  if (value instanceof Html) return value.value;
  if (Array.isArray(value)) return value.map(render).join("");
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0] ?? "";
  for (let i = 0; i < values.length; i++) out += render(values[i]) + (strings[i + 1] ?? "");
  return new Html(out);
}

/** Trusted markup (e.g. the inlined script's source); never user input. */
export function rawHtml(markup: string): Html {
  return new Html(markup);
}

/** An attribute that is present (empty value) or absent. */
export function flag(name: string, on: boolean): Html {
  return new Html(on ? ` ${name}=""` : "");
}

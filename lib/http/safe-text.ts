/**
 * Text that PostgreSQL or RFC 8785 cannot hold: U+0000 (a `text` column refuses it) and lone
 * UTF-16 surrogates (no UTF-8 form; canonical JSON refuses them). Every string that enters —
 * API bodies, NDJSON lines, form fields, query strings — is checked here, at the edge, so the
 * caller gets 422 TEXT_CHARACTER_FORBIDDEN naming the field, never a 500 from the database.
 */
import { z } from "zod";
import { AppError } from "../errors/app-error";

// NUL, a high surrogate not followed by a low one, or a low surrogate not preceded by a high one.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching U+0000 is the point of this pattern.
const FORBIDDEN = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** True when `s` holds no NUL and no lone surrogate. */
export function isSafeText(s: string): boolean {
  return !FORBIDDEN.test(s);
}

/** The one message of the refinement (server actions turn it into TEXT_CHARACTER_FORBIDDEN). */
export const SAFE_TEXT_MESSAGE = "must not contain U+0000 or an unpaired UTF-16 surrogate";

/**
 * The zod refinement for form fields and query strings (one message for every field). A string
 * schema still: chain `.trim()`, `.min()`, `.max()`, `.optional()` on it.
 */
export const ZSafeText = z.string().refine(isSafeText, { message: SAFE_TEXT_MESSAGE });

/** The first field (dotted path) a zod error refused for its text characters, if any. */
export function unsafeTextFieldOf(error: z.ZodError): string | undefined {
  const issue = error.issues.find((i) => i.message === SAFE_TEXT_MESSAGE);
  return issue ? issue.path.map(String).join(".") || "(form)" : undefined;
}

/**
 * The path of the first string (object key or value, at any depth) of a parsed JSON value that
 * is not safe text, as `a.b[2].c`; undefined when every string is safe.
 */
export function firstUnsafeTextPath(value: unknown, path = ""): string | undefined {
  if (typeof value === "string") return isSafeText(value) ? undefined : path || "(body)";
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = firstUnsafeTextPath(value[i], `${path}[${i}]`);
      if (found) return found;
    }
    return undefined;
  }
  if (value && typeof value === "object") {
    for (const [key, v] of Object.entries(value)) {
      const at = path ? `${path}.${key}` : key;
      if (!isSafeText(key)) return at;
      const found = firstUnsafeTextPath(v, at);
      if (found) return found;
    }
  }
  return undefined;
}

/** Throws TEXT_CHARACTER_FORBIDDEN (422) with `details.field` when a string of `value` is not safe text. */
export function assertSafeJson(value: unknown, prefix = ""): void {
  const field = firstUnsafeTextPath(value, prefix);
  if (field !== undefined) throw new AppError("TEXT_CHARACTER_FORBIDDEN", { details: { field } });
}

/**
 * Which of a document's actions the portal may render as links.
 *
 * `metadata.actions` (pay / reply / apply URLs), like `labels`, `deadline` and `expiresAt`, is
 * outside the issuer's signature: the signature covers the canonical payload only
 * (signed-bundle.ts). Whoever holds the partner's API secret — not only the holder of its signing
 * key — can set them. So an action becomes a link only when its URL's origin is one the partner
 * registered with the municipality (`Partner.actionOrigins`, set by staff); any other URL is shown
 * as plain, non-clickable text. The check runs when the document is shown, against the partner's
 * origins of that moment, so removing an origin unlinks every document that points at it.
 */
import { z } from "zod";
import type { TDocumentAction } from "./schemas";

/** An action as the document page shows it: `linkable` only when its origin is registered. */
export type TShownAction = TDocumentAction & { linkable: boolean };

/** The origin (`https://host[:port]`, lower case, default port dropped) of an https URL, else undefined. */
export function httpsOriginOf(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== "https:" || parsed.username || parsed.password) return undefined;
  return parsed.origin;
}

/** A registrable action origin: an https origin with nothing after the host and port. */
export const ZActionOrigin = z
  .string()
  .trim()
  .max(300)
  .transform((s, ctx) => {
    const origin = httpsOriginOf(s);
    // `https://pay.example.jp/` is accepted as its origin; a path, query or fragment is not.
    if (!origin || s.replace(/\/$/, "").toLowerCase() !== origin) {
      ctx.addIssue({ code: "custom", message: "must be an https origin, e.g. https://pay.example.jp" });
      return z.NEVER;
    }
    return origin;
  });

/** True when `url` is an https URL whose origin is exactly one of `origins`. */
export function isRegisteredActionUrl(url: string | undefined, origins: readonly string[]): boolean {
  if (!url) return false;
  const origin = httpsOriginOf(url);
  return origin !== undefined && origins.includes(origin);
}

/** The document's actions, each marked linkable or not against the issuer's registered origins. */
export function shownActions(actions: readonly TDocumentAction[], origins: readonly string[]): TShownAction[] {
  return actions.map((a) => ({ ...a, linkable: isRegisteredActionUrl(a.url, origins) }));
}

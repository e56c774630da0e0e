/**
 * The browser-session binding cookie of card login (docs/jpki.md#card-login-web-eid: "session-bound" nonce store).
 * Its value is a random secret; the database keeps only its SHA-256 (lib/auth/challenge.ts), so a
 * challenge can be consumed only by the browser it was issued to (login CSRF and token relay
 * from another browser fail with CHALLENGE_UNKNOWN).
 */

/** Cookie name: `__Host-` prefixed on https so it cannot be set by a sibling sub-domain (RFC 6265bis §4.1.3.2). */
export function bindingCookieName(portalOrigin: string): string {
  return portalOrigin.startsWith("https:") ? "__Host-ichimai-card" : "ichimai-card";
}

/** Attributes of the binding cookie: httpOnly, SameSite=Lax, path /, 1 hour (longer than a challenge). */
export function bindingCookieAttributes(portalOrigin: string): {
  httpOnly: true;
  sameSite: "lax";
  secure: boolean;
  path: "/";
  maxAge: number;
} {
  return { httpOnly: true, sameSite: "lax", secure: portalOrigin.startsWith("https:"), path: "/", maxAge: 3600 };
}

/** The value of cookie `name` in a `Cookie:` header (RFC 6265 §5.4), or undefined. */
export function readCookie(header: string | null | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) {
      const raw = part.slice(eq + 1).trim();
      try {
        return decodeURIComponent(raw);
      } catch {
        return raw;
      }
    }
  }
  return undefined;
}

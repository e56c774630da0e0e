import { bindingCookieAttributes, bindingCookieName, readCookie } from "@/lib/auth/binding-cookie";
import { newBinding } from "@/lib/auth/challenge";
import { env } from "@/lib/env";

/**
 * The browser-session binding of card and passkey challenges: the existing cookie value, or a
 * new one that `commit` sets on the response (httpOnly, SameSite=Lax; lib/auth/binding-cookie.ts).
 * Web-standard Request/Response (NextRequest/NextResponse are both), so the handlers also run
 * under the tests' plain HTTP server.
 */
export function browserBinding(
  request: Request,
  portal = env().PORTAL_ORIGIN,
): { binding: string; commit: <T extends Response>(res: T) => T } {
  const name = bindingCookieName(portal);
  const existing = readCookie(request.headers.get("cookie"), name);
  const binding = existing && existing.length >= 32 ? existing : newBinding();
  return {
    binding,
    commit: (res) => {
      if (binding !== existing) res.headers.append("Set-Cookie", serializeBindingCookie(name, binding, portal));
      return res;
    },
  };
}

function serializeBindingCookie(name: string, value: string, portal: string): string {
  const a = bindingCookieAttributes(portal);
  return [
    `${name}=${encodeURIComponent(value)}`,
    `Path=${a.path}`,
    `Max-Age=${a.maxAge}`,
    "HttpOnly",
    "SameSite=Lax",
    ...(a.secure ? ["Secure"] : []),
  ].join("; ");
}

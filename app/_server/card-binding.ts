import type { NextRequest, NextResponse } from "next/server";
import { bindingCookieAttributes, bindingCookieName } from "@/lib/auth/binding-cookie";
import { newBinding } from "@/lib/auth/challenge";
import { env } from "@/lib/env";

/**
 * The browser-session binding of card and passkey challenges: the existing cookie value, or a
 * new one that `commit` sets on the response (httpOnly, SameSite=Lax; lib/auth/binding-cookie.ts).
 */
export function browserBinding(request: NextRequest): { binding: string; commit: (res: NextResponse) => NextResponse } {
  const portal = env().PORTAL_ORIGIN;
  const name = bindingCookieName(portal);
  const existing = request.cookies.get(name)?.value;
  const binding = existing && existing.length >= 32 ? existing : newBinding();
  return {
    binding,
    commit: (res) => {
      if (binding !== existing) res.cookies.set(name, binding, bindingCookieAttributes(portal));
      return res;
    },
  };
}

import { type NextRequest, NextResponse } from "next/server";
import { env } from "@/lib/env";
import {
  contentSecurityPolicy,
  newCspNonce,
  STATIC_SECURITY_HEADERS,
  isSsoPath,
  talksToCardAgent,
} from "@/lib/http/security-headers";

/**
 * Every request: a fresh CSP nonce, passed to Next.js in the request's policy header (it puts
 * the nonce on its scripts); the policy and the other security headers on the response
 * (lib/http/security-headers.ts). No page renders a script of its own, so none reads the nonce.
 */
export function proxy(request: NextRequest) {
  const nonce = newCspNonce();
  const policy = contentSecurityPolicy(nonce, {
    development: env().NODE_ENV === "development",
    cardAgent: talksToCardAgent(request.nextUrl.pathname),
    ssoRedirects: isSsoPath(request.nextUrl.pathname),
  });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("Content-Security-Policy", policy);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", policy);
  for (const [name, value] of Object.entries(STATIC_SECURITY_HEADERS)) response.headers.set(name, value);
  return response;
}

export const config = {
  // Not for build output and files that are the same for everyone.
  matcher: [{ source: "/((?!_next/static|_next/image|favicon.ico).*)" }],
};

/**
 * The security headers of every response (set by the root proxy.ts). HTML gets a strict Content
 * Security Policy with a fresh nonce per request: Next.js puts that nonce on its own scripts when
 * it finds it in the request's policy, so no inline script without it runs. Nothing may frame the
 * portal: a resident's page inside another site's frame is a clickjacking foothold.
 * Only the card pages may evaluate code or reach a loopback agent (talksToCardAgent).
 */

/** A nonce for one response: 128 random bits, base64. */
export function newCspNonce(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
}

/**
 * Pages that talk to the card agent: the webcrypto-socket client's protocol code compiles its
 * message codecs at run time (protobufjs: `new Function`) and its crypto uses WebAssembly, so
 * these pages allow eval and WebAssembly and a connection to a loopback agent; no other page does.
 * Besides login and the kiosks, the pages where a resident signs with the card: an application,
 * one partner signing request, and one link request that asks for a signature (not the lists);
 * and the TV's card login (/tv/login — not the TV's other screens).
 */
export function talksToCardAgent(pathname: string): boolean {
  if (pathname === "/tv/login") return true;
  return /^\/(login|terminal|services\/applications\/new|services\/signing-requests\/[0-9a-f-]{36}|services\/links\/[0-9a-f-]{36})(\/|$)/.test(
    pathname,
  );
}

/**
 * The Content-Security-Policy for a page rendered with `nonce`. `development` allows Next's dev
 * tooling (eval, HMR); `cardAgent` what the card-agent client needs (talksToCardAgent).
 */
export function contentSecurityPolicy(
  nonce: string,
  o: { development: boolean; cardAgent?: boolean; ssoRedirects?: boolean },
): string {
  const loopbackAgent = o.cardAgent
    ? ["https://127.0.0.1:*", "wss://127.0.0.1:*", "https://localhost:*", "wss://localhost:*"]
    : [];
  const evalSources = o.cardAgent ? ["'unsafe-eval'", "'wasm-unsafe-eval'"] : o.development ? ["'unsafe-eval'"] : [];
  const directives: Record<string, string[]> = {
    "default-src": ["'self'"],
    "script-src": ["'self'", `'nonce-${nonce}'`, "'strict-dynamic'", ...evalSources],
    // React sets style attributes (e.g. progress widths); stylesheets come from 'self'.
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'", ...loopbackAgent, ...(o.development ? ["ws:", "wss:"] : [])],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    // Single sign-on pages (/oidc, /sso): their forms (consent, logout confirmation) end in a
    // redirect to a registered relying party, and browsers apply form-action to that redirect.
    "form-action": o.ssoRedirects ? ["'self'", "https:", "http:"] : ["'self'"],
    "frame-ancestors": ["'none'"],
    "frame-src": ["'none'"],
    "worker-src": ["'self'", "blob:"],
    "manifest-src": ["'self'"],
  };
  return Object.entries(directives)
    .map(([name, values]) => `${name} ${values.join(" ")}`)
    .join("; ");
}

/** Pages of single sign-on whose forms redirect to relying parties (docs/sso.md). */
export function isSsoPath(pathname: string): boolean {
  return pathname.startsWith("/oidc/") || pathname.startsWith("/sso/");
}

/** Headers every response carries, whatever its type. */
export const STATIC_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "X-Content-Type-Options": "nosniff",
  // Share links and document ids sit in paths: never send them to another origin.
  "Referrer-Policy": "same-origin",
  "X-Frame-Options": "DENY",
  "Cross-Origin-Opener-Policy": "same-origin",
  "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
};

import { guardedRoute } from "@/app/_server/route";
import { oidcUpstream } from "@/app/_server/oidc";
import { env } from "@/lib/env";
import { clientAddress } from "@/lib/http/client-address";

// The OpenID Provider (discovery, JWKS, authorization, token, userinfo, logout): every request is
// forwarded to oidc-provider's own handler on its loopback server (app/_server/oidc.ts), with the
// portal's public origin and the client address in X-Forwarded-*. All logic is in lib/oidc.
export const dynamic = "force-dynamic";
export const runtime = "nodejs";

// Hop-by-hop headers never cross a proxy (RFC 9110 §7.6.1).
const HOP_BY_HOP = ["connection", "keep-alive", "transfer-encoding", "upgrade", "proxy-connection", "te", "trailer"];

async function forward(req: Request): Promise<Response> {
  const upstream = await oidcUpstream();
  const url = new URL(req.url);
  const portal = new URL(env().PORTAL_ORIGIN);
  const headers = new Headers(req.headers);
  for (const h of [...HOP_BY_HOP, "host", "x-forwarded-host", "x-forwarded-proto", "x-forwarded-for", "forwarded"])
    headers.delete(h);
  headers.set("x-forwarded-host", portal.host);
  headers.set("x-forwarded-proto", portal.protocol.replace(":", ""));
  const address = clientAddress(req.headers);
  if (address) headers.set("x-forwarded-for", address);
  const res = await fetch(`${upstream}${url.pathname}${url.search}`, {
    method: req.method,
    headers,
    body: req.method === "GET" || req.method === "HEAD" ? undefined : await req.arrayBuffer(),
    redirect: "manual",
  });
  const out = new Headers();
  for (const [k, v] of res.headers) if (!HOP_BY_HOP.includes(k) && k !== "set-cookie") out.append(k, v);
  for (const c of res.headers.getSetCookie()) out.append("set-cookie", c);
  return new Response(req.method === "HEAD" ? null : res.body, { status: res.status, headers: out });
}

const handler = guardedRoute(forward, { logLabel: "oidc", errorHeaders: { "Cache-Control": "no-store" } });

/** Discovery, JWKS, authorization, userinfo, end-session (GET forms). */
export const GET = handler;
/** Token, userinfo, end-session confirmation (POST forms). */
export const POST = handler;

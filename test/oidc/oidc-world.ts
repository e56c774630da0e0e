/**
 * A running OpenID Provider for tests: lib/oidc's provider mounted at /oidc on 127.0.0.1, with
 * the portal's part played by a cookie ("portal=<residentId>.<assurance>.<authTime>") and the
 * interaction routes the portal has (app/sso/interaction), written against lib/oidc's functions.
 * `TestBrowser` follows redirects with a cookie jar; relying parties are openid-client.
 */
import { randomBytes } from "node:crypto";
import type http from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import * as oc from "openid-client";
import type Provider from "oidc-provider";
import { openSecret, sealSecret, secretsEncryptionKeys } from "@/lib/crypto/secret-box";
import { env } from "@/lib/env";
import type { PrismaClient } from "@/lib/db/client";
import { createOidcClient, type TCreateOidcClientInput } from "@/lib/oidc/clients";
import { finishConsent, finishLogin, portalLoginSuffices, viewInteraction } from "@/lib/oidc/interaction";
import { listenLoopback, mountedOidcHandler } from "@/lib/oidc/mount";
import type { TPortalResident } from "@/lib/oidc/provider";
import { providerCache } from "@/lib/oidc/provider-cache";
import type { TRateLimitRule } from "@/lib/rate-limit/fixed-window";

export const PORTAL_COOKIE = "portal";

export function portalCookieValue(r: TPortalResident): string {
  return `${r.residentId}.${r.assurance}.${r.authTime}`;
}

function parsePortalCookie(header: string | undefined): TPortalResident | null {
  const m = (header ?? "").match(/(?:^|;\s*)portal=([^;]+)/);
  if (!m?.[1]) return null;
  const [residentId, assurance, authTime] = m[1].split(".");
  if (!residentId || (assurance !== "card" && assurance !== "passkey")) return null;
  return { residentId, assurance, authTime: Number(authTime) };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export type TOidcWorld = {
  base: string;
  issuer: string;
  server: http.Server;
  prisma: PrismaClient;
  provider: () => Promise<Provider>;
  seal: (p: string, aad: string) => string;
  registerClient(input: Omit<TCreateOidcClientInput, "redirectUris" | "postLogoutRedirectUris">): Promise<TTestRp>;
  close(): Promise<void>;
};

export type TTestRp = {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  postLogoutUri: string;
  config: oc.Configuration;
};

export async function startOidcWorld(
  prisma: PrismaClient,
  o: { tokenRateLimit?: TRateLimitRule | null } = {},
): Promise<TOidcWorld> {
  // The configured secrets key (the development one in tests), as the portal and the demo seed use.
  const { key } = secretsEncryptionKeys(env());
  const seal = (p: string, aad: string) => sealSecret(p, { key, aad });
  const open = (e: string, aad: string) => openSecret(e, { key, aad });
  let getProvider: () => Promise<Provider> = () => Promise.reject(new Error("not started"));

  const other = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://x");
    const m = url.pathname.match(/^\/sso\/interaction\/([^/]+)(\/consent)?$/);
    const send = (status: number, body: unknown, location?: string) => {
      res.statusCode = status;
      if (location) res.setHeader("location", location);
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify(body));
    };
    if (m?.[1]) {
      const provider = await getProvider();
      const uid = m[1];
      try {
        const view = await viewInteraction(provider, uid);
        const resident = parsePortalCookie(req.headers.cookie);
        if (!m[2]) {
          if (view.prompt === "login") {
            if (!resident || !portalLoginSuffices(view, resident)) return send(401, { loginRequired: true, view });
            return send(303, {}, await finishLogin(provider, uid, resident));
          }
          return send(200, view);
        }
        const body = JSON.parse(await readBody(req)) as { approved: string[] };
        const to = await finishConsent(prisma, provider, {
          uid,
          residentId: resident?.residentId ?? "",
          approved: body.approved,
          channel: "pc",
        });
        return send(303, {}, to);
      } catch (e) {
        return send(400, { error: (e as { code?: string }).code ?? String(e) });
      }
    }
    // A relying party's callback or post-logout page: the test reads the URL.
    return send(200, { rp: url.pathname });
  };

  const handler = mountedOidcHandler(() => getProvider(), { other });
  const { url: base, server } = await listenLoopback(handler);
  const issuer = `${base}/oidc`;
  getProvider = providerCache({
    prisma,
    issuer,
    seal,
    open,
    cookieKeys: [randomBytes(16).toString("hex")],
    pairwiseSalt: randomBytes(16).toString("hex"),
    portalResident: async (cookie) => parsePortalCookie(cookie),
    portalSessionCookies: [PORTAL_COOKIE],
    tokenRateLimit: o.tokenRateLimit ?? null,
  });

  return {
    base,
    issuer,
    server,
    prisma,
    provider: getProvider,
    seal,
    async registerClient(input) {
      const redirectUri = `${base}/rp/${input.id}/cb`;
      const postLogoutUri = `${base}/rp/${input.id}/bye`;
      const { clientId, clientSecret } = await createOidcClient(
        prisma,
        { ...input, redirectUris: [redirectUri], postLogoutRedirectUris: [postLogoutUri] },
        { sealSecret: seal },
      );
      const config = await oc.discovery(new URL(issuer), clientId, undefined, oc.ClientSecretBasic(clientSecret), {
        execute: [oc.allowInsecureRequests],
      });
      return { clientId, clientSecret, redirectUri, postLogoutUri, config };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

type TResponse = { status: number; location: string | null; body: string; url: string };

/** A browser: cookie jar (by name; the provider's cookie names are distinct) and manual redirects. */
export class TestBrowser {
  readonly jar = new Map<string, string>();

  setCookie(name: string, value: string | null) {
    if (value === null) this.jar.delete(name);
    else this.jar.set(name, value);
  }

  private cookieHeader(): string {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  private store(res: Response) {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(";");
      const eq = pair!.indexOf("=");
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const expired = attrs.some((a) => {
        const [k, v] = a.split("=");
        return k?.trim().toLowerCase() === "expires" && v && new Date(v).getTime() < Date.now();
      });
      if (expired || value === "") this.jar.delete(name);
      else this.jar.set(name, value);
    }
  }

  async request(url: string, init: { method?: string; body?: string; type?: string } = {}): Promise<TResponse> {
    const res = await fetch(url, {
      method: init.method ?? "GET",
      redirect: "manual",
      headers: { cookie: this.cookieHeader(), ...(init.type ? { "content-type": init.type } : {}) },
      ...(init.body !== undefined ? { body: init.body } : {}),
    });
    this.store(res);
    const location = res.headers.get("location");
    return { status: res.status, location: location ? new URL(location, url).href : null, body: await res.text(), url };
  }

  /** Follows redirects until a non-redirect response or a URL starting with `stopAt`. */
  async follow(
    url: string,
    stopAt: string[],
    init: { method?: string; body?: string; type?: string } = {},
  ): Promise<TResponse> {
    let res = await this.request(url, init);
    for (let i = 0; i < 20 && res.location && res.status >= 300 && res.status < 400; i++) {
      if (stopAt.some((s) => res.location!.startsWith(s))) return res;
      res = await this.request(res.location);
    }
    return res;
  }
}

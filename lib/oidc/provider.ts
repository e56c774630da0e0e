/**
 * ichimai as an OpenID Provider: the `oidc-provider` library configured for government single
 * sign-on (docs/sso.md). Authorization code flow with PKCE (S256, required) for confidential
 * clients registered in the console; pairwise subjects per sector; acr values for a card login and
 * a passkey session; claims one scope each (lib/oidc/claims.ts), released only as far as the
 * resident's consent (the grant) allows, each release audited; RP-initiated logout; signing keys
 * from the database (lib/oidc/keys.ts). The resident's login is the portal's own (the
 * `portalResident` callback reads the portal session from the request's cookies), so the
 * provider's session always follows the portal session.
 */
import { createHmac } from "node:crypto";
import Provider, {
  type Configuration,
  type KoaContextWithOIDC,
  interactionPolicy,
  type errors as OidcErrors,
} from "oidc-provider";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import type { PrismaClient } from "@/lib/db/client";
import { hitRateLimit, type TRateLimitRule } from "@/lib/rate-limit/fixed-window";
import { prismaAdapterFor } from "./adapter";
import { CLAIM_NAMES_JA, claimValues, isOidcClaim, OIDC_CLAIMS, scopeClaimsConfig, type TOidcClaim } from "./claims";
import type { TClientSecretOpener, TClientSecretSealer } from "./clients";
import { standingConsents } from "./consent";
import { loadSigningKeys } from "./keys";

/** A login with the JPKI card (user-authentication certificate, PIN): the strong one. */
export const ACR_CARD = "urn:ichimai:acr:card";
/** A passkey session (low-risk re-entry after an earlier card login). */
export const ACR_PASSKEY = "urn:ichimai:acr:passkey";

/** The portal's own session as the provider needs it (app/_server/session.ts reads it). */
export type TPortalResident = { residentId: string; assurance: "card" | "passkey"; authTime: number };

export type TIchimaiProviderOptions = {
  prisma: PrismaClient;
  /** e.g. http://localhost:3000/oidc (PORTAL_ORIGIN + /oidc). */
  issuer: string;
  seal: TClientSecretSealer;
  open: TClientSecretOpener;
  /** Keys for the provider's signed cookies (newest first). */
  cookieKeys: string[];
  /** Secret salt of the pairwise subjects (stable across restarts, never published). */
  pairwiseSalt: string;
  /** The resident logged in to the portal in the browser that sent these cookies, or null. */
  portalResident: (cookieHeader: string | undefined) => Promise<TPortalResident | null>;
  /** Portal cookies to clear when the resident logs out through an RP (the portal session). */
  portalSessionCookies?: string[];
  /** Where the provider sends the browser for login and consent (default /sso/interaction/<uid>). */
  interactionPath?: (uid: string) => string;
  /** Where a browser-facing error goes (default /sso/error); the query carries error and description. */
  errorPath?: string;
  /** Token endpoint requests per client address and minute (null: no limit). */
  tokenRateLimit?: TRateLimitRule | null;
  now?: () => Date;
};

export type TIchimaiProvider = { provider: Provider; keysFingerprint: string };

export function acrOf(assurance: TPortalResident["assurance"]): string {
  return assurance === "card" ? ACR_CARD : ACR_PASSKEY;
}

/** The requested acr values of an authorization request (space-separated, in order of preference). */
export function requestedAcrs(params: Record<string, unknown>): string[] {
  return typeof params.acr_values === "string" ? params.acr_values.split(" ").filter(Boolean) : [];
}

/** Whether a card login is demanded: the only acr asked for is the card's. */
export function cardRequired(params: Record<string, unknown>): boolean {
  const acrs = requestedAcrs(params);
  return acrs.length > 0 && acrs.every((a) => a === ACR_CARD);
}

/** The pairwise subject of a resident for a sector: HMAC, so it cannot be linked across sectors. */
export function pairwiseSubject(salt: string, sector: string, accountId: string): string {
  return createHmac("sha256", salt).update(`${sector}\u0000${accountId}`).digest("base64url");
}

function htmlEscape(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title: string, body: string): string {
  return `<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${title}</title>
<style>body{font-family:system-ui,"Noto Sans JP",sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#1a1a1c;line-height:1.7}h1{font-size:1.5rem}button{font:inherit;padding:.6rem 1.2rem;margin:.5rem .5rem 0 0;border-radius:8px;border:1px solid #0031d8;background:#fff;color:#0031d8;cursor:pointer}button.primary{background:#0031d8;color:#fff}button:focus-visible{outline:3px solid #f5a623;outline-offset:2px}</style></head><body><main>${body}</main></body></html>`;
}

export async function createIchimaiProvider(o: TIchimaiProviderOptions): Promise<TIchimaiProvider> {
  const { prisma } = o;
  const now = o.now ?? (() => new Date());
  const { keys, fingerprint } = await loadSigningKeys(prisma, { seal: o.seal, open: o.open });
  const errorPath = o.errorPath ?? "/sso/error";

  const policy = interactionPolicy.base();
  const login = policy.get("login");
  if (!login) throw new Error("oidc-provider's base policy has no login prompt");
  // The provider's session follows the portal's: no portal session, or another resident's, means
  // a new login (the interaction then takes the portal's session or sends the browser to /login).
  login.checks.add(
    new interactionPolicy.Check(
      "portal_session",
      "the portal session is missing or belongs to someone else",
      async (ctx) => {
        const resident = await o.portalResident(ctx.get("cookie") || undefined);
        if (!resident || resident.residentId !== ctx.oidc.session?.accountId)
          return interactionPolicy.Check.REQUEST_PROMPT;
        return interactionPolicy.Check.NO_NEED_TO_PROMPT;
      },
    ),
  );
  // acr_values=urn:ichimai:acr:card: a passkey session is not enough, a card login is needed.
  login.checks.add(
    new interactionPolicy.Check("acr_card", "a card login is required", (ctx) =>
      cardRequired(ctx.oidc.params as Record<string, unknown>) && ctx.oidc.session?.acr !== ACR_CARD
        ? interactionPolicy.Check.REQUEST_PROMPT
        : interactionPolicy.Check.NO_NEED_TO_PROMPT,
    ),
  );

  const configuration: Configuration = {
    adapter: prismaAdapterFor(prisma, o.open),
    clients: [],
    jwks: { keys: keys as never },
    cookies: { keys: o.cookieKeys },
    claims: scopeClaimsConfig(),
    scopes: ["openid", ...OIDC_CLAIMS],
    // Scope-requested claims also go into the ID token (the RPs need no userinfo call).
    conformIdTokenClaims: false,
    acrValues: [ACR_CARD, ACR_PASSKEY],
    subjectTypes: ["pairwise"],
    pairwiseIdentifier: async (_ctx, accountId, client) =>
      pairwiseSubject(
        o.pairwiseSalt,
        (client as unknown as { sectorIdentifier?: string }).sectorIdentifier ?? client.clientId,
        accountId,
      ),
    pkce: { methods: ["S256"], required: () => true },
    responseTypes: ["code"],
    clientBasedCORS: () => false,
    features: {
      devInteractions: { enabled: false },
      userinfo: { enabled: true },
      revocation: { enabled: false },
      introspection: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx, form) => {
          const client = ctx.oidc.client;
          const name = client?.clientName ? htmlEscape(client.clientName) : "";
          ctx.body = page(
            "ログアウト / Log out",
            `<h1>一枚からログアウトしますか？ <span lang="en">Log out of ichimai?</span></h1>
<p>${name ? `<bdi>${name}</bdi> がログアウトを求めています。` : ""}ログアウトすると、一枚と一枚でログインしたサービスのログインが終わります。</p>
<p lang="en">${name ? `<bdi>${name}</bdi> asked to log you out. ` : ""}This ends your ichimai login and the single sign-on to its services.</p>
${form}
<button autofocus type="submit" form="op.logoutForm" value="yes" name="logout" class="primary">ログアウトする / Log out</button>
<button type="submit" form="op.logoutForm">ログインしたままにする / Stay logged in</button>`,
          );
        },
        postLogoutSuccessSource: async (ctx) => {
          ctx.body = page(
            "ログアウトしました / Logged out",
            `<h1>ログアウトしました <span lang="en">You are logged out</span></h1><p><a href="/">一枚のトップへ / ichimai home</a></p>`,
          );
        },
      },
    },
    interactions: {
      policy,
      url: (_ctx, interaction) => (o.interactionPath ?? ((uid) => `/sso/interaction/${uid}`))(interaction.uid),
    },
    ttl: {
      AccessToken: 600,
      AuthorizationCode: 60,
      IdToken: 600,
      Interaction: 600,
      Session: 8 * 3600,
      Grant: 14 * 24 * 3600,
    },
    // A grant made in this browser's provider session, else one rebuilt from the resident's
    // standing consents in the consent ledger (a new session on another device asks only for
    // what was never consented to).
    loadExistingGrant: async (ctx) => {
      const fromResult = ctx.oidc.result?.consent?.grantId;
      const grantId =
        (typeof fromResult === "string" ? fromResult : undefined) ||
        ctx.oidc.session?.grantIdFor(ctx.oidc.client!.clientId);
      if (grantId) {
        const grant = await ctx.oidc.provider.Grant.find(grantId);
        if (grant) return grant;
      }
      const accountId = ctx.oidc.session?.accountId;
      if (!accountId || !ctx.oidc.client) return undefined;
      const claims = await standingConsents(prisma, { residentId: accountId, clientId: ctx.oidc.client.clientId });
      const grant = new ctx.oidc.provider.Grant({ accountId, clientId: ctx.oidc.client.clientId });
      grant.addOIDCScope(["openid", ...claims].join(" "));
      await grant.save();
      return grant;
    },
    findAccount: async (ctx, sub) => {
      const resident = await prisma.resident.findUnique({
        where: { id: sub },
        select: {
          id: true,
          familyName: true,
          givenName: true,
          address: true,
          postalCode: true,
          dateOfBirth: true,
          gender: true,
          leftAt: true,
        },
      });
      if (!resident) return undefined;
      return {
        accountId: sub,
        claims: async (use, scope, _claims, rejected) => {
          const granted = new Set(scope.split(" "));
          const values = claimValues(resident, now());
          const released: TOidcClaim[] = OIDC_CLAIMS.filter((c) => granted.has(c) && !rejected.includes(c));
          const out: Record<string, unknown> = { sub };
          for (const c of released) out[c] = values[c];
          if (released.length > 0) {
            const client = ctx.oidc.client;
            await prisma.$transaction((tx) =>
              appendAuditEvent(tx, {
                type: "oidc.claims_released",
                actor: { type: "system", id: `oidc:${client?.clientId ?? "unknown"}` },
                subjectResidentId: resident.id,
                purpose: `シングルサインオンで${client?.clientName ?? client?.clientId ?? ""}へ提供: ${released.map((c) => CLAIM_NAMES_JA[c]).join("、")}`,
                channel: "api",
                data: {
                  clientId: client?.clientId ?? null,
                  clientName: client?.clientName ?? null,
                  use,
                  claims: released,
                },
              }),
            );
          }
          return out as { sub: string };
        },
      };
    },
    renderError: async (ctx, out, error) => {
      const q = new URLSearchParams({
        error: String(out.error ?? "server_error"),
        ...(out.error_description ? { description: String(out.error_description) } : {}),
      });
      if ((error as OidcErrors.OIDCProviderError).status >= 500) console.error("[oidc]", error);
      ctx.status = 303;
      ctx.redirect(`${errorPath}?${q.toString()}`);
    },
  };

  const provider = new Provider(o.issuer, {
    ...configuration,
    // The sector identifier is registered in the console (a host); the library never fetches it.
    // (A v8 option its type definitions lack.)
    sectorIdentifierUriValidate: () => false,
  } as Configuration);
  provider.proxy = true;
  // The library answers a failure of its own as server_error without saying why: log it here.
  provider.on("server_error", (_ctx: unknown, err: unknown) => console.error("[oidc] server_error", err));

  // The token endpoint, per client address (as the forwarding route reports it).
  const tokenRule = o.tokenRateLimit === undefined ? { limit: 60, windowMs: 60_000 } : o.tokenRateLimit;
  provider.use(async (ctx, next) => {
    if (tokenRule && ctx.method === "POST" && ctx.path === "/token") {
      const hit = await hitRateLimit(prisma, { bucket: "oidc.token.ip", key: ctx.ip || "unknown", rule: tokenRule });
      if (!hit.allowed) {
        ctx.status = 429;
        ctx.set("Retry-After", String(hit.retryAfterSeconds));
        ctx.body = { error: "rate_limited", error_description: "Too many token requests; try again later." };
        return;
      }
    }
    await next();
    // Logging out through an RP ends the portal session too: the provider's session is only its shadow.
    if (ctx.path === "/session/end/confirm" && ctx.status === 303 && o.portalSessionCookies) {
      for (const name of o.portalSessionCookies) {
        ctx.cookies.set(name, null, { path: "/", signed: false, overwrite: true });
      }
    }
  });

  return { provider, keysFingerprint: fingerprint };
}

export function isProviderClaim(v: string): v is TOidcClaim {
  return isOidcClaim(v);
}

export type { KoaContextWithOIDC };

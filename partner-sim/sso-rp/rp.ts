/**
 * A demo relying party of ichimai's single sign-on: a small Node server that logs residents in
 * with openid-client (authorization code + PKCE, state and nonce checked, acr requested), shows
 * the pairwise subject and the claims it received, and logs out through the provider
 * (RP-initiated logout). One implementation, parameterised: the town library (asks for the name)
 * and the school system (asks only whether the resident is 18 or older). Sessions are kept in
 * memory; everything here is the RP's side, reached by ichimai only through the browser.
 */
import { randomBytes } from "node:crypto";
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import * as oc from "openid-client";

export type TDemoRpOptions = {
  /** "library" | "school": used in cookie names and test ids. */
  key: string;
  title: string;
  titleEn: string;
  /** The provider's issuer, e.g. http://localhost:3000/oidc. */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The claims (scopes) this RP asks for besides openid. */
  claims: string[];
  /** acr_values to request (the card login by default). */
  acrValues?: string;
  port: number;
  host?: string;
};

type TSession = {
  pending?: { state: string; nonce: string; verifier: string };
  login?: { sub: string; acr?: string; claims: Record<string, unknown>; idToken: string };
};

function esc(v: unknown): string {
  return String(v).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(o: TDemoRpOptions, body: string): string {
  return `<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(o.title)}</title><style>body{font-family:system-ui,"Noto Sans JP",sans-serif;max-width:44rem;margin:2rem auto;padding:0 1rem;line-height:1.7}
a.button{display:inline-block;padding:.6rem 1.2rem;border-radius:8px;background:#0031d8;color:#fff;text-decoration:none}
a.button:focus-visible{outline:3px solid #f5a623;outline-offset:2px}dt{font-weight:bold}code{word-break:break-all}</style></head>
<body><header><p>${esc(o.title)} <span lang="en">(${esc(o.titleEn)})</span> — 一枚の連携サービス（デモ）</p></header><main data-rp="${esc(o.key)}">${body}</main></body></html>`;
}

export type TDemoRp = { url: string; close(): Promise<void> };

export async function startDemoRp(o: TDemoRpOptions): Promise<TDemoRp> {
  const sessions = new Map<string, TSession>();
  const cookieName = `rp_${o.key}`;
  let base = "";
  let config: Promise<oc.Configuration> | undefined;
  // Discovery on first use: the portal may start after the RP.
  const getConfig = () => {
    config ??= oc
      .discovery(new URL(o.issuer), o.clientId, undefined, oc.ClientSecretBasic(o.clientSecret), {
        ...(o.issuer.startsWith("http://") ? { execute: [oc.allowInsecureRequests] } : {}),
      })
      .catch((e: unknown) => {
        config = undefined;
        throw e;
      });
    return config;
  };

  const sessionOf = (req: IncomingMessage, res: ServerResponse): TSession => {
    const m = (req.headers.cookie ?? "").match(new RegExp(`(?:^|;\\s*)${cookieName}=([A-Za-z0-9_-]+)`));
    let id = m?.[1];
    if (!id || !sessions.has(id)) {
      id = randomBytes(18).toString("base64url");
      sessions.set(id, {});
      res.setHeader("Set-Cookie", `${cookieName}=${id}; Path=/; HttpOnly; SameSite=Lax`);
    }
    return sessions.get(id)!;
  };
  const send = (res: ServerResponse, status: number, html: string) => {
    res.writeHead(status, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
    res.end(html);
  };
  const redirect = (res: ServerResponse, to: string) => {
    res.writeHead(303, { location: to, "cache-control": "no-store" });
    res.end();
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", base);
    const session = sessionOf(req, res);
    try {
      if (url.pathname === "/") {
        if (!session.login) {
          return send(
            res,
            200,
            page(
              o,
              `<h1>${esc(o.title)}</h1><p>マイナンバーカードの一枚でログインします。<span lang="en">Log in with ichimai (your My Number Card).</span></p>
<p><a class="button" href="/login" data-testid="rp-login">一枚でログイン / Log in with ichimai</a></p>`,
            ),
          );
        }
        const rows = Object.entries(session.login.claims)
          .map(
            ([k, v]) =>
              `<dt>${esc(k)}</dt><dd data-claim="${esc(k)}">${esc(typeof v === "object" ? JSON.stringify(v) : v)}</dd>`,
          )
          .join("");
        return send(
          res,
          200,
          page(
            o,
            `<h1>ログインしました <span lang="en">Logged in</span></h1>
<p>このサービスでのあなたの番号（pairwise subject）: <code data-testid="rp-sub">${esc(session.login.sub)}</code></p>
<p>ログインの方法（acr）: <code data-testid="rp-acr">${esc(session.login.acr ?? "")}</code></p>
<h2>受け取った情報 <span lang="en">Claims received</span></h2>
${rows ? `<dl data-testid="rp-claims">${rows}</dl>` : `<p data-testid="rp-claims-empty">なし / none</p>`}
<p><a class="button" href="/logout" data-testid="rp-logout">ログアウト / Log out</a></p>`,
          ),
        );
      }
      if (url.pathname === "/login") {
        const c = await getConfig();
        const pending = { state: oc.randomState(), nonce: oc.randomNonce(), verifier: oc.randomPKCECodeVerifier() };
        session.pending = pending;
        const to = oc.buildAuthorizationUrl(c, {
          redirect_uri: `${base}/callback`,
          scope: ["openid", ...o.claims].join(" "),
          code_challenge: await oc.calculatePKCECodeChallenge(pending.verifier),
          code_challenge_method: "S256",
          state: pending.state,
          nonce: pending.nonce,
          acr_values: o.acrValues ?? "urn:ichimai:acr:card",
        });
        return redirect(res, to.href);
      }
      if (url.pathname === "/callback") {
        const c = await getConfig();
        const pending = session.pending;
        session.pending = undefined;
        if (!pending) throw new Error("no login in progress (state missing): start again");
        const tokens = await oc.authorizationCodeGrant(c, url, {
          pkceCodeVerifier: pending.verifier,
          expectedState: pending.state,
          expectedNonce: pending.nonce,
          idTokenExpected: true,
        });
        const idClaims = tokens.claims()!;
        const {
          iss: _i,
          aud: _a,
          exp: _e,
          iat: _t,
          nonce: _n,
          at_hash: _h,
          sid: _s,
          amr: _m,
          sub,
          acr,
          auth_time: _at,
          ...claims
        } = idClaims;
        session.login = { sub, acr: acr as string | undefined, claims, idToken: tokens.id_token! };
        return redirect(res, "/");
      }
      if (url.pathname === "/logout") {
        const login = session.login;
        session.login = undefined;
        if (!login) return redirect(res, "/");
        const c = await getConfig();
        return redirect(
          res,
          oc.buildEndSessionUrl(c, { id_token_hint: login.idToken, post_logout_redirect_uri: `${base}/` }).href,
        );
      }
      return send(res, 404, page(o, "<h1>Not found</h1>"));
    } catch (e) {
      const err = e as { error?: string; error_description?: string; message?: string; cause?: unknown };
      // An unexpected answer of the provider: its status and the start of its body, to see why.
      let detail = "";
      if (err.cause instanceof Response) {
        detail = ` (HTTP ${err.cause.status}: ${(await err.cause.text().catch(() => "")).slice(0, 300)})`;
      } else if (err.cause && typeof err.cause === "object" && "message" in err.cause) {
        detail = ` (${String((err.cause as { message: unknown }).message)})`;
      }
      console.error(`[sso-rp ${o.key}] ${err.message ?? String(e)}${detail}`);
      return send(
        res,
        400,
        page(
          o,
          `<h1>ログインできませんでした <span lang="en">Login failed</span></h1>
<p data-testid="rp-error"><code>${esc(err.error ?? "error")}</code> ${esc(err.error_description ?? err.message ?? "")}${esc(detail)}</p>
<p><a href="/">戻る / Back</a></p>`,
        ),
      );
    }
  };

  const server = http.createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(o.port, o.host ?? "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  base = `http://${o.host ?? "127.0.0.1"}:${port}`;
  return { url: base, close: () => new Promise<void>((r) => server.close(() => r())) };
}

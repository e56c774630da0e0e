/**
 * next-auth v4 options (docs/stack.md#nextjs-and-next-auth): credentials providers for residents ("card", "cross-device",
 * "passkey") that verify a card login (lib/auth/verify-card-login.ts) and a JWT session that carries
 * the resident id, the assurance level and the time of the card authentication; and "partner",
 * the e-mail + password login of partner staff for the partner console (the JWT then carries
 * the partner user id and no resident id).
 */
import { cookies } from "next/headers";
import type { NextAuthOptions } from "next-auth";
import { decode, encode } from "next-auth/jwt";
import CredentialsProvider from "next-auth/providers/credentials";
import { readCookie } from "@/lib/auth/binding-cookie";
import { getCardLoginContext } from "@/lib/auth/card-login-context";
import { completeCrossDeviceLogin } from "@/lib/auth/cross-device-login";
import { getDb } from "@/lib/db/client";
import { loginPartnerUser } from "@/lib/partners/partner-user-login";
import { verifyCardLogin } from "@/lib/auth/verify-card-login";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors/app-error";
import { requestMetadataOf } from "@/lib/http/request-metadata";
import { logServerError } from "@/lib/log/logger";

/** How the session was authenticated: a JPKI card (strong) or a passkey (low-risk re-entry only). */
export type TAssurance = "card" | "passkey";

declare module "next-auth" {
  interface User {
    /** Absent for a partner console user. */
    residentId?: string;
    assurance?: TAssurance;
    /** Epoch milliseconds of the card (or passkey, or partner password) authentication. */
    authTime: number;
    /** Set (instead of residentId) for a partner console user. */
    partnerUserId?: string;
    /** "tv": the card login was made on the TV (/tv, a set-top box); absent: the web. */
    channel?: "tv";
    /** With partnerUserId: PartnerUser.sessionVersion at sign-in (requirePartner compares it). */
    partnerSessionVersion?: number;
  }
  interface Session {
    residentId: string;
    assurance: TAssurance;
    authTime: number;
    partnerUserId?: string;
    partnerSessionVersion?: number;
    channel?: "tv";
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    residentId?: string;
    assurance?: TAssurance;
    authTime?: number;
    partnerUserId?: string;
    partnerSessionVersion?: number;
    channel?: "tv";
  }
}

// Fixed development secret: only used when NODE_ENV is not production and none is configured,
// so that `npm run dev` works with no setup. Production refuses to start without one.
const DEV_SECRET = "ichimai-dev-only-nextauth-secret-not-for-production";

function secret(): string {
  const config = env();
  if (config.NEXTAUTH_SECRET) return config.NEXTAUTH_SECRET;
  if (config.NODE_ENV === "production") {
    throw new AppError("INTERNAL", { message: "NEXTAUTH_SECRET must be set in production." });
  }
  return DEV_SECRET;
}

// next-auth builds its callback URLs from NEXTAUTH_URL; PORTAL_ORIGIN is our one setting for it.
process.env.NEXTAUTH_URL ??= env().PORTAL_ORIGIN;

/** Session life: 8 hours; pages with personal data also check `authTime` (step-up). */
const SESSION_MAX_AGE_S = 8 * 3600;

// next-auth's own default (secure cookies when its URL is https), pinned here because
// reissuePartnerSession writes the same cookie and must agree on its name and flags.
const SECURE_COOKIES = (process.env.NEXTAUTH_URL ?? "").startsWith("https://");
const SESSION_COOKIE = `${SECURE_COOKIES ? "__Secure-" : ""}next-auth.session-token`;

function headerValue(headers: Record<string, unknown> | undefined, name: string): string | undefined {
  const v = headers?.[name];
  return typeof v === "string" ? v : undefined;
}

type TSignInRequest = { binding?: string; origin?: string; ip?: string; userAgent?: string };
type TSignedIn =
  | { residentId: string; displayName: string; assurance: TAssurance; authTime: number; channel?: "tv" }
  | { partnerUserId: string; partnerSessionVersion: number; displayName: string; authTime: number };

/**
 * Runs one provider's check with what every provider needs from the request (the browser-binding
 * cookie, origin, client address, user agent) and turns the result into next-auth's user. An
 * AppError becomes its stable code, which next-auth puts into `?error=` and the login page maps
 * to a screen.
 */
async function signInWith(
  req: { headers?: unknown },
  check: (ctx: Awaited<ReturnType<typeof getCardLoginContext>>, r: TSignInRequest) => Promise<TSignedIn>,
) {
  const headers = req.headers as Record<string, unknown> | undefined;
  const ctx = await getCardLoginContext();
  try {
    // next-auth hands over the headers as a plain record (lower-case names).
    const { ip, userAgent } = requestMetadataOf({ get: (name) => headerValue(headers, name) ?? null });
    const done = await check(ctx, {
      binding: readCookie(headerValue(headers, "cookie"), ctx.bindingCookieName),
      origin: headerValue(headers, "origin"),
      ip,
      userAgent,
    });
    return { id: "residentId" in done ? done.residentId : done.partnerUserId, name: done.displayName, ...done };
  } catch (e) {
    if (e instanceof AppError) throw new Error(e.code);
    // next-auth turns any other error into ?error=<message> without logging it.
    logServerError("auth/sign-in", 500, e);
    throw e;
  }
}

export const authOptions: NextAuthOptions = {
  // A getter, so that `next build` (NODE_ENV=production, no secret) can import this module;
  // the check runs on the first request instead.
  get secret() {
    return secret();
  },
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_S },
  useSecureCookies: SECURE_COOKIES,
  pages: { signIn: "/login", error: "/login" },
  providers: [
    CredentialsProvider({
      id: "card",
      name: "My Number Card",
      // channel "tv": the login page of the TV (/tv); it is audited (and counted) as channel tv.
      credentials: { token: { type: "text" }, nonce: { type: "text" }, channel: { type: "text" } },
      authorize: (credentials, req) =>
        signInWith(req, async (ctx, r) => {
          const tv = credentials?.channel === "tv";
          const result = await verifyCardLogin(ctx, {
            channel: tv ? "tv" : "pc",
            token: credentials?.token,
            nonce: credentials?.nonce,
            binding: r.binding,
            requestOrigin: r.origin,
            ip: r.ip,
            userAgent: r.userAgent,
          });
          return {
            residentId: result.residentId,
            displayName: result.displayName,
            assurance: "card",
            authTime: Date.now(),
            ...(tv ? { channel: "tv" as const } : {}),
          };
        }),
    }),
    // QR cross-device login: the PC takes the approval a phone gave after its own card login.
    // The assurance is "card" with the phone's approval time as the authentication time.
    CredentialsProvider({
      id: "cross-device",
      name: "My Number Card on a smartphone",
      credentials: { code: { type: "text" } },
      authorize: (credentials, req) =>
        signInWith(req, async (ctx, r) => {
          if (r.origin && r.origin !== new URL(ctx.portalOrigin).origin) throw new AppError("ORIGIN_MISMATCH");
          const done = await completeCrossDeviceLogin(await getDb(), {
            code: String(credentials?.code ?? ""),
            binding: r.binding,
            ip: r.ip,
            userAgent: r.userAgent,
          });
          return {
            residentId: done.residentId,
            displayName: done.displayName,
            assurance: "card",
            authTime: done.approvedAt.getTime(),
          };
        }),
    }),
    // Passkey (WebAuthn): low-risk re-entry only; the session's assurance is "passkey".
    CredentialsProvider({
      id: "passkey",
      name: "Passkey",
      credentials: { response: { type: "text" } },
      authorize: (credentials, req) =>
        signInWith(req, async (ctx, r) => {
          let response: unknown;
          try {
            response = JSON.parse(String(credentials?.response ?? ""));
          } catch (cause) {
            throw new AppError("BAD_JSON", { cause });
          }
          // Loaded on use, so the card providers never depend on the WebAuthn stack.
          const { finishPasskeyLogin } = await import("@/lib/auth/passkey");
          const done = await finishPasskeyLogin(await getDb(), {
            origin: ctx.portalOrigin,
            binding: r.binding,
            response,
            ip: r.ip,
            userAgent: r.userAgent,
          });
          return {
            residentId: done.residentId,
            displayName: done.displayName,
            assurance: "passkey",
            authTime: Date.now(),
          };
        }),
    }),
    // Partner console staff: e-mail + password (lib/partners/partner-user-login.ts). Not a
    // resident login: the session carries only the partner user id.
    CredentialsProvider({
      id: "partner",
      name: "Partner console",
      credentials: { email: { type: "email" }, password: { type: "password" } },
      authorize: (credentials, req) =>
        signInWith(req, async (_ctx, r) => {
          const done = await loginPartnerUser(await getDb(), {
            email: String(credentials?.email ?? ""),
            password: String(credentials?.password ?? ""),
            requestMetadata: { ...(r.ip ? { ip: r.ip } : {}), ...(r.userAgent ? { userAgent: r.userAgent } : {}) },
          });
          return {
            partnerUserId: done.partnerUserId,
            partnerSessionVersion: done.sessionVersion,
            displayName: done.displayName,
            authTime: Date.now(),
          };
        }),
    }),
  ],
  callbacks: {
    async jwt({ token, user }) {
      if (user) {
        // A new sign-in replaces whoever was signed in before (resident or partner user).
        token.residentId = user.residentId;
        token.assurance = user.assurance;
        token.authTime = user.authTime;
        token.partnerUserId = user.partnerUserId;
        token.partnerSessionVersion = user.partnerSessionVersion;
        token.channel = user.channel;
      }
      return token;
    },
    async session({ session, token }) {
      if (token.partnerUserId) {
        session.partnerUserId = token.partnerUserId;
        // A session from before sessionVersion existed carries none: version 0, the column's default.
        session.partnerSessionVersion = token.partnerSessionVersion ?? 0;
      }
      if (token.residentId) session.residentId = token.residentId;
      if (token.assurance) session.assurance = token.assurance;
      if (token.authTime) session.authTime = token.authTime;
      if (token.channel) session.channel = token.channel;
      return session;
    },
  },
};

/**
 * Re-issues the current browser's partner session cookie with a new PartnerUser.sessionVersion,
 * in a server action, right after a password change raised it: every other session of the user
 * still carries the old version and ends on its next request (requirePartner), this one stays
 * logged in. Only the session of `partnerUserId` is re-issued; false when the cookie is missing,
 * unreadable or another user's (or split into chunks, which a session this small never is), and
 * the browser then simply has to log in again. Not next-auth's client `update()`: its jwt
 * callback would have to read the current sessionVersion for any session that asks, so a stale
 * (stolen) session could refresh itself; here only the action that just changed the password
 * writes the new version.
 */
export async function reissuePartnerSession(partnerUserId: string, sessionVersion: number): Promise<boolean> {
  const jar = await cookies();
  const raw = jar.get(SESSION_COOKIE)?.value;
  if (!raw) return false;
  const token = await decode({ token: raw, secret: secret() }).catch(() => null);
  if (!token || token.partnerUserId !== partnerUserId) return false;
  // iat, exp and jti are set afresh by encode, as next-auth does when it refreshes a session.
  const { iat: _iat, exp: _exp, jti: _jti, ...claims } = token;
  const value = await encode({
    token: { ...claims, partnerSessionVersion: sessionVersion },
    secret: secret(),
    maxAge: SESSION_MAX_AGE_S,
  });
  jar.set(SESSION_COOKIE, value, {
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    secure: SECURE_COOKIES,
    expires: new Date(Date.now() + SESSION_MAX_AGE_S * 1000),
  });
  return true;
}

/** The cookies that hold the portal session (cleared when the resident logs out through a relying party). */
export const SESSION_COOKIE_NAMES: readonly string[] = [SESSION_COOKIE];

/**
 * The resident session carried by a raw Cookie header, or null: for the OpenID Provider, whose
 * requests reach it forwarded (app/oidc/[...path]) and whose own session must follow the
 * portal's. Only the resident id, assurance and time; the caller checks the registry.
 */
export async function residentSessionOfCookieHeader(
  cookieHeader: string | undefined,
): Promise<{ residentId: string; assurance: TAssurance; authTime: number } | null> {
  const raw = readCookie(cookieHeader, SESSION_COOKIE);
  if (!raw) return null;
  const token = await decode({ token: raw, secret: secret() }).catch(() => null);
  if (!token?.residentId) return null;
  return { residentId: token.residentId, assurance: token.assurance ?? "card", authTime: token.authTime ?? 0 };
}

/**
 * Ends this browser's session from a plain form post (the TV's 「ログアウト」, which has no
 * JavaScript to call next-auth's client signOut): deletes the session cookie, which is all
 * next-auth's own sign-out does for a JWT session (no signOut event is configured).
 */
export async function endSession(): Promise<void> {
  (await cookies()).delete({
    name: SESSION_COOKIE,
    path: "/",
    secure: SECURE_COOKIES,
    httpOnly: true,
    sameSite: "lax",
  });
}

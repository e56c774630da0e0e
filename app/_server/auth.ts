/**
 * next-auth v4 options (STACK.md §7): one credentials provider, id "card", that verifies a
 * Web eID-style card-login token (lib/auth/verify-card-login.ts) and a JWT session that carries
 * the resident id, the assurance level and the time of the card authentication.
 */
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { readCookie } from "@/lib/auth/binding-cookie";
import { getCardLoginContext } from "@/lib/auth/card-login-context";
import { completeCrossDeviceLogin } from "@/lib/auth/cross-device-login";
import { getDb } from "@/lib/db/client";
import { verifyCardLogin } from "@/lib/auth/verify-card-login";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors/app-error";

/** How the session was authenticated: a JPKI card (strong) or a passkey (low-risk re-entry only). */
export type TAssurance = "card" | "passkey";

declare module "next-auth" {
  interface User {
    residentId: string;
    assurance: TAssurance;
    /** Epoch milliseconds of the card (or passkey) authentication. */
    authTime: number;
  }
  interface Session {
    residentId: string;
    assurance: TAssurance;
    authTime: number;
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    residentId?: string;
    assurance?: TAssurance;
    authTime?: number;
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

function headerValue(headers: Record<string, unknown> | undefined, name: string): string | undefined {
  const v = headers?.[name];
  return typeof v === "string" ? v : undefined;
}

export const authOptions: NextAuthOptions = {
  // A getter, so that `next build` (NODE_ENV=production, no secret) can import this module;
  // the check runs on the first request instead.
  get secret() {
    return secret();
  },
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_S },
  pages: { signIn: "/login", error: "/login" },
  providers: [
    CredentialsProvider({
      id: "card",
      name: "My Number Card",
      credentials: { token: { type: "text" }, nonce: { type: "text" } },
      async authorize(credentials, req) {
        const headers = req.headers as Record<string, unknown> | undefined;
        const ctx = await getCardLoginContext();
        try {
          const result = await verifyCardLogin(ctx, {
            token: credentials?.token,
            nonce: credentials?.nonce,
            binding: readCookie(headerValue(headers, "cookie"), ctx.bindingCookieName),
            requestOrigin: headerValue(headers, "origin"),
            ip: headerValue(headers, "x-forwarded-for")?.split(",")[0]?.trim(),
            userAgent: headerValue(headers, "user-agent"),
          });
          return {
            id: result.residentId,
            name: result.displayName,
            residentId: result.residentId,
            assurance: "card",
            authTime: Date.now(),
          };
        } catch (e) {
          // next-auth puts the message into `?error=`; the login page maps the stable code to a screen.
          if (e instanceof AppError) throw new Error(e.code);
          throw e;
        }
      },
    }),
    // QR cross-device login: the PC takes the approval a phone gave after its own card login.
    // The assurance is "card" with the phone's approval time as the authentication time.
    CredentialsProvider({
      id: "cross-device",
      name: "My Number Card on a smartphone",
      credentials: { code: { type: "text" } },
      async authorize(credentials, req) {
        const headers = req.headers as Record<string, unknown> | undefined;
        const ctx = await getCardLoginContext();
        try {
          const origin = headerValue(headers, "origin");
          if (origin && origin !== new URL(ctx.portalOrigin).origin) throw new AppError("ORIGIN_MISMATCH");
          const done = await completeCrossDeviceLogin(await getDb(), {
            code: String(credentials?.code ?? ""),
            binding: readCookie(headerValue(headers, "cookie"), ctx.bindingCookieName),
            ip: headerValue(headers, "x-forwarded-for")?.split(",")[0]?.trim(),
            userAgent: headerValue(headers, "user-agent"),
          });
          return {
            id: done.residentId,
            name: done.displayName,
            residentId: done.residentId,
            assurance: "card",
            authTime: done.approvedAt.getTime(),
          };
        } catch (e) {
          if (e instanceof AppError) throw new Error(e.code);
          throw e;
        }
      },
    }),
    // Passkey (WebAuthn): low-risk re-entry only; the session's assurance is "passkey".
    CredentialsProvider({
      id: "passkey",
      name: "Passkey",
      credentials: { response: { type: "text" } },
      async authorize(credentials, req) {
        const headers = req.headers as Record<string, unknown> | undefined;
        const ctx = await getCardLoginContext();
        try {
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
            binding: readCookie(headerValue(headers, "cookie"), ctx.bindingCookieName),
            response,
            ip: headerValue(headers, "x-forwarded-for")?.split(",")[0]?.trim(),
            userAgent: headerValue(headers, "user-agent"),
          });
          return {
            id: done.residentId,
            name: done.displayName,
            residentId: done.residentId,
            assurance: "passkey",
            authTime: Date.now(),
          };
        } catch (e) {
          if (e instanceof AppError) throw new Error(e.code);
          throw e;
        }
      },
    }),
  ],
  callbacks: {
    async jwt({ token, user }) {
      if (user) {
        token.residentId = user.residentId;
        token.assurance = user.assurance;
        token.authTime = user.authTime;
      }
      return token;
    },
    async session({ session, token }) {
      if (token.residentId) session.residentId = token.residentId;
      if (token.assurance) session.assurance = token.assurance;
      if (token.authTime) session.authTime = token.authTime;
      return session;
    },
  },
};

import { cookies } from "next/headers";
import { type NextRequest, NextResponse } from "next/server";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors/app-error";
import type { TRequestMetadata } from "@/lib/audit/schemas";
import { requestMetadataOf } from "@/lib/http/request-metadata";
import { assertSafeJson } from "@/lib/http/safe-text";
import { getPlatformContext } from "@/lib/platform/get-platform-context";
import type { TPlatformContext } from "@/lib/platform/platform-context";
import {
  authenticateTerminalDevice,
  type TTerminalDevice,
} from "@/lib/platform/terminals/authenticate-terminal-device";
import { TERMINAL_CHALLENGE_TTL_MS } from "@/lib/platform/eligibility/issue-terminal-challenge";
import { pageContext, type TPageContext } from "./page-context";
import { guardedRoute } from "./route";

/**
 * Cookies of a partner kiosk (lib/platform/terminals). The device token is the device credential
 * of its partner, set once at enrolment: HttpOnly (page scripts never see it), SameSite=Strict,
 * `__Host-` on https. The tap cookie holds the terminal binding secret of the challenge in
 * progress, only for /api/terminal and only as long as a challenge lives.
 */
function secure(): boolean {
  return env().PORTAL_ORIGIN.startsWith("https:");
}
export function terminalDeviceCookieName(): string {
  return secure() ? "__Host-ichimai-terminal" : "ichimai-terminal";
}
export const TERMINAL_TAP_COOKIE = "ichimai-terminal-tap";

export function setTerminalDeviceCookie(res: NextResponse, token: string): NextResponse {
  res.cookies.set(terminalDeviceCookieName(), token, {
    httpOnly: true,
    sameSite: "strict",
    secure: secure(),
    path: "/",
    maxAge: 365 * 24 * 3600,
  });
  return res;
}

export function setTerminalTapCookie(res: NextResponse, binding: string): NextResponse {
  res.cookies.set(TERMINAL_TAP_COOKIE, binding, {
    httpOnly: true,
    sameSite: "strict",
    secure: secure(),
    path: "/api/terminal",
    maxAge: Math.floor(TERMINAL_CHALLENGE_TTL_MS / 1000),
  });
  return res;
}

/**
 * Cookie-authenticated POSTs must come from the portal's own pages (CSRF): the browser's Origin
 * header must be the portal origin.
 */
export function requireSameOrigin(request: NextRequest): void {
  const origin = request.headers.get("origin");
  if (origin !== new URL(env().PORTAL_ORIGIN).origin) {
    throw new AppError("FORBIDDEN", { message: "Terminal requests must come from the portal's own pages." });
  }
}

/** The kiosk's device (TERMINAL_NOT_ENROLLED / TERMINAL_DISABLED otherwise) and the platform. */
export async function terminalDeviceOf(
  cookieValue: string | undefined,
): Promise<{ device: TTerminalDevice; ctx: TPlatformContext }> {
  const ctx = await getPlatformContext();
  const device = await authenticateTerminalDevice(ctx.prisma, { token: cookieValue });
  return { device, ctx };
}

/** Why a kiosk may not check cards: never enrolled (or its cookie is gone), or its device was disabled. */
export type TTerminalRefusal = "TERMINAL_NOT_ENROLLED" | "TERMINAL_DISABLED";

/**
 * A kiosk page (/terminal/…): the device from its HttpOnly cookie, or why there is none (the
 * page then offers enrolment); any other error is thrown.
 */
export async function terminalPage(
  namespace?: string,
): Promise<TPageContext & ({ device: TTerminalDevice; refused: null } | { device: null; refused: TTerminalRefusal })> {
  const page = await pageContext(namespace);
  try {
    const { device } = await terminalDeviceOf((await cookies()).get(terminalDeviceCookieName())?.value);
    return { ...page, device, refused: null };
  } catch (e) {
    if (e instanceof AppError && (e.code === "TERMINAL_NOT_ENROLLED" || e.code === "TERMINAL_DISABLED")) {
      return { ...page, device: null, refused: e.code };
    }
    throw e;
  }
}

/**
 * An enrolled kiosk's route (/api/terminal): a same-origin POST (CSRF) carrying the device
 * cookie (TERMINAL_NOT_ENROLLED / TERMINAL_DISABLED otherwise); errors are JSON and never cached.
 */
export function terminalRoute(
  handler: (request: NextRequest, t: { device: TTerminalDevice; ctx: TPlatformContext }) => Promise<Response>,
  options: { logLabel?: string } = {},
): (request: NextRequest) => Promise<Response> {
  return guardedRoute(
    async (request: NextRequest) => {
      requireSameOrigin(request);
      const t = await terminalDeviceOf(request.cookies.get(terminalDeviceCookieName())?.value);
      return handler(request, t);
    },
    { errorHeaders: { "Cache-Control": "no-store" }, ...options },
  );
}

/**
 * A kiosk's JSON body: at most `maxBytes` (PAYLOAD_TOO_LARGE), valid JSON (BAD_JSON) and safe text
 * everywhere (TEXT_CHARACTER_FORBIDDEN naming the field).
 */
export async function readTerminalJson(
  request: Request,
  { maxBytes = 32 * 1024 }: { maxBytes?: number } = {},
): Promise<unknown> {
  const text = await request.text();
  if (text.length > maxBytes) throw new AppError("PAYLOAD_TOO_LARGE", { details: { maxBytes } });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new AppError("BAD_JSON", { cause });
  }
  assertSafeJson(json);
  return json;
}

/** What a kiosk POST after a card tap hands its service: the device, its JSON body and the tap's binding. */
export type TTerminalPost = {
  device: TTerminalDevice;
  ctx: TPlatformContext;
  body: unknown;
  /** The terminal binding secret of the challenge in progress (HttpOnly tap cookie). */
  terminalBinding: string | undefined;
  requestMetadata: TRequestMetadata;
};

/**
 * A kiosk POST that answers a card tap (terminalRoute + readTerminalJson + the tap cookie's
 * binding + request metadata), e.g. /api/terminal/checks, the hospital reception, the bus ride.
 */
export function terminalPostRoute(
  handler: (post: TTerminalPost, request: NextRequest) => Promise<Response>,
  options: { logLabel?: string; maxBytes?: number } = {},
): (request: NextRequest) => Promise<Response> {
  const { maxBytes, ...routeOptions } = options;
  return terminalRoute(async (request, { device, ctx }) => {
    const body = await readTerminalJson(request, { maxBytes });
    return handler(
      {
        device,
        ctx,
        body,
        terminalBinding: request.cookies.get(TERMINAL_TAP_COOKIE)?.value,
        requestMetadata: requestMetadataOf(request.headers),
      },
      request,
    );
  }, routeOptions);
}

/** A kiosk's JSON answer: never cached. */
export function noStoreJson(body: unknown, status = 200): NextResponse {
  return NextResponse.json(body, { status, headers: { "Cache-Control": "no-store" } });
}

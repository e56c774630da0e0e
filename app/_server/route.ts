/**
 * The audience wrappers of route handlers (route.ts). Each resolves who is calling — the
 * signed-in resident (session cookie), an enrolled kiosk (device cookie: terminalRoute in
 * terminal-device.ts), or nobody yet (a login step) — runs the handler and turns whatever it throws into the audience's JSON error
 * (toErrorResponse: an AppError's status and code, a zod failure as VALIDATION_FAILED, else
 * INTERNAL). The partner API's wrapper is withPartner (app/_server/partner-api.ts).
 *
 * {@link guardedRoute} is the one try/catch they share, and where each request gets its request
 * id (lib/log: on every log line, answered in x-request-id); every 5xx is logged there.
 */
import { AppError, toErrorResponse } from "@/lib/errors/app-error";
import { logServerError } from "@/lib/log/logger";
import { withRequestId } from "@/lib/log/request-context";
import { loginErrorResponse } from "./login-request";
import { requestMetadataOf } from "@/lib/http/request-metadata";
import type { TRequestMetadata } from "@/lib/audit/schemas";
import { residentRequest, type TResidentRequest } from "./request-context";
import { requireStaff, type TStaffSession } from "./session";

type THandler<TReq extends Request, TArgs extends unknown[]> = (request: TReq, ...args: TArgs) => Promise<Response>;

type TGuardedRouteOptions<TReq extends Request = Request> = {
  /** Headers of every error response (e.g. Cache-Control: no-store). */
  errorHeaders?: Record<string, string>;
  /** The component server errors (5xx) are logged under (default "route"). */
  logLabel?: string;
  /** Turns the error into the response instead of the JSON error (e.g. a redirect back to a form). */
  onError?: (err: unknown, request: TReq) => Response;
};

/** A route handler whose errors become the JSON error of toErrorResponse (or `onError`'s response). */
export function guardedRoute<TReq extends Request, TArgs extends unknown[]>(
  handler: THandler<TReq, TArgs>,
  options: TGuardedRouteOptions<TReq> = {},
): THandler<TReq, TArgs> {
  return (request, ...args) =>
    withRequestId(request, async () => {
      try {
        return await handler(request, ...args);
      } catch (err) {
        // The client went away mid-request (closed tab, cancelled fetch): no server error to log,
        // and nobody to answer; 499 ("client closed request") for the access log.
        if (isClientAbort(request, err)) return new Response(null, { status: 499 });
        const { status, body } = toErrorResponse(err);
        logServerError(options.logLabel ?? "route", status, err);
        if (options.onError) return options.onError(err, request);
        return Response.json(body, { status, ...(options.errorHeaders ? { headers: options.errorHeaders } : {}) });
      }
    });
}

/**
 * Whether `err` is the request's own abort: its signal fired, or reading its body failed because
 * the client reset the connection (Node's request stream: code ECONNRESET, message "aborted" — not
 * a database socket's "read ECONNRESET", which is a server error).
 */
export function isClientAbort(request: Request, err: unknown): boolean {
  if (request.signal?.aborted) return true;
  const e = err as { code?: unknown; message?: unknown } | null;
  return typeof e === "object" && e !== null && e.code === "ECONNRESET" && e.message === "aborted";
}

/**
 * A resident's route (downloads, exports, passkey registration): UNAUTHENTICATED (401) without a
 * signed-in resident, or with `stepUp` without a card login within STEP_UP_MAX_AGE_MS; `message`
 * is that refusal's message.
 */
export function residentRoute<TReq extends Request, TParams extends object = object>(
  handler: (request: TReq, r: TResidentRequest & { params: TParams }) => Promise<Response>,
  options: { stepUp?: boolean; message?: string } = {},
): (request: TReq, route: { params: Promise<TParams> }) => Promise<Response> {
  return guardedRoute(async (request: TReq, route: { params: Promise<TParams> }) => {
    const r = await residentRequest(options.stepUp ?? false);
    if (!r) throw new AppError("UNAUTHENTICATED", options.message ? { message: options.message } : {});
    // Next gives no params to a route without dynamic segments.
    return handler(request, { ...r, params: ((await route?.params) ?? {}) as TParams });
  });
}

/** A login step (nobody signed in yet): errors as loginErrorResponse (no-store, Retry-After on RATE_LIMITED). */
export function loginRoute<TReq extends Request>(handler: (request: TReq) => Promise<Response>) {
  return guardedRoute(handler, { onError: loginErrorResponse, logLabel: "auth/card-login" });
}

/**
 * A staff member's route (console downloads): UNAUTHENTICATED (401) without a staff session,
 * FORBIDDEN (403) without one of `roles`; lib checks what it must again.
 */
export function staffRoute<TReq extends Request>(
  handler: (request: TReq, s: { staff: TStaffSession; requestMetadata: TRequestMetadata }) => Promise<Response>,
  options: { roles?: readonly string[] } = {},
): (request: TReq) => Promise<Response> {
  return guardedRoute(async (request: TReq) => {
    const staff = await requireStaff();
    if (!staff) throw new AppError("UNAUTHENTICATED");
    if (options.roles && !staff.roles.some((r) => options.roles?.includes(r))) throw new AppError("FORBIDDEN");
    return handler(request, { staff, requestMetadata: requestMetadataOf(request.headers) });
  });
}

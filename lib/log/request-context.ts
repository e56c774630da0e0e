/**
 * The request context: an AsyncLocalStorage that carries the request id through everything a
 * request runs, so that every log line inside it has `reqId` (logger.ts adds it).
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";

export type TRequestContext = { requestId: string };

const storage = new AsyncLocalStorage<TRequestContext>();

/** Runs `fn` with `context` as the current request context. */
export function runWithRequestContext<T>(context: TRequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

/** The request id of the current context, if any. */
export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}

/**
 * `fn` bound to the current request context: for work resumed later from outside it (a response
 * stream pulled by the server, a timer), so that its lines keep the request's `reqId`.
 */
export function bindRequestContext<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
  const context = storage.getStore();
  return context ? (...args) => storage.run(context, () => fn(...args)) : fn;
}

/** The request-id header, read from the client or proxy and answered on the response. */
export const REQUEST_ID_HEADER = "x-request-id";

/** An incoming id is reused only if it is this harmless shape (no spaces, quotes or control characters). */
const WELL_FORMED = /^[A-Za-z0-9._-]{8,128}$/;

/** The id of this request: a well-formed incoming `x-request-id`, else a new random UUID. */
export function requestIdOf(request: Request): string {
  const incoming = request.headers.get(REQUEST_ID_HEADER)?.trim();
  return incoming && WELL_FORMED.test(incoming) ? incoming : randomUUID();
}

/**
 * Runs a route handler in a request context and answers with `x-request-id`. The one line a
 * route wrapper adds: `return withRequestId(request, () => handle(request))`.
 */
export async function withRequestId(request: Request, handle: () => Promise<Response>): Promise<Response> {
  const requestId = requestIdOf(request);
  const response = await runWithRequestContext({ requestId }, handle);
  try {
    response.headers.set(REQUEST_ID_HEADER, requestId);
    return response;
  } catch {
    // Immutable headers (Response.redirect, a fetched response): answer with a copy.
    const copy = new Response(response.body, response);
    copy.headers.set(REQUEST_ID_HEADER, requestId);
    return copy;
  }
}

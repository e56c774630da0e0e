import type { TRequestMetadata } from "@/lib/audit/schemas";
import type { PrismaClient } from "@/lib/db/client";
import { AppError, toErrorResponse } from "@/lib/errors/app-error";
import { requestMetadataOf } from "@/lib/http/request-metadata";
import { createLog, errorFields } from "@/lib/log/logger";
import { withRequestId } from "@/lib/log/request-context";
import { recordApiRequest } from "@/lib/partners/api-usage";
import type { TApiScope } from "@/lib/partners/scopes";
import { type TVerifiedPartnerCredential, verifyPartnerCredential } from "@/lib/partners/verify-partner-credential";

/** What every /api/v1 handler gets from its environment (the app binds real ones; tests their own). */
export type TApiDeps = {
  getPrisma: () => Promise<PrismaClient>;
  getTrustAnchors: () => Promise<Uint8Array[]>;
  /** CRLs of the issuer roots (getIssuerCrls); without it issuer revocation is not checked. */
  getIssuerCrls?: () => Promise<Uint8Array[]>;
  now?: () => Date;
};

export type TPartnerContext = {
  credential: TVerifiedPartnerCredential;
  prisma: PrismaClient;
  requestMetadata: TRequestMetadata;
  now: Date;
};

const log = createLog("api/v1");

/** The realm of the partner API's HTTP Basic authentication (RFC 7617). */
export const REALM = "ichimai partner API";

/**
 * `Authorization: Basic base64(client_id:client_secret)` (RFC 7617 §2). The client id never
 * contains a colon, so the first colon splits id and secret.
 */
export function parseBasicAuth(header: string | null): { clientId: string; clientSecret: string } {
  const m = header ? /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header) : null;
  if (!m) throw new AppError("UNAUTHENTICATED", { message: "Use HTTP Basic with your client id and secret." });
  const decoded = Buffer.from(m[1]!, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon <= 0) throw new AppError("UNAUTHENTICATED", { message: "Malformed Basic credentials." });
  return { clientId: decoded.slice(0, colon), clientSecret: decoded.slice(colon + 1) };
}

/** The one place that turns an error into the API's JSON error (convention 13, docs/architecture.md#conventions). */
export function errorResponse(err: unknown): Response {
  const { status, body } = toErrorResponse(err);
  if (status >= 500) log.error(errorFields(err), "partner API request failed");
  const headers: Record<string, string> = {};
  if (status === 401) headers["WWW-Authenticate"] = `Basic realm="${REALM}", charset="UTF-8"`;
  if (err instanceof AppError && err.code === "RATE_LIMITED") {
    headers["Retry-After"] = String((err.details as { retryAfterSeconds?: number })?.retryAfterSeconds ?? 60);
  }
  return Response.json(body, { status, headers });
}

/**
 * The partner audience wrapper (convention 5, docs/architecture.md#conventions): authenticates the credential, enforces `scope` and
 * the credential's rate limit, and maps every thrown error to the standard JSON error.
 */
export function withPartner<TArgs extends unknown[]>(
  scope: TApiScope,
  deps: TApiDeps,
  handler: (request: Request, ctx: TPartnerContext, ...args: TArgs) => Promise<Response>,
): (request: Request, ...args: TArgs) => Promise<Response> {
  const handle = async (request: Request, ...args: TArgs): Promise<Response> => {
    try {
      const { clientId, clientSecret } = parseBasicAuth(request.headers.get("authorization"));
      const prisma = await deps.getPrisma();
      const now = deps.now?.() ?? new Date();
      const credential = await verifyPartnerCredential(prisma, { clientId, clientSecret, requiredScope: scope, now });
      partnerOfRequest.set(request, credential.partnerId);
      // Shared PostgreSQL counter (lib/partners/api-usage.ts): the rate limit and the usage log.
      await recordApiRequest(prisma, {
        credentialId: credential.credentialId,
        limitPerMinute: credential.rateLimit,
        now,
      });
      return await handler(
        request,
        { credential, prisma, requestMetadata: requestMetadataOf(request.headers), now },
        ...args,
      );
    } catch (err) {
      return errorResponse(err);
    }
  };
  return (request, ...args) => withRequestId(request, () => logged(request, scope, () => handle(request, ...args)));
}

/** The authenticated partner of a request in flight, for its log line. */
const partnerOfRequest = new WeakMap<Request, string>();

/** One line per partner API request: operation, partner, status and duration (never the body). */
async function logged(request: Request, scope: TApiScope, handle: () => Promise<Response>): Promise<Response> {
  const started = performance.now();
  const response = await handle();
  log.info(
    {
      operation: `${request.method} ${new URL(request.url).pathname}`,
      scope,
      partnerId: partnerOfRequest.get(request),
      status: response.status,
      durationMs: Math.round(performance.now() - started),
    },
    "partner API request",
  );
  return response;
}

/**
 * Open311 GeoReport v2 (https://wiki.open311.org/GeoReport_v2) over lib/reports: JSON only (the
 * specification's XML format is not offered; a `.xml` path answers 404). Errors are the
 * specification's array of `{ code, description }` with the HTTP status as `code`; the description
 * starts with ichimai's stable error code (e.g. `REPORT_LOCATION_OUTSIDE: …`).
 *
 * Posting (POST requests.json): anonymous posts are taken as a visitor's report, limited per client
 * address like the web form; an `api_key` is a partner API credential written
 * `client_id:client_secret` with the `reports:write` scope (LIVE only), counted against the
 * credential's rate limit like the partner API.
 */
import type { PrismaClient } from "@/lib/db/client";
import { AppError, toErrorResponse } from "@/lib/errors/app-error";
import { requestMetadataOf } from "@/lib/http/request-metadata";
import { logServerError } from "@/lib/log/logger";
import { withRequestId } from "@/lib/log/request-context";
import { recordApiRequest } from "@/lib/partners/api-usage";
import { verifyPartnerCredential } from "@/lib/partners/verify-partner-credential";
import {
  categoryOfServiceCode,
  getOpen311Request,
  listOpen311Requests,
  OPEN311_SERVICES,
  ZOpen311Create,
} from "@/lib/reports/open311";
import { submitReport, type TReporter } from "@/lib/reports/submit-report";

export type TOpen311Deps = {
  getPrisma: () => Promise<PrismaClient>;
  /** The portal's public origin (PORTAL_ORIGIN), for the discovery document's endpoint URL. */
  origin: string;
  now?: () => Date;
};

type THandler<P> = (request: Request, route: { params: Promise<P> }) => Promise<Response>;

const JSON_HEADERS = { "Access-Control-Allow-Origin": "*", "Cache-Control": "no-store" };
const MAX_POST_BYTES = 16 * 1024;

/** The specification's error body: `[{ code, description }]`. */
export function open311Error(err: unknown): Response {
  const { status, body } = toErrorResponse(err);
  logServerError("open311", status, err);
  const headers: Record<string, string> = { ...JSON_HEADERS };
  if (err instanceof AppError && err.code === "RATE_LIMITED") {
    headers["Retry-After"] = String((err.details as { retryAfterSeconds?: number })?.retryAfterSeconds ?? 60);
  }
  return Response.json([{ code: status, description: `${body.error.code}: ${body.error.message}` }], {
    status,
    headers,
  });
}

function open311Route<P>(handler: (request: Request, params: P) => Promise<Response>): THandler<P> {
  return (request, route) =>
    withRequestId(request, async () => {
      try {
        return await handler(request, ((await route?.params) ?? {}) as P);
      } catch (err) {
        return open311Error(err);
      }
    });
}

/** `{id}.json` → id; another format is not offered (404). */
function withoutJsonSuffix(segment: string): string {
  if (!segment.endsWith(".json")) throw new AppError("NOT_FOUND", { message: "Only the .json format is offered." });
  return decodeURIComponent(segment.slice(0, -".json".length));
}

async function readPostFields(request: Request): Promise<Record<string, string>> {
  const declared = Number(request.headers.get("content-length") ?? "NaN");
  if (Number.isFinite(declared) && declared > MAX_POST_BYTES) {
    throw new AppError("PAYLOAD_TOO_LARGE", { details: { maxBytes: MAX_POST_BYTES } });
  }
  const text = await request.text();
  if (Buffer.byteLength(text) > MAX_POST_BYTES)
    throw new AppError("PAYLOAD_TOO_LARGE", { details: { maxBytes: MAX_POST_BYTES } });
  const mediaType = request.headers.get("content-type")?.split(";")[0]?.trim().toLowerCase() ?? "";
  if (mediaType === "application/x-www-form-urlencoded") return Object.fromEntries(new URLSearchParams(text));
  if (mediaType === "application/json") {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new AppError("BAD_JSON");
    }
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new AppError("BAD_JSON");
    return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, typeof v === "string" ? v : String(v)]));
  }
  throw new AppError("UNSUPPORTED_MEDIA_TYPE", { message: "Send application/x-www-form-urlencoded (or JSON)." });
}

export function createOpen311Handlers(deps: TOpen311Deps) {
  const now = () => deps.now?.() ?? new Date();

  const discovery = open311Route(async () => {
    const base = `${deps.origin}/open311/v2`;
    return Response.json(
      {
        changeset: "2026-12-08T00:00:00Z",
        contact: "一枚町役場 Ichimai Town Office",
        key_service: "Ask the town office for a partner API credential with the reports:write scope.",
        endpoints: [
          {
            specification: "http://wiki.open311.org/GeoReport_v2",
            url: base,
            changeset: "2026-12-08T00:00:00Z",
            type: "production",
            formats: ["application/json"],
          },
        ],
      },
      { headers: JSON_HEADERS },
    );
  });

  const services = open311Route(async () => Response.json(OPEN311_SERVICES, { headers: JSON_HEADERS }));

  const serviceDefinition = open311Route(async (_request, params: { code: string }) => {
    const code = withoutJsonSuffix(params.code);
    categoryOfServiceCode(code);
    // No service takes extra attributes (metadata: false): the definition lists none.
    return Response.json({ service_code: code, attributes: [] }, { headers: JSON_HEADERS });
  });

  const listRequests = open311Route(async (request) => {
    const q = new URL(request.url).searchParams;
    const pick = (k: string) => q.get(k) ?? undefined;
    const rows = await listOpen311Requests(
      await deps.getPrisma(),
      {
        service_request_id: pick("service_request_id"),
        service_code: pick("service_code"),
        status: pick("status"),
        start_date: pick("start_date"),
        end_date: pick("end_date"),
      },
      now(),
    );
    return Response.json(rows, { headers: JSON_HEADERS });
  });

  const createRequest = open311Route(async (request) => {
    const prisma = await deps.getPrisma();
    const fields = ZOpen311Create.parse(await readPostFields(request));
    const requestMetadata = requestMetadataOf(request.headers);
    let reporter: TReporter = { type: "visitor" };
    if (fields.api_key) {
      const colon = fields.api_key.indexOf(":");
      if (colon <= 0) throw new AppError("PARTNER_CREDENTIAL_INVALID");
      const credential = await verifyPartnerCredential(prisma, {
        clientId: fields.api_key.slice(0, colon),
        clientSecret: fields.api_key.slice(colon + 1),
        requiredScope: "reports:write",
        now: now(),
      });
      if (credential.mode !== "LIVE") {
        throw new AppError("CREDENTIAL_MODE_MISMATCH", { message: "Reports are town data: use a LIVE credential." });
      }
      await recordApiRequest(prisma, {
        credentialId: credential.credentialId,
        limitPerMinute: credential.rateLimit,
        now: now(),
      });
      reporter = { type: "partner", partnerId: credential.partnerId };
    }
    const report = await submitReport(
      { prisma, now },
      {
        reporter,
        source: "OPEN311",
        channel: "api",
        requestMetadata,
        input: {
          category: categoryOfServiceCode(fields.service_code),
          description: fields.description,
          latitude: fields.lat,
          longitude: fields.long,
        },
      },
    );
    return Response.json(
      [
        {
          service_request_id: report.id,
          service_notice: "受け付けました。Received; follow it at requests/{id}.json.",
          account_id: null,
        },
      ],
      { status: 201, headers: JSON_HEADERS },
    );
  });

  const getRequest = open311Route(async (_request, params: { id: string }) => {
    const id = withoutJsonSuffix(params.id);
    return Response.json([await getOpen311Request(await deps.getPrisma(), id)], { headers: JSON_HEADERS });
  });

  return { discovery, services, serviceDefinition, listRequests, createRequest, getRequest };
}

import type { z } from "zod";
import type { TErrorCode } from "@/lib/errors/codes";
import type { TApiScope } from "@/lib/partners/scopes";

/** OpenAPI meta of one operation, kept beside its zod schemas in the route's schema.ts (convention 7, docs/architecture.md#conventions). */
export type TOperationMeta = {
  method: "get" | "post" | "put";
  path: string;
  operationId: string;
  summary: string;
  description: string;
  scope: TApiScope;
  pathParams?: z.ZodObject;
  headers?: { name: string; required: boolean; description: string; schema: z.ZodType }[];
  request?: z.ZodType;
  /** Media type of the request body (default application/json); application/x-ndjson bodies are one `request` per line. */
  requestContentType?: string;
  requestExample?: unknown;
  /** `contentType` defaults to application/json. */
  responses: { status: number; description: string; schema: z.ZodType; contentType?: string }[];
  /** The error codes this operation can answer with (documented per operation). */
  errors: TErrorCode[];
};

/** An operation without authentication (the share-link redemption: its token is the credential). */
export type TPublicOperationMeta = Omit<TOperationMeta, "scope"> & { scope?: undefined };

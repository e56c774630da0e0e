import { z } from "zod";
import { errorCodes } from "@/lib/errors/codes";
import { listDocumentTypes } from "@/lib/mailbox/document-types/registry";
import { EXAMPLE_PAYLOADS } from "@/lib/mailbox/document-types/examples";
import { listDeliveryFailuresMeta } from "../delivery-failures/schema";
import { getDocumentReceiptMeta } from "../documents/[id]/schema";
import { deliverDocumentsBulkMeta } from "../documents/bulk/schema";
import { deliverDocumentMeta } from "../documents/schema";
import { redeemShareLinkMeta } from "../share-links/[token]/schema";
import { getSharedDocumentMeta } from "../shares/[id]/schema";
import { listSharesMeta } from "../shares/schema";
import { createEligibilityCheckMeta, createTerminalChallengeMeta } from "../eligibility/schema";
import { issueBusTicketMeta } from "../bus/tickets/schema";
import { putInsuranceMemberMeta } from "../insurance/members/[memberNumber]/schema";
import { chargeHospitalVisitMeta } from "../hospital/visits/[id]/charge/schema";
import { recordHospitalVisitMeta } from "../hospital/visits/[id]/record/schema";
import { listHospitalVisitsMeta } from "../hospital/visits/schema";
import { getIdentityVerificationMeta } from "../identity-verifications/[id]/schema";
import { createIdentityVerificationMeta } from "../identity-verifications/schema";
import { cancelWatchMeta, getWatchMeta } from "../watches/[id]/schema";
import { createWatchMeta, listWatchesMeta } from "../watches/schema";
import {
  disableWebhookEndpointMeta,
  getWebhookDeliveryMeta,
  listWebhookDeliveriesMeta,
  replayWebhookDeliveryMeta,
} from "../webhook-endpoints/[id]/schema";
import { createWebhookEndpointMeta, listWebhookEndpointsMeta } from "../webhook-endpoints/schema";
import { getLinkRequestMeta } from "../link-requests/[id]/schema";
import { createLinkRequestMeta } from "../link-requests/schema";
import { getSigningRequestMeta } from "../signing-requests/[id]/schema";
import { createSigningRequestMeta } from "../signing-requests/schema";
import { postProbePointsMeta } from "../probe/points/schema";
import type { TOperationMeta, TPublicOperationMeta } from "./operation";

/** Every operation of /api/v1, in the order the docs list them. */
export const OPERATIONS: readonly (TOperationMeta | TPublicOperationMeta)[] = [
  deliverDocumentMeta,
  deliverDocumentsBulkMeta,
  getDocumentReceiptMeta,
  listDeliveryFailuresMeta,
  // Mailbox shares
  listSharesMeta,
  getSharedDocumentMeta,
  redeemShareLinkMeta,
  // Verification platform
  createIdentityVerificationMeta,
  getIdentityVerificationMeta,
  createWatchMeta,
  listWatchesMeta,
  getWatchMeta,
  cancelWatchMeta,
  createWebhookEndpointMeta,
  listWebhookEndpointsMeta,
  disableWebhookEndpointMeta,
  listWebhookDeliveriesMeta,
  getWebhookDeliveryMeta,
  replayWebhookDeliveryMeta,
  createTerminalChallengeMeta,
  createEligibilityCheckMeta,
  // Member links
  createLinkRequestMeta,
  getLinkRequestMeta,
  // Signing requests
  createSigningRequestMeta,
  getSigningRequestMeta,
  issueBusTicketMeta,
  // Hospital flow
  putInsuranceMemberMeta,
  listHospitalVisitsMeta,
  recordHospitalVisitMeta,
  chargeHospitalVisitMeta,
  // Probe data (road board)
  postProbePointsMeta,
];

type TJson = Record<string, unknown>;

const ZErrorBody = z.object({
  error: z.object({
    code: z.enum(Object.keys(errorCodes) as [string, ...string[]]),
    message: z.string(),
    docUrl: z.string(),
    details: z.unknown().optional(),
  }),
});

/** Schema name of a payload type in components.schemas. */
export const payloadSchemaName = (typeId: string) => `Payload.${typeId}`;
const opSchemaName = (op: Pick<TOperationMeta, "operationId">, part: string) =>
  `${op.operationId[0]!.toUpperCase()}${op.operationId.slice(1)}${part}`;

function componentsOf(entries: [string, z.ZodType][], io: "input" | "output"): Record<string, TJson> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of entries) registry.add(schema, { id });
  const out = z.toJSONSchema(registry, { io, uri: (id) => `#/components/schemas/${id}`, unrepresentable: "any" });
  // OpenAPI 3.1 component schemas are JSON Schema 2020-12 documents; the per-schema $id/$schema are noise there.
  return Object.fromEntries(
    Object.entries(out.schemas).map(([id, s]) => {
      const { $id: _id, $schema: _schema, ...rest } = s as TJson;
      return [id, rest];
    }),
  );
}

/**
 * The OpenAPI 3.1 document of the partner API, generated from the zod schemas beside each route
 * (convention 7, docs/architecture.md#conventions) with zod 4's JSON Schema output, plus one schema per document type payload.
 */
export function buildOpenApiSpec(): TJson {
  const requestEntries: [string, z.ZodType][] = [];
  const responseEntries: [string, z.ZodType][] = [["Error", ZErrorBody]];
  for (const op of OPERATIONS) {
    if (op.request) requestEntries.push([opSchemaName(op, "Request"), op.request]);
    for (const r of op.responses) responseEntries.push([opSchemaName(op, `Response${r.status}`), r.schema]);
  }
  const types = listDocumentTypes();
  for (const t of types) requestEntries.push([payloadSchemaName(t.id), t.schema]);

  const paths: Record<string, TJson> = {};
  for (const op of OPERATIONS) {
    const parameters = [
      ...Object.entries(op.pathParams?.shape ?? {}).map(([name, schema]) => ({
        name,
        in: "path",
        required: true,
        schema: z.toJSONSchema(schema as z.ZodType),
      })),
      ...(op.headers ?? []).map((h) => ({
        name: h.name,
        in: "header",
        required: h.required,
        description: h.description,
        schema: z.toJSONSchema(h.schema),
      })),
    ].map(({ schema, ...p }) => {
      const { $schema: _s, ...rest } = schema as TJson;
      return { ...p, schema: rest };
    });
    const errorStatuses = [...new Set(op.errors.map((c) => errorCodes[c].status))].sort();
    paths[op.path] = {
      ...(paths[op.path] ?? {}),
      [op.method]: {
        operationId: op.operationId,
        summary: op.summary,
        description: op.scope ? `${op.description}\n\nRequired scope: \`${op.scope}\`.` : op.description,
        ...(op.scope ? { "x-required-scope": op.scope } : { security: [] }),
        "x-error-codes": op.errors,
        ...(parameters.length ? { parameters } : {}),
        ...(op.request
          ? {
              requestBody: {
                required: true,
                content: {
                  [op.requestContentType ?? "application/json"]: {
                    schema: { $ref: `#/components/schemas/${opSchemaName(op, "Request")}` },
                    ...(op.requestExample ? { example: op.requestExample } : {}),
                  },
                },
              },
            }
          : {}),
        responses: {
          ...Object.fromEntries(
            op.responses.map((r) => [
              String(r.status),
              {
                description: r.description,
                content: {
                  [r.contentType ?? "application/json"]: {
                    schema: { $ref: `#/components/schemas/${opSchemaName(op, `Response${r.status}`)}` },
                  },
                },
              },
            ]),
          ),
          ...Object.fromEntries(
            errorStatuses.map((status) => [
              String(status),
              {
                description: op.errors.filter((c) => errorCodes[c].status === status).join(", "),
                content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
              },
            ]),
          ),
        },
      },
    };
  }

  return {
    openapi: "3.1.0",
    info: {
      title: "ichimai partner API",
      version: "1.0.0",
      description:
        "Deliver signed, structured documents to residents' mailboxes (電子私書箱) and read their delivery status. Authenticate with HTTP Basic: your client id as the user name and your client secret as the password.\n\nRequest bodies are `application/json` (bulk delivery: `application/x-ndjson`); any other media type is 415 UNSUPPORTED_MEDIA_TYPE. No string anywhere in a body (values or keys) may contain U+0000 or an unpaired UTF-16 surrogate (`\\ud800`–`\\udfff` without its pair): such a body, or bulk line, is 422 TEXT_CHARACTER_FORBIDDEN with `details.field` naming the field. Every error body carries a `docUrl` to the error catalogue (/docs/errors).",
    },
    servers: [{ url: "/" }],
    security: [{ partnerBasic: [] }],
    paths,
    components: {
      securitySchemes: {
        partnerBasic: {
          type: "http",
          scheme: "basic",
          description: "client_id:client_secret of a partner API credential (RFC 7617).",
        },
      },
      schemas: { ...componentsOf(requestEntries, "input"), ...componentsOf(responseEntries, "output") },
    },
    "x-document-types": types.map((t) => ({
      id: t.id,
      domain: t.domain,
      title: t.title,
      payloadSchema: { $ref: `#/components/schemas/${payloadSchemaName(t.id)}` },
      example: EXAMPLE_PAYLOADS[t.id],
    })),
  };
}

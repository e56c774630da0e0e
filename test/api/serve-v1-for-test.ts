import type { PrismaClient } from "@/lib/db/client";
import type { TPlatformContext } from "@/lib/platform/platform-context";
import type { TPaymentProcessor } from "@/lib/services/payment/payment-processor";
import { createListDeliveryFailuresHandler } from "../../app/api/v1/delivery-failures/handlers";
import { listDeliveryFailuresMeta } from "../../app/api/v1/delivery-failures/schema";
import { createGetDocumentReceiptHandler } from "../../app/api/v1/documents/[id]/handlers";
import { getDocumentReceiptMeta } from "../../app/api/v1/documents/[id]/schema";
import { createDeliverDocumentsBulkHandler } from "../../app/api/v1/documents/bulk/handlers";
import { deliverDocumentsBulkMeta } from "../../app/api/v1/documents/bulk/schema";
import { createDeliverDocumentHandler } from "../../app/api/v1/documents/handlers";
import { deliverDocumentMeta } from "../../app/api/v1/documents/schema";
import { createEligibilityCheckHandler, createTerminalChallengeHandler } from "../../app/api/v1/eligibility/handlers";
import { createEligibilityCheckMeta, createTerminalChallengeMeta } from "../../app/api/v1/eligibility/schema";
import { createIssueBusTicketHandler } from "../../app/api/v1/bus/tickets/handlers";
import { issueBusTicketMeta } from "../../app/api/v1/bus/tickets/schema";
import { createGetIdentityVerificationHandler } from "../../app/api/v1/identity-verifications/[id]/handlers";
import { createPutInsuranceMemberHandler } from "../../app/api/v1/insurance/members/[memberNumber]/handlers";
import { putInsuranceMemberMeta } from "../../app/api/v1/insurance/members/[memberNumber]/schema";
import { createChargeHospitalVisitHandler } from "../../app/api/v1/hospital/visits/[id]/charge/handlers";
import { chargeHospitalVisitMeta } from "../../app/api/v1/hospital/visits/[id]/charge/schema";
import { createRecordHospitalVisitHandler } from "../../app/api/v1/hospital/visits/[id]/record/handlers";
import { recordHospitalVisitMeta } from "../../app/api/v1/hospital/visits/[id]/record/schema";
import { createListHospitalVisitsHandler } from "../../app/api/v1/hospital/visits/handlers";
import { listHospitalVisitsMeta } from "../../app/api/v1/hospital/visits/schema";
import { getIdentityVerificationMeta } from "../../app/api/v1/identity-verifications/[id]/schema";
import type { TPlatformApiDeps } from "../../app/api/v1/_lib/platform-api";
import { createIdentityVerificationHandler } from "../../app/api/v1/identity-verifications/handlers";
import { createIdentityVerificationMeta } from "../../app/api/v1/identity-verifications/schema";
import { createRedeemShareLinkHandler } from "../../app/api/v1/share-links/[token]/handlers";
import { redeemShareLinkMeta } from "../../app/api/v1/share-links/[token]/schema";
import { createGetSharedDocumentHandler } from "../../app/api/v1/shares/[id]/handlers";
import { getSharedDocumentMeta } from "../../app/api/v1/shares/[id]/schema";
import { createListSharesHandler } from "../../app/api/v1/shares/handlers";
import { listSharesMeta } from "../../app/api/v1/shares/schema";
import { createCancelWatchHandler, createGetWatchHandler } from "../../app/api/v1/watches/[id]/handlers";
import { cancelWatchMeta, getWatchMeta } from "../../app/api/v1/watches/[id]/schema";
import { createCreateWatchHandler, createListWatchesHandler } from "../../app/api/v1/watches/handlers";
import { createWatchMeta, listWatchesMeta } from "../../app/api/v1/watches/schema";
import {
  createDisableWebhookEndpointHandler,
  createGetWebhookDeliveryHandler,
  createListWebhookDeliveriesHandler,
  createReplayWebhookDeliveryHandler,
} from "../../app/api/v1/webhook-endpoints/[id]/handlers";
import {
  disableWebhookEndpointMeta,
  getWebhookDeliveryMeta,
  listWebhookDeliveriesMeta,
  replayWebhookDeliveryMeta,
} from "../../app/api/v1/webhook-endpoints/[id]/schema";
import {
  createCreateWebhookEndpointHandler,
  createListWebhookEndpointsHandler,
} from "../../app/api/v1/webhook-endpoints/handlers";
import { createWebhookEndpointMeta, listWebhookEndpointsMeta } from "../../app/api/v1/webhook-endpoints/schema";
import { createGetLinkRequestHandler } from "../../app/api/v1/link-requests/[id]/handlers";
import { getLinkRequestMeta } from "../../app/api/v1/link-requests/[id]/schema";
import { createCreateLinkRequestHandler } from "../../app/api/v1/link-requests/handlers";
import { createLinkRequestMeta } from "../../app/api/v1/link-requests/schema";
import { createGetSigningRequestHandler } from "../../app/api/v1/signing-requests/[id]/handlers";
import { getSigningRequestMeta } from "../../app/api/v1/signing-requests/[id]/schema";
import { createCreateSigningRequestHandler } from "../../app/api/v1/signing-requests/handlers";
import { createSigningRequestMeta } from "../../app/api/v1/signing-requests/schema";
import { createPostProbePointsHandler } from "../../app/api/v1/probe/points/handlers";
import { postProbePointsMeta } from "../../app/api/v1/probe/points/schema";
import { OPERATIONS } from "../../app/api/v1/_lib/openapi";
import type { TOperationMeta, TPublicOperationMeta } from "../../app/api/v1/_lib/operation";
import { serveForTest, type TTestRoute } from "./serve-for-test";

/** What the /api/v1 handlers of a test run against. */
export type TV1TestWorld = {
  prisma: PrismaClient;
  /** Roots that issuers' organisation certificates chain to (deliveries); default the context's signing roots. */
  trustAnchors?: Uint8Array[];
  /** The verification platform (identity, eligibility, watches, webhooks); without it those routes answer 500. */
  context?: TPlatformContext;
  /** Called after committed deliveries (POST /documents and /documents/bulk), e.g. to kick the mail worker. */
  afterCommit?: () => void;
  /** The payment processor of POST /hospital/visits/{id}/charge; without it the charge answers 500. */
  paymentProcessor?: TPaymentProcessor;
};

type THooks = { afterCommit?: () => void; paymentProcessor?: TPaymentProcessor };
type TRouteHandler<P> = (request: Request, route: { params: Promise<P> }) => Promise<Response>;
type TRouteEntry = {
  meta: TOperationMeta | TPublicOperationMeta;
  create: (
    deps: TPlatformApiDeps,
    hooks: THooks,
  ) => (request: Request, params: Record<string, string>) => Promise<Response>;
};

// The test server matched the path; its named groups are the route's params, as Next.js gives them.
const route = <P>(
  meta: TOperationMeta | TPublicOperationMeta,
  create: (deps: TPlatformApiDeps, hooks: THooks) => TRouteHandler<P>,
): TRouteEntry => ({
  meta,
  create: (deps, hooks) => {
    const handler = create(deps, hooks);
    return (request, params) => handler(request, { params: Promise.resolve(params as P) });
  },
});

/** Every /api/v1 operation with the handler factory its route.ts binds. */
const ROUTES: TRouteEntry[] = [
  route(deliverDocumentMeta, createDeliverDocumentHandler),
  route(deliverDocumentsBulkMeta, createDeliverDocumentsBulkHandler),
  route(getDocumentReceiptMeta, createGetDocumentReceiptHandler),
  route(listDeliveryFailuresMeta, createListDeliveryFailuresHandler),
  route(listSharesMeta, createListSharesHandler),
  route(getSharedDocumentMeta, createGetSharedDocumentHandler),
  route(redeemShareLinkMeta, createRedeemShareLinkHandler),
  route(createIdentityVerificationMeta, createIdentityVerificationHandler),
  route(getIdentityVerificationMeta, createGetIdentityVerificationHandler),
  route(createTerminalChallengeMeta, createTerminalChallengeHandler),
  route(createEligibilityCheckMeta, createEligibilityCheckHandler),
  route(issueBusTicketMeta, createIssueBusTicketHandler),
  route(createWatchMeta, createCreateWatchHandler),
  route(listWatchesMeta, createListWatchesHandler),
  route(getWatchMeta, createGetWatchHandler),
  route(cancelWatchMeta, createCancelWatchHandler),
  route(createWebhookEndpointMeta, createCreateWebhookEndpointHandler),
  route(listWebhookEndpointsMeta, createListWebhookEndpointsHandler),
  route(disableWebhookEndpointMeta, createDisableWebhookEndpointHandler),
  route(listWebhookDeliveriesMeta, createListWebhookDeliveriesHandler),
  route(getWebhookDeliveryMeta, createGetWebhookDeliveryHandler),
  route(replayWebhookDeliveryMeta, createReplayWebhookDeliveryHandler),
  route(createLinkRequestMeta, createCreateLinkRequestHandler),
  route(getLinkRequestMeta, createGetLinkRequestHandler),
  route(createSigningRequestMeta, createCreateSigningRequestHandler),
  route(getSigningRequestMeta, createGetSigningRequestHandler),
  route(putInsuranceMemberMeta, createPutInsuranceMemberHandler),
  route(listHospitalVisitsMeta, createListHospitalVisitsHandler),
  route(recordHospitalVisitMeta, createRecordHospitalVisitHandler),
  route(chargeHospitalVisitMeta, (deps: TPlatformApiDeps, hooks: THooks) =>
    createChargeHospitalVisitHandler(deps, () => {
      if (!hooks.paymentProcessor) throw new Error("serveV1ForTest: this test world has no payment processor");
      return hooks.paymentProcessor;
    }),
  ),
  route(postProbePointsMeta, createPostProbePointsHandler),
];

/** `/api/v1/documents/{id}` → `^/api/v1/documents/(?<id>[^/]+)$` */
function patternOf(path: string): RegExp {
  const source = path
    .split(/(\{[A-Za-z]+\})/)
    .map((part) => {
      const param = /^\{([A-Za-z]+)\}$/.exec(part);
      return param ? `(?<${param[1]}>[^/]+)` : part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    })
    .join("");
  return new RegExp(`^${source}$`);
}

/**
 * The whole partner API of `world` on a real HTTP server (lib-level `serveForTest`): every
 * operation of the OpenAPI document at its documented method and path, through the same handler
 * factories the route files bind, with the test's database, trust roots and platform context.
 * Tests only.
 */
export async function serveV1ForTest(world: TV1TestWorld): Promise<{ origin: string; close: () => Promise<void> }> {
  const missing = OPERATIONS.filter((op) => !ROUTES.some((r) => r.meta === op)).map((op) => op.operationId);
  if (missing.length > 0) throw new Error(`serveV1ForTest: no handler for ${missing.join(", ")}`);
  const deps: TPlatformApiDeps = {
    getPrisma: async () => world.prisma,
    getTrustAnchors: async () => world.trustAnchors ?? world.context?.signTrustAnchors ?? [],
    getContext: async () => {
      if (!world.context) throw new Error("serveV1ForTest: this test world has no platform context");
      return world.context;
    },
  };
  const hooks: THooks = { afterCommit: world.afterCommit, paymentProcessor: world.paymentProcessor };
  const routes: TTestRoute[] = ROUTES.map(({ meta, create }) => ({
    method: meta.method.toUpperCase(),
    pattern: patternOf(meta.path),
    handler: create(deps, hooks),
  }));
  return serveForTest(routes);
}

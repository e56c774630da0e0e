import { randomBytes, randomUUID } from "node:crypto";
import type { TCredentialMode } from "../../credential-mode/credential-mode";
import { appendAuditEvent } from "../../audit/append-audit-event";
import type { TRequestMetadata } from "../../audit/schemas";
import type { TPlatformContext } from "../platform-context";
import { type TWebhookEndpointDto, ZCreateWebhookEndpointRequest } from "../schemas";
import { toWebhookEndpointDto, webhookEndpointSelect } from "./dto";
import { webhooksAllowPrivate } from "./webhook-address";
import { sealWebhookSecret } from "./webhook-secret";
import { assertWebhookHost, assertWebhookUrl } from "./webhook-url";

export type CreateWebhookEndpointOptions = {
  partnerId: string;
  /**
   * The registering credential's mode (the console user's choice): a TEST endpoint receives only
   * events about the sandbox, a LIVE one only real ones (enqueue-webhook-event.ts).
   */
  mode: TCredentialMode;
  request: unknown;
  requestMetadata?: TRequestMetadata;
  /**
   * Who registered it: the API (default; audited `partner.api_access`, channel api) or a console
   * user (audited `partner.webhook_changed`, channel console, with the user's id) — one audit event
   * in the same transaction either way.
   */
  via?: { channel: "console"; partnerUserId: string };
};

/** Standard Webhooks symmetric secret: `whsec_` + base64 of 32 random bytes (the spec asks 24–64). */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString("base64")}`;
}

/**
 * Registers a webhook endpoint for the partner with a freshly generated signing secret, returned
 * once (the API shows only its last 4 characters afterwards) and stored encrypted, bound to the
 * endpoint id (webhook-secret.ts). Throws VALIDATION_FAILED, WEBHOOK_URL_INVALID (assertWebhookUrl),
 * and, after resolving the host as the sender does, WEBHOOK_ADDRESS_FORBIDDEN or
 * WEBHOOK_HOST_UNRESOLVABLE (assertWebhookHost). Nothing is written or audited when it throws.
 */
export async function createWebhookEndpoint(
  ctx: TPlatformContext,
  options: CreateWebhookEndpointOptions,
): Promise<{ endpoint: TWebhookEndpointDto; secret: string }> {
  const input = ZCreateWebhookEndpointRequest.parse(options.request);
  const allowPrivate = webhooksAllowPrivate(ctx.webhooks);
  const url = assertWebhookUrl(input.url, { allowHttp: ctx.webhooks.allowHttp, allowPrivate });
  await assertWebhookHost(url, {
    allowPrivate,
    resolve: ctx.webhooks.resolve,
    timeoutMs: ctx.webhooks.timeoutMs,
  });
  const secret = newWebhookSecret();
  // The id is chosen here because the stored ciphertext is bound to it (AAD).
  const id = randomUUID();
  const row = await ctx.prisma.$transaction(async (tx) => {
    const created = await tx.webhookEndpoint.create({
      data: {
        id,
        partnerId: options.partnerId,
        url: url.toString(),
        description: input.description ?? null,
        eventTypes: [...new Set(input.eventTypes ?? [])],
        secret: sealWebhookSecret(ctx, id, secret),
        secretHint: secret.slice(-4),
        mode: options.mode,
      },
      select: webhookEndpointSelect,
    });
    const data = {
      operation: "webhook_endpoint_created",
      endpointId: created.id,
      url: created.url,
      mode: created.mode,
    };
    await appendAuditEvent(tx, {
      type: options.via ? "partner.webhook_changed" : "partner.api_access",
      actor: { type: "partner", id: options.partnerId },
      channel: options.via ? "console" : "api",
      requestMetadata: options.requestMetadata,
      data: options.via ? { ...data, partnerUserId: options.via.partnerUserId } : data,
    });
    return created;
  });
  return { endpoint: toWebhookEndpointDto(row), secret };
}

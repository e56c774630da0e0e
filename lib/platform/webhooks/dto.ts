import type { TWebhookDeliveryDto, TWebhookEndpointDto, TWebhookEventType } from "../schemas";

export const webhookEndpointSelect = {
  id: true,
  url: true,
  description: true,
  eventTypes: true,
  active: true,
  secretHint: true,
  mode: true,
  createdAt: true,
} as const;

/** An endpoint as the API shows it: never the secret, only its hint. */
export function toWebhookEndpointDto(row: {
  id: string;
  url: string;
  description: string | null;
  eventTypes: string[];
  active: boolean;
  secretHint: string;
  mode: "TEST" | "LIVE";
  createdAt: Date;
}): TWebhookEndpointDto {
  return {
    id: row.id,
    object: "webhook_endpoint",
    url: row.url,
    ...(row.description ? { description: row.description } : {}),
    eventTypes: row.eventTypes as TWebhookEventType[],
    active: row.active,
    secretHint: row.secretHint,
    mode: row.mode,
    createdAt: row.createdAt.toISOString(),
  };
}

export const webhookDeliverySelect = {
  id: true,
  eventId: true,
  endpointId: true,
  status: true,
  attempts: true,
  nextAttemptAt: true,
  lastStatusCode: true,
  lastError: true,
  deliveredAt: true,
  createdAt: true,
} as const;

type TDeliveryRow = {
  id: string;
  eventId: string;
  endpointId: string;
  status: "PENDING" | "SENDING" | "DELIVERED" | "DEAD";
  attempts: number;
  nextAttemptAt: Date;
  lastStatusCode: number | null;
  lastError: string | null;
  deliveredAt: Date | null;
  createdAt: Date;
};

type TAttemptRow = {
  attempt: number;
  startedAt: Date;
  durationMs: number;
  statusCode: number | null;
  error: string | null;
  replay: boolean;
};

/** A delivery with its log (one row per HTTP attempt) as the API and the console show it. */
export function toWebhookDeliveryDto(row: TDeliveryRow, eventType: string, log?: TAttemptRow[]): TWebhookDeliveryDto {
  return {
    id: row.id,
    object: "webhook_delivery",
    eventId: row.eventId,
    eventType,
    endpointId: row.endpointId,
    status: row.status.toLowerCase() as TWebhookDeliveryDto["status"],
    attempts: row.attempts,
    ...(row.status === "PENDING" ? { nextAttemptAt: row.nextAttemptAt.toISOString() } : {}),
    ...(row.lastStatusCode !== null ? { lastStatusCode: row.lastStatusCode } : {}),
    ...(row.lastError ? { lastError: row.lastError } : {}),
    ...(row.deliveredAt ? { deliveredAt: row.deliveredAt.toISOString() } : {}),
    createdAt: row.createdAt.toISOString(),
    ...(log
      ? {
          log: log.map((a) => ({
            attempt: a.attempt,
            startedAt: a.startedAt.toISOString(),
            durationMs: a.durationMs,
            ...(a.statusCode !== null ? { statusCode: a.statusCode } : {}),
            ...(a.error ? { error: a.error } : {}),
            replay: a.replay,
          })),
        }
      : {}),
  };
}

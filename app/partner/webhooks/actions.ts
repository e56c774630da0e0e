"use server";

import { z } from "zod";
import { partnerConsoleAction, type TActionState } from "@/app/_server/action";
import { AppError } from "@/lib/errors/app-error";
import {
  createEndpointFromConsole,
  disableEndpointFromConsole,
  replayDeliveryFromConsole,
} from "@/lib/platform/webhooks/webhook-console";
import { getPlatformContext } from "@/lib/platform/get-platform-context";
import { ZIds } from "./forms";

export async function createEndpointAction(_prev: TActionState, formData: FormData): Promise<TActionState> {
  return partnerConsoleAction(
    async ({ partner, partnerUser, requestMetadata }) => {
      const description = String(formData.get("description") ?? "").trim();
      // The console chooses the side an endpoint listens to (an API key's own mode decides over the API).
      const mode = z.enum(["TEST", "LIVE"]).parse(formData.get("mode") ?? "TEST");
      const { endpoint, secret } = await createEndpointFromConsole(await getPlatformContext(), {
        partnerId: partner.partnerId,
        partnerUser,
        mode,
        request: {
          url: String(formData.get("url") ?? "").trim(),
          ...(description ? { description } : {}),
          eventTypes: formData.getAll("eventTypes").map(String),
        },
        requestMetadata,
      });
      return { ok: true, subject: endpoint.url, secret: { id: endpoint.id, value: secret } };
    },
    { revalidate: "/partner/webhooks" },
  );
}

export async function disableEndpointAction(_prev: TActionState, formData: FormData): Promise<TActionState> {
  return partnerConsoleAction(
    async ({ partner, partnerUser, requestMetadata }) => {
      const { endpointId } = ZIds.parse(Object.fromEntries(formData));
      const endpoint = await disableEndpointFromConsole(await getPlatformContext(), {
        partnerId: partner.partnerId,
        partnerUser,
        endpointId,
        requestMetadata,
      });
      return { ok: true, subject: endpoint.url };
    },
    { revalidate: "/partner/webhooks" },
  );
}

export async function replayDeliveryAction(_prev: TActionState, formData: FormData): Promise<TActionState> {
  const ids = ZIds.safeParse(Object.fromEntries(formData));
  const path = ids.success ? `/partner/webhooks/${ids.data.endpointId}` : "/partner/webhooks";
  return partnerConsoleAction(
    async ({ partner, partnerUser, requestMetadata }) => {
      const { endpointId, deliveryId } = ZIds.parse(Object.fromEntries(formData));
      if (!deliveryId) throw new AppError("VALIDATION_FAILED");
      const delivery = await replayDeliveryFromConsole(await getPlatformContext(), {
        partnerId: partner.partnerId,
        partnerUser,
        endpointId,
        deliveryId,
        requestMetadata,
      });
      return { ok: true, subject: delivery.status };
    },
    { revalidate: path },
  );
}

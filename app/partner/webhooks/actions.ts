"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { requirePartner } from "@/app/_server/session";
import { AppError } from "@/lib/errors/app-error";
import {
  createEndpointFromConsole,
  disableEndpointFromConsole,
  replayDeliveryFromConsole,
} from "@/lib/platform/webhooks/webhook-console";
import { getPlatformContext } from "@/lib/platform/get-platform-context";
import { consoleRequestMetadata, type TActionState } from "../_lib/request-context";

async function run(
  path: string,
  fn: (p: NonNullable<Awaited<ReturnType<typeof requirePartner>>>) => Promise<Omit<TActionState, "at">>,
): Promise<TActionState> {
  const at = Date.now();
  const partner = await requirePartner();
  if (!partner) return { ok: false, code: "UNAUTHENTICATED", at };
  try {
    const result = await fn(partner);
    revalidatePath(path);
    return { ...result, at };
  } catch (err) {
    if (err instanceof AppError) return { ok: false, code: err.code, at };
    if (err instanceof z.ZodError) return { ok: false, code: "VALIDATION_FAILED", at };
    throw err;
  }
}

export async function createEndpointAction(_prev: TActionState, formData: FormData): Promise<TActionState> {
  return run("/partner/webhooks", async (partner) => {
    const description = String(formData.get("description") ?? "").trim();
    const { endpoint, secret } = await createEndpointFromConsole(await getPlatformContext(), {
      partnerId: partner.partnerId,
      partnerUser: { id: partner.partnerUserId, role: partner.role },
      request: {
        url: String(formData.get("url") ?? "").trim(),
        ...(description ? { description } : {}),
        eventTypes: formData.getAll("eventTypes").map(String),
      },
      requestMetadata: await consoleRequestMetadata(),
    });
    return { ok: true, subject: endpoint.url, secret: { id: endpoint.id, value: secret } };
  });
}

const ZIds = z.object({ endpointId: z.uuid(), deliveryId: z.string().min(1).max(100).optional() });

export async function disableEndpointAction(_prev: TActionState, formData: FormData): Promise<TActionState> {
  return run("/partner/webhooks", async (partner) => {
    const { endpointId } = ZIds.parse(Object.fromEntries(formData));
    const endpoint = await disableEndpointFromConsole(await getPlatformContext(), {
      partnerId: partner.partnerId,
      partnerUser: { id: partner.partnerUserId, role: partner.role },
      endpointId,
      requestMetadata: await consoleRequestMetadata(),
    });
    return { ok: true, subject: endpoint.url };
  });
}

export async function replayDeliveryAction(_prev: TActionState, formData: FormData): Promise<TActionState> {
  const ids = ZIds.safeParse(Object.fromEntries(formData));
  const path = ids.success ? `/partner/webhooks/${ids.data.endpointId}` : "/partner/webhooks";
  return run(path, async (partner) => {
    const { endpointId, deliveryId } = ZIds.parse(Object.fromEntries(formData));
    if (!deliveryId) throw new AppError("VALIDATION_FAILED");
    const delivery = await replayDeliveryFromConsole(await getPlatformContext(), {
      partnerId: partner.partnerId,
      partnerUser: { id: partner.partnerUserId, role: partner.role },
      endpointId,
      deliveryId,
      requestMetadata: await consoleRequestMetadata(),
    });
    return { ok: true, subject: delivery.status };
  });
}

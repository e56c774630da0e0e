import { headers } from "next/headers";
import type { TAuditChannel, TRequestMetadata } from "@/lib/audit/schemas";
import { requestMetadataOf } from "@/lib/http/request-metadata";
import { requireCardResident, requireResident, type TResidentSession } from "./session";

/** Client address and user agent of the current request (server components and actions), for the audit rows lib writes. */
export async function currentRequestMetadata(): Promise<TRequestMetadata> {
  return requestMetadataOf(await headers());
}

/** Channel and request metadata of the current resident request, for the audit rows lib writes. */
export async function residentRequestContext(): Promise<{ channel: TAuditChannel; requestMetadata: TRequestMetadata }> {
  const requestMetadata = await currentRequestMetadata();
  const { userAgent } = requestMetadata;
  // A hint only: the audit log records what the browser claims to be.
  const channel: TAuditChannel = userAgent && /Mobile|Android|iPhone/i.test(userAgent) ? "phone" : "pc";
  return { channel, requestMetadata };
}

/** A resident request: who, and the channel and metadata lib's audit rows need. */
export type TResidentRequest = {
  resident: TResidentSession;
  channel: TAuditChannel;
  requestMetadata: TRequestMetadata;
};

/**
 * The signed-in resident with the request's context, or null. `stepUp`: only after a card login
 * within STEP_UP_MAX_AGE_MS (requireCardResident), as personal-data pages, actions and downloads.
 */
export async function residentRequest(stepUp: boolean): Promise<TResidentRequest | null> {
  const resident = stepUp ? await requireCardResident() : await requireResident();
  return resident ? { resident, ...(await residentRequestContext()) } : null;
}

import { headers } from "next/headers";
import type { TRequestMetadata } from "@/lib/audit/schemas";
import { requestMetadataOf } from "@/lib/http/request-metadata";

/** Request metadata of the current console request, for the audit rows lib writes. */
export async function consoleRequestMetadata(): Promise<TRequestMetadata> {
  return requestMetadataOf(await headers());
}

/** The outcome of a console server action, shown by the form that posted it. */
export type TActionState = {
  ok: boolean;
  code?: string;
  /** When it happened (so the same outcome twice still re-renders). */
  at?: number;
  /** Shown once: a freshly issued secret with its id. */
  secret?: { id: string; value: string };
  /** What the action acted on, for the status message. */
  subject?: string;
  /** Per form field, the reason it was refused (a message key of the form's namespace). */
  fieldErrors?: Record<string, string>;
};

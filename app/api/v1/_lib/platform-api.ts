import { z } from "zod";
import type { TErrorCode } from "@/lib/errors/codes";
import type { TPlatformContext } from "@/lib/platform/platform-context";
import type { TApiDeps } from "./with-partner";

/** The partner wrapper's dependencies plus the verification platform's context. */
export type TPlatformApiDeps = TApiDeps & { getContext: () => Promise<TPlatformContext> };

/** Errors every platform operation can answer with (authentication, scope, rate limit). */
export const PARTNER_AUTH_ERRORS: TErrorCode[] = [
  "UNAUTHENTICATED",
  "PARTNER_CREDENTIAL_INVALID",
  "PARTNER_CREDENTIAL_REVOKED",
  "PARTNER_CREDENTIAL_EXPIRED",
  "PARTNER_INACTIVE",
  "FORBIDDEN",
  "RATE_LIMITED",
];

/** The `{id}` path parameter of the platform's resources. */
export const ZIdParamsSchema = z.object({ id: z.uuid() });

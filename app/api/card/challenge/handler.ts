import { loginRoute } from "@/app/_server/route";
import { z } from "zod";
import { browserBinding } from "@/app/_server/card-binding";
import { issueChallenge } from "@/lib/auth/challenge";
import type { TLoginRateLimits } from "@/lib/auth/login-rate-limits";
import type { PrismaClient } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { requestMetadataOf } from "@/lib/http/request-metadata";

const ZBody = z.object({ purpose: z.enum(["login", "binding"]).default("login") }).strict();

export type TChallengeDeps = {
  getPrisma: () => Promise<PrismaClient>;
  portalOrigin: () => string;
  /** Default: from the environment (login-rate-limits.ts). */
  limits?: TLoginRateLimits | null;
  now?: () => Date;
};

/**
 * POST /api/card/challenge – a fresh card-login nonce bound to this browser (docs/jpki.md#card-login-web-eid);
 * rate-limited per client address and binding (429 RATE_LIMITED + Retry-After).
 */
export function createChallengeHandler(deps: TChallengeDeps): (request: Request) => Promise<Response> {
  return loginRoute(async (request: Request): Promise<Response> => {
    const portal = deps.portalOrigin();
    const text = await request.text();
    if (text.length > 1000) throw new AppError("PAYLOAD_TOO_LARGE");
    let json: unknown = {};
    if (text.trim()) {
      try {
        json = JSON.parse(text);
      } catch (cause) {
        throw new AppError("BAD_JSON", { cause });
      }
    }
    const { purpose } = ZBody.parse(json);
    const { binding, commit } = browserBinding(request, portal);
    // The origin the page runs on, as the browser reports it; verification refuses a challenge
    // requested from any origin other than the portal's (ORIGIN_MISMATCH).
    const origin = request.headers.get("origin") ?? new URL(portal).origin;
    const { nonce, expiresAt } = await issueChallenge(await deps.getPrisma(), {
      binding,
      origin,
      purpose,
      meta: requestMetadataOf(request.headers),
      limits: deps.limits,
      now: deps.now?.(),
    });
    return commit(
      Response.json({ nonce, expiresAt: expiresAt.toISOString() }, { headers: { "Cache-Control": "no-store" } }),
    );
  });
}

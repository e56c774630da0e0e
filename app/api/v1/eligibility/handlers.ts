import { issueTerminalChallenge } from "@/lib/platform/eligibility/issue-terminal-challenge";
import { verifyEligibility } from "@/lib/platform/eligibility/verify-eligibility";
import { ZEligibilityCheck, ZTerminalChallenge } from "@/lib/platform/schemas";
import type { TPlatformApiDeps } from "../_lib/platform-api";
import { readJsonBody } from "../_lib/read-json-body";
import { withPartner } from "../_lib/with-partner";
import { createEligibilityCheckMeta, createTerminalChallengeMeta } from "./schema";

/** POST /api/v1/eligibility/challenges – a single-use challenge for one card tap. */
export function createTerminalChallengeHandler(deps: TPlatformApiDeps) {
  return withPartner(createTerminalChallengeMeta.scope, deps, async (request, ctx) => {
    const body = await readJsonBody(request, 4 * 1024);
    const challenge = await issueTerminalChallenge(await deps.getContext(), { partner: ctx.credential, request: body });
    return Response.json(ZTerminalChallenge.parse(challenge), {
      status: 201,
      headers: { "Cache-Control": "no-store" },
    });
  });
}

/** POST /api/v1/eligibility/checks – the card's answer: member reference and eligibility now. */
export function createEligibilityCheckHandler(deps: TPlatformApiDeps) {
  return withPartner(createEligibilityCheckMeta.scope, deps, async (request, ctx) => {
    const body = await readJsonBody(request, 32 * 1024);
    const answer = await verifyEligibility(await deps.getContext(), {
      partner: ctx.credential,
      request: body,
      requestMetadata: ctx.requestMetadata,
    });
    return Response.json(ZEligibilityCheck.parse(answer), { headers: { "Cache-Control": "no-store" } });
  });
}

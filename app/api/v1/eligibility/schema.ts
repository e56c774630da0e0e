import {
  ZCreateEligibilityCheckRequest,
  ZCreateTerminalChallengeRequest,
  ZEligibilityCheck,
  ZTerminalChallenge,
} from "@/lib/platform/schemas";
import { PARTNER_AUTH_ERRORS } from "../_lib/platform-api";
import type { TOperationMeta } from "../_lib/operation";

export const createTerminalChallengeMeta: TOperationMeta = {
  method: "post",
  path: "/api/v1/eligibility/challenges",
  operationId: "createTerminalChallenge",
  summary: "Start a card tap at a terminal (資格確認)",
  description:
    "Returns a single-use `nonce` (2 minutes), the `origin` to sign for and a `terminalBinding` secret. The terminal's card agent has the card sign hash(origin) ‖ hash(nonce) with the user-authentication key (a Web eID token); send the token with the nonce and binding to `POST /api/v1/eligibility/checks`.",
  scope: "eligibility:verify",
  request: ZCreateTerminalChallengeRequest,
  requestExample: { terminalId: "reception-1" },
  responses: [{ status: 201, description: "The challenge.", schema: ZTerminalChallenge }],
  errors: [
    ...PARTNER_AUTH_ERRORS,
    "BAD_JSON",
    "UNSUPPORTED_MEDIA_TYPE",
    "TEXT_CHARACTER_FORBIDDEN",
    "VALIDATION_FAILED",
  ],
};

export const createEligibilityCheckMeta: TOperationMeta = {
  method: "post",
  path: "/api/v1/eligibility/checks",
  operationId: "createEligibilityCheck",
  summary: "Which of your members is this card, and are they eligible now",
  description:
    "Verifies the card's answer to your challenge (user-authentication certificate, path, signature, revocation now at J-LIS) and looks up the resident's consented link to you. `eligible: true` carries your own member reference; otherwise `reason` is `CARD_UNKNOWN` or `RECIPIENT_NOT_LINKED`. The four basic facts are never returned. The check appears in the resident's access log with your terminal id.",
  scope: "eligibility:verify",
  request: ZCreateEligibilityCheckRequest,
  responses: [{ status: 200, description: "The answer.", schema: ZEligibilityCheck }],
  errors: [
    ...PARTNER_AUTH_ERRORS,
    "BAD_JSON",
    "UNSUPPORTED_MEDIA_TYPE",
    "TEXT_CHARACTER_FORBIDDEN",
    "VALIDATION_FAILED",
    "CHALLENGE_UNKNOWN",
    "CHALLENGE_EXPIRED",
    "CHALLENGE_REPLAYED",
    "CERT_WRONG_PURPOSE",
    "CERT_UNTRUSTED",
    "CERT_EXPIRED",
    "SIGNATURE_INVALID",
    "CERT_REVOKED",
    "CERT_STATUS_UNKNOWN",
    "CERT_STATUS_UNAVAILABLE",
  ],
};

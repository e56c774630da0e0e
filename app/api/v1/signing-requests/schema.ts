import { ZCreateSigningRequestRequest, ZSigningRequest } from "@/lib/services/signing-requests/schemas";
import type { TOperationMeta } from "../_lib/operation";
import { PARTNER_AUTH_ERRORS } from "../_lib/platform-api";

export const createSigningRequestMeta: TOperationMeta = {
  method: "post",
  path: "/api/v1/signing-requests",
  operationId: "createSigningRequest",
  summary: "Ask a linked resident to sign your application text with their card (署名依頼)",
  description: [
    "Addresses the resident you linked under `partnerRef` (any active member link, whatever its purposes: each request is consented to on its own, with the card's signing PIN). An unknown reference is `PARTNER_REF_UNKNOWN`, an ended link `RECIPIENT_NOT_LINKED`. A TEST credential reaches only sandbox residents.",
    'The resident signs exactly `content`: the RFC 8785 canonical JSON bytes of `{format: "ichimai-signing-request/1", requestId, partner: {name}, title, text}`, made now and returned base64. ichimai shows them your name, the title and the text as is (plain text, line breaks kept). They sign it with the My Number Card\'s signing certificate (CAdES-BES, content attached) or decline; the request expires at `expiresAt` (default 14 days, at most 30).',
    "Your webhook endpoints of the resident's side then get `signing_request.decided` (`data.status`: signed or declined). Fetch the CMS with `GET /api/v1/signing-requests/{id}` and verify it with `POST /api/v1/identity-verifications` for the resident's four facts.",
  ].join("\n\n"),
  scope: "signing:request",
  request: ZCreateSigningRequestRequest,
  requestExample: {
    title: "普通預金口座開設申込書",
    text: "阿波みらい銀行 御中\n\n私は、貴行の普通預金規定に同意のうえ、普通預金口座の開設を申し込みます。",
    partnerRef: "BANK-0001234",
  },
  responses: [
    { status: 201, description: "The pending request with the content to be signed.", schema: ZSigningRequest },
  ],
  errors: [
    ...PARTNER_AUTH_ERRORS,
    "BAD_JSON",
    "UNSUPPORTED_MEDIA_TYPE",
    "PAYLOAD_TOO_LARGE",
    "TEXT_CHARACTER_FORBIDDEN",
    "VALIDATION_FAILED",
    "PARTNER_REF_UNKNOWN",
    "RECIPIENT_NOT_LINKED",
    "CREDENTIAL_MODE_MISMATCH",
  ],
};

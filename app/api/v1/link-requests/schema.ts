import { ZCreatedLinkRequest, ZCreateLinkRequestRequest } from "@/lib/links/schemas";
import type { TOperationMeta } from "../_lib/operation";
import { PARTNER_AUTH_ERRORS } from "../_lib/platform-api";

export const createLinkRequestMeta: TOperationMeta = {
  method: "post",
  path: "/api/v1/link-requests",
  operationId: "createLinkRequest",
  summary: "Propose a member link to a resident (紐付け)",
  description: [
    "A link is the resident's consent that you may act on their member reference (`partnerRef`: member, insured or customer number) for the `purposes` they approve: `deliver` (documents to their mailbox), `eligibility` (checks when they tap their card at your terminals), `notify` (change notifications). Every service checks the purpose it needs: a delivery to a link without `deliver` is `LINK_PURPOSE_NOT_ALLOWED`.",
    "You cannot know a resident's ichimai id, so address the request in one of two ways. With `identityVerificationId` (one of your VERIFIED identity verifications): the request goes to the verified signer, who sees it in ichimai. Without it: the answer carries a one-time `claimCode` (`XXXXX-XXXXX`, shown only now, valid as long as the request) that you give the person (letter, counter); they enter it under サービス in ichimai.",
    "The resident approves with a fresh My Number Card login, or refuses. With `signatureRequired: true` the answer carries `content` (base64 of the exact consent, RFC 8785 canonical JSON `ichimai-link-consent/1`) and the resident can approve only by signing it with the card's signing certificate; once approved, GET /api/v1/link-requests/{id} returns the CMS as `signature`, which you can POST to /api/v1/identity-verifications. Your webhook endpoints then get `link_request.decided` (`data.status`: approved or refused), and `link.ended` when the resident later ends the link. Requests expire after 30 days. A TEST credential addresses only sandbox residents.",
  ].join("\n\n"),
  scope: "links:write",
  request: ZCreateLinkRequestRequest,
  requestExample: {
    partnerRef: "06360012-0042",
    purposes: ["eligibility", "deliver"],
    purposeText: "保険資格の確認と保険証に関するお知らせの送付",
    signatureRequired: false,
  },
  responses: [
    {
      status: 201,
      description: "The request, with the claim code when it has no address.",
      schema: ZCreatedLinkRequest,
    },
  ],
  errors: [
    ...PARTNER_AUTH_ERRORS,
    "BAD_JSON",
    "UNSUPPORTED_MEDIA_TYPE",
    "TEXT_CHARACTER_FORBIDDEN",
    "VALIDATION_FAILED",
    "CREDENTIAL_MODE_MISMATCH",
    "LINK_PURPOSE_NOT_APPROVED",
    "LINK_VERIFICATION_INVALID",
    "PARTNER_REF_TAKEN",
    "LINK_ALREADY_EXISTS",
  ],
};

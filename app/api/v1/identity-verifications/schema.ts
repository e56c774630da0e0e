import { ZCreateIdentityVerificationRequest, ZIdentityVerification } from "@/lib/platform/schemas";
import type { TOperationMeta } from "../_lib/operation";
import { PARTNER_AUTH_ERRORS } from "../_lib/platform-api";

/** Largest request body of POST /api/v1/identity-verifications (SignedData + content, base64). */
export const MAX_IDENTITY_VERIFICATION_BODY_BYTES = 5 * 1024 * 1024;

export const ZCreateIdentityVerificationRequestSchema = ZCreateIdentityVerificationRequest.meta({
  description: "A resident-signed application (CMS SignedData made with the JPKI signing key) and your purpose.",
});

export const ZIdentityVerificationResponseSchema = ZIdentityVerification.meta({
  description: "The verification: checks, signer, and the four basic facts if your credential has identity:facts.",
});

export const createIdentityVerificationMeta: TOperationMeta = {
  method: "post",
  path: "/api/v1/identity-verifications",
  operationId: "createIdentityVerification",
  summary: "Verify a resident-signed application (本人確認)",
  description: [
    "Verifies `signedData` — a CMS SignedData (CAdES-BES) made with the resident's My Number Card signing key (署名用電子証明書) over your application, with the content attached or given as `content` — and the signing certificate: its path to the JPKI signing roots, its validity now, its purpose (a user-authentication certificate is `CERT_WRONG_PURPOSE`) and its revocation status now at J-LIS (OCSP, CRL fallback).",
    "Returns a verification `id` you can fetch again, the result of each check, and the four basic facts (name, address, date of birth, gender) only if your credential holds the `identity:facts` scope — and never for a resident the municipality protects (支援措置: DV and similar), whose facts are left out as if you lacked the scope. The platform keeps the parsed facts and the certificate's issuer and serial number, never the certificate. If the resident uses ichimai, the verification and your `purpose` appear in their access log.",
    "A signature that fails a check is answered with that check's error code (HTTP 422) and `details.verificationId` and `details.checks`; it is stored as `rejected`. Register the certificate for change verification with `POST /api/v1/watches`.",
  ].join("\n\n"),
  scope: "identity:verify",
  request: ZCreateIdentityVerificationRequestSchema,
  requestExample: {
    signedData: "MIIK…(base64 DER of the SignedData)",
    purpose: "普通預金口座開設の本人確認（犯収法施行規則6条1項1号ワ）",
  },
  responses: [{ status: 201, description: "Verified.", schema: ZIdentityVerificationResponseSchema }],
  errors: [
    ...PARTNER_AUTH_ERRORS,
    "BAD_JSON",
    "UNSUPPORTED_MEDIA_TYPE",
    "TEXT_CHARACTER_FORBIDDEN",
    "PAYLOAD_TOO_LARGE",
    "VALIDATION_FAILED",
    "CMS_MALFORMED",
    "CERT_WRONG_PURPOSE",
    "SIGNATURE_INVALID",
    "CERT_UNTRUSTED",
    "CERT_EXPIRED",
    "CERT_NOT_YET_VALID",
    "CERT_REVOKED",
    "CERT_STATUS_UNKNOWN",
    "CERT_STATUS_UNAVAILABLE",
  ],
};

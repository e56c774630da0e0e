import * as x509 from "@peculiar/x509";
import { beforeAll, describe, expect, it } from "vitest";
import { generateRsaKeyPair } from "../../jlis-sim/ca/ca";
import {
  createPartnerRootCa,
  issueOrganizationCertificate,
  type TPartnerCa,
} from "../../jlis-sim/partner-ca/partner-ca";
import { makeCert, NOW } from "../../test/jpki/fixtures";
import { parseCertificate } from "../jpki/certificate";
import { signCms } from "../jpki/cms-sign";
import { verifyIssuerSignature } from "./verify-issuer-signature";

/** Mailbox issuer signatures go through the same path validation, conforming-CA rules included. */
describe("verifyIssuerSignature and the conforming-CA rules", () => {
  let ca: TPartnerCa;
  let orgKeys: CryptoKeyPair;
  const payload = new TextEncoder().encode('{"title":"保険料控除証明書"}');
  beforeAll(async () => {
    orgKeys = await generateRsaKeyPair();
    ca = await createPartnerRootCa({
      notBefore: new Date(NOW.getTime() - 86_400_000),
      notAfter: new Date(NOW.getTime() + 3650 * 86_400_000),
    });
  }, 60_000);

  const verify = async (certificate: Uint8Array) =>
    verifyIssuerSignature({
      canonicalPayload: payload,
      signature: await signCms({
        content: payload,
        signerCertificate: certificate,
        privateKey: orgKeys.privateKey,
        detached: true,
        signingTime: NOW,
      }),
      partnerSlug: "sakura-life",
      trust: { trustAnchors: [ca.certificate] },
      now: NOW,
    });

  it("refuses an organisation certificate with a critical authorityKeyIdentifier; the partner CA's own profile passes", async () => {
    const rootSki = await x509.SubjectKeyIdentifierExtension.create(ca.keys.publicKey);
    const broken = await makeCert({
      subject: "C=JP, O=Sakura, CN=Sakura",
      keys: orgKeys,
      issuer: { name: parseCertificate(ca.certificate).subject.text, keys: ca.keys },
      keyUsage: x509.KeyUsageFlags.digitalSignature,
      noKeyIds: true,
      extensions: [
        await x509.SubjectKeyIdentifierExtension.create(orgKeys.publicKey),
        new x509.AuthorityKeyIdentifierExtension(rootSki.keyId, true),
      ],
    });
    await expect(verify(broken)).rejects.toMatchObject({
      code: "DOCUMENT_SIGNATURE_INVALID",
      details: {
        failedChecks: [{ code: "CERT_PATH", ok: false, detail: expect.stringMatching(/^CERT_AKI_CRITICAL: /) }],
      },
    });
    const good = await issueOrganizationCertificate({
      ca,
      subjectPublicKey: orgKeys.publicKey,
      serialNumber: 7n,
      organizationName: "さくら生命保険株式会社",
      partnerSlug: "sakura-life",
      notBefore: new Date(NOW.getTime() - 86_400_000),
      notAfter: new Date(NOW.getTime() + 365 * 86_400_000),
    });
    expect((await verify(good)).stored.signer?.partnerSlug).toBe("sakura-life");
  });
});

import type { PrismaClient } from "../../generated/prisma/client";
import { parseCertificate } from "../../lib/jpki/certificate";

/**
 * Binds a card's user-authentication certificate to a resident, as a first login does
 * (CertificateBinding kind AUTH), so that a card login with it finds the resident.
 */
export async function bindAuthCertificate(
  prisma: PrismaClient,
  residentId: string,
  auth: { certificate: Uint8Array; serial: string },
): Promise<void> {
  const cert = parseCertificate(auth.certificate);
  await prisma.certificateBinding.create({
    data: {
      residentId,
      kind: "AUTH",
      issuerDn: cert.issuer.text,
      serialNumber: auth.serial,
      fingerprint: cert.fingerprint,
      notBefore: cert.notBefore,
      notAfter: cert.notAfter,
    },
  });
}

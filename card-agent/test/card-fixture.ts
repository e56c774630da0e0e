/**
 * Test fixture: a self-made JPKI-like certificate set (one CA, an auth and a sign leaf), with
 * RSA-2048 keys. Key generation is the slow part, so each test file makes this once.
 */
import "reflect-metadata";
import { webcrypto } from "node:crypto";
import * as x509 from "@peculiar/x509";

export type TSlotMaterial = {
  certificate: Uint8Array;
  caCertificate: Uint8Array;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
};
export type TCardFixture = { auth: TSlotMaterial; sign: TSlotMaterial; ca: x509.X509Certificate };

const ALG = {
  name: "RSASSA-PKCS1-v1_5",
  hash: "SHA-256",
  publicExponent: new Uint8Array([1, 0, 1]),
  modulusLength: 2048,
};

/** A CA plus an auth and a sign certificate, each key extractable (for writeVirtualCard and SoftHSM). */
export async function makeCardFixture(name = "TEST TARO"): Promise<TCardFixture> {
  x509.cryptoProvider.set(webcrypto as unknown as Crypto);
  const [caKeys, authKeys, signKeys] = await Promise.all([
    webcrypto.subtle.generateKey(ALG, true, ["sign", "verify"]),
    webcrypto.subtle.generateKey(ALG, true, ["sign", "verify"]),
    webcrypto.subtle.generateKey(ALG, true, ["sign", "verify"]),
  ]);
  const now = Date.now();
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: "01",
    name: "C=JP, O=JPKI-TEST, OU=ichimai card-agent tests",
    notBefore: new Date(now - 86_400_000),
    notAfter: new Date(now + 365 * 86_400_000),
    keys: caKeys as CryptoKeyPair,
    signingAlgorithm: ALG,
    extensions: [new x509.BasicConstraintsExtension(true, undefined, true)],
  });
  const leaf = async (serial: string, cn: string, keys: CryptoKeyPair) =>
    x509.X509CertificateGenerator.create({
      serialNumber: serial,
      issuer: ca.subject,
      subject: `C=JP, CN=${cn}`,
      notBefore: new Date(now - 86_400_000),
      notAfter: new Date(now + 365 * 86_400_000),
      publicKey: keys.publicKey,
      signingKey: caKeys.privateKey,
      signingAlgorithm: ALG,
      extensions: [new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true)],
    });
  const authCert = await leaf("1001", `${name} auth`, authKeys as CryptoKeyPair);
  const signCert = await leaf("1002", name, signKeys as CryptoKeyPair);
  const caDer = new Uint8Array(ca.rawData);
  return {
    ca,
    auth: {
      certificate: new Uint8Array(authCert.rawData),
      caCertificate: caDer,
      privateKey: (authKeys as CryptoKeyPair).privateKey,
      publicKey: (authKeys as CryptoKeyPair).publicKey,
    },
    sign: {
      certificate: new Uint8Array(signCert.rawData),
      caCertificate: caDer,
      privateKey: (signKeys as CryptoKeyPair).privateKey,
      publicKey: (signKeys as CryptoKeyPair).publicKey,
    },
  };
}

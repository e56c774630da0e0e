/**
 * The agent's local TLS: a private CA and a leaf for 127.0.0.1, made on first start and kept in
 * `<CARD_AGENT_DIR>/tls/`. The client hard-codes https/wss (docs/card-agent-protocol.md#discovery-and-transport), so the browser
 * must trust this CA (`npm run agent -- trust` adds it to NSS). The leaf mirrors Fortify's:
 * CN 127.0.0.1, SAN DNS:localhost + IP:127.0.0.1, EKU serverAuth. ECDSA P-256 keeps the first
 * start fast; every current browser and Node accept it.
 */
import "reflect-metadata";
import { randomBytes, webcrypto } from "node:crypto";
import { promises as fs } from "node:fs";
import path from "node:path";
import * as x509 from "@peculiar/x509";

export type TAgentTls = { caPem: string; certPem: string; keyPem: string; caPath: string };

const ALG = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;
const DAY = 86_400_000;

function pem(label: string, der: ArrayBuffer): string {
  const b64 = Buffer.from(der)
    .toString("base64")
    .replace(/(.{64})/g, "$1\n");
  return `-----BEGIN ${label}-----\n${b64.trimEnd()}\n-----END ${label}-----\n`;
}

async function exists(p: string): Promise<boolean> {
  return fs.stat(p).then(
    () => true,
    () => false,
  );
}

async function importPkcs8(keyPem: string): Promise<CryptoKey> {
  const der = Buffer.from(keyPem.replace(/-----[^-]+-----/g, "").replace(/\s+/g, ""), "base64");
  return webcrypto.subtle.importKey("pkcs8", der, ALG, false, ["sign"]);
}

const validFor30Days = (c: x509.X509Certificate) => c.notAfter.getTime() - Date.now() > 30 * DAY;

/**
 * Loads the CA and leaf from `<dir>/tls`, creating what is missing. A CA valid for another 30 days
 * is kept (so the user need not trust a new one); a leaf close to expiry is re-issued under it.
 */
export async function ensureAgentTls(dir: string): Promise<TAgentTls> {
  x509.cryptoProvider.set(webcrypto as unknown as Crypto);
  const tlsDir = path.join(dir, "tls");
  const files = {
    ca: path.join(tlsDir, "ca.pem"),
    caKey: path.join(tlsDir, "ca.key"),
    cert: path.join(tlsDir, "cert.pem"),
    key: path.join(tlsDir, "cert.key"),
  };
  await fs.mkdir(tlsDir, { recursive: true, mode: 0o700 });
  const now = Date.now();

  let ca: x509.X509Certificate | undefined;
  let caKey: CryptoKey | undefined;
  if ((await exists(files.ca)) && (await exists(files.caKey))) {
    const loaded = new x509.X509Certificate(await fs.readFile(files.ca, "utf8"));
    if (validFor30Days(loaded)) {
      ca = loaded;
      caKey = await importPkcs8(await fs.readFile(files.caKey, "utf8"));
    }
  }
  let caChanged = false;
  if (!ca || !caKey) {
    const caKeys = (await webcrypto.subtle.generateKey(ALG, true, ["sign", "verify"])) as CryptoKeyPair;
    ca = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: randomBytes(8).toString("hex"),
      name: "CN=ichimai card agent local CA",
      notBefore: new Date(now - DAY),
      notAfter: new Date(now + 2 * 365 * DAY),
      keys: caKeys,
      signingAlgorithm: ALG,
      extensions: [
        new x509.BasicConstraintsExtension(true, 0, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
        await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
      ],
    });
    caKey = caKeys.privateKey;
    await fs.writeFile(files.caKey, pem("PRIVATE KEY", await webcrypto.subtle.exportKey("pkcs8", caKey)), {
      mode: 0o600,
    });
    await fs.writeFile(files.ca, ca.toString("pem"));
    caChanged = true;
  }
  const caPem = ca.toString("pem");

  if (!caChanged && (await exists(files.cert)) && (await exists(files.key))) {
    const certPem = await fs.readFile(files.cert, "utf8");
    const leaf = new x509.X509Certificate(certPem);
    if (validFor30Days(leaf) && (await leaf.verify({ publicKey: ca.publicKey, signatureOnly: true }))) {
      return { caPem, certPem, keyPem: await fs.readFile(files.key, "utf8"), caPath: files.ca };
    }
  }
  const leafKeys = (await webcrypto.subtle.generateKey(ALG, true, ["sign", "verify"])) as CryptoKeyPair;
  const leaf = await x509.X509CertificateGenerator.create({
    serialNumber: randomBytes(8).toString("hex"),
    issuer: ca.subject,
    subject: "CN=127.0.0.1",
    notBefore: new Date(now - DAY),
    notAfter: new Date(now + 397 * DAY),
    publicKey: leafKeys.publicKey,
    signingKey: caKey,
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([
        { type: "dns", value: "localhost" },
        { type: "ip", value: "127.0.0.1" },
      ]),
      await x509.AuthorityKeyIdentifierExtension.create(ca),
    ],
  });
  const keyPem = pem("PRIVATE KEY", await webcrypto.subtle.exportKey("pkcs8", leafKeys.privateKey));
  await fs.writeFile(files.key, keyPem, { mode: 0o600 });
  await fs.writeFile(files.cert, leaf.toString("pem"));
  return { caPem, certPem: leaf.toString("pem"), keyPem, caPath: files.ca };
}

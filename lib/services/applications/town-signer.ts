import { promises as fs } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { AppError } from "@/lib/errors/app-error";
import { derToPem, pemToDer } from "@/lib/jpki/pem";

/**
 * The municipality's signing identity for the documents it answers applications with: its
 * partner record (slug) and an organisation certificate from the partner CA with its key, kept
 * in TOWN_SIGNER_DIR. The portal signs these documents itself because it is the municipality's
 * own system; every other issuer signs on its side and only delivers.
 */
export type TTownSigner = {
  /** The town's Partner.slug (kind GOVERNMENT), the issuer of the documents. */
  partnerSlug: string;
  /** As printed on certificates, e.g. 徳島県一枚町. */
  municipality: string;
  certificate: Uint8Array;
  privateKey: CryptoKey;
};

const ZTownFile = z.object({ partnerSlug: z.string().min(1).max(100), municipality: z.string().min(1).max(100) });

const TOWN_FILE = "town.json";
const CERT_FILE = "organization.pem";
const KEY_FILE = "organization.key.pem";

/** Reads the signer of `dir`; SERVICE_UNAVAILABLE when it was never set up. */
export async function loadTownSigner(dir: string): Promise<TTownSigner> {
  let town: z.infer<typeof ZTownFile>;
  let certPem: string;
  let keyPem: string;
  try {
    [town, certPem, keyPem] = await Promise.all([
      fs.readFile(path.join(dir, TOWN_FILE), "utf8").then((t) => ZTownFile.parse(JSON.parse(t))),
      fs.readFile(path.join(dir, CERT_FILE), "utf8"),
      fs.readFile(path.join(dir, KEY_FILE), "utf8"),
    ]);
  } catch (cause) {
    throw new AppError("TOWN_SIGNER_UNAVAILABLE", { cause });
  }
  const privateKey = await globalThis.crypto.subtle.importKey(
    "pkcs8",
    new Uint8Array(pemToDer(keyPem, "PRIVATE KEY")),
    { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" },
    false,
    ["sign"],
  );
  return { ...town, certificate: pemToDer(certPem), privateKey };
}

/** Writes a signer to `dir` (the demo seed and tests; a real town installs its own). */
export async function writeTownSigner(
  dir: string,
  o: { partnerSlug: string; municipality: string; certificate: Uint8Array; privateKey: CryptoKey },
): Promise<void> {
  const pkcs8 = new Uint8Array(await globalThis.crypto.subtle.exportKey("pkcs8", o.privateKey));
  await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(path.join(dir, KEY_FILE), derToPem(pkcs8, "PRIVATE KEY"), { mode: 0o600 });
  await fs.writeFile(path.join(dir, CERT_FILE), derToPem(o.certificate));
  await fs.writeFile(
    path.join(dir, TOWN_FILE),
    `${JSON.stringify({ partnerSlug: o.partnerSlug, municipality: o.municipality })}\n`,
  );
}

/** True when `dir` holds a signer (town file and key). */
export async function hasTownSigner(dir: string): Promise<boolean> {
  return fs
    .access(path.join(dir, TOWN_FILE))
    .then(() => fs.access(path.join(dir, KEY_FILE)))
    .then(
      () => true,
      () => false,
    );
}

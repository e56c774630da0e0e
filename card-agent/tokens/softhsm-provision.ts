/**
 * Writes a JPKI-like card into SoftHSM2 as two tokens, laid out as OpenSC shows a real My Number
 * Card (docs/card-agent-protocol.md#token-back-ends): "JPKI (User Authentication PIN)" with the auth certificate and key
 * (CKA_ID 01) and its CA certificate (03), and "JPKI (Digital Signature PIN)" with the signing
 * certificate (02, private) and key (02) and its CA (04). PIN formats follow docs/jpki.md#pins-and-lock-counts.
 *
 * SoftHSM2 reads its configuration from the SOFTHSM2_CONF variable when the module is first
 * initialised in a process, so set it (see createSoftHsmConfig) before the first PKCS#11 call.
 */
import "reflect-metadata";
import { promises as fs } from "node:fs";
import path from "node:path";
import { webcrypto } from "node:crypto";
import * as x509 from "@peculiar/x509";
import * as graphene from "graphene-pk11";
import { AppError } from "../../lib/errors/app-error";
import { JPKI_LABELS, type TPinSlot } from "./token";
import { isPinFormatValid, type VirtualCardSlotInput } from "./virtual-card";

export const SOFTHSM_LIBRARY = "/usr/lib/softhsm/libsofthsm2.so";

/** Writes a SoftHSM2 configuration with its own token directory; returns the file to put in SOFTHSM2_CONF. */
export async function createSoftHsmConfig(dir: string): Promise<string> {
  const tokenDir = path.join(dir, "tokens");
  await fs.mkdir(tokenDir, { recursive: true });
  const conf = path.join(dir, "softhsm2.conf");
  await fs.writeFile(conf, `directories.tokendir = ${tokenDir}\nobjectstore.backend = file\nlog.level = ERROR\n`);
  return conf;
}

export type TProvisionSoftHsmOptions = {
  library?: string;
  /** Security-officer PIN for the new tokens (SoftHSM needs one; a real card has none for the user). */
  soPin: string;
  auth: VirtualCardSlotInput;
  sign?: VirtualCardSlotInput;
};

function loadModule(library: string): graphene.Module {
  const mod = graphene.Module.load(library, "softhsm-provision");
  try {
    mod.initialize();
  } catch (e) {
    if (!/CKR_CRYPTOKI_ALREADY_INITIALIZED/.test((e as Error).message)) throw e;
  }
  return mod;
}

function findSlot(mod: graphene.Module, match: (t: graphene.Token) => boolean): graphene.Slot | undefined {
  const slots = mod.getSlots(true);
  for (let i = 0; i < slots.length; i++) {
    const slot = slots.items(i);
    if (match(slot.getToken())) return slot;
  }
  return undefined;
}

function derInteger(bytes: Uint8Array): Buffer {
  if (bytes.length > 127) throw new AppError("VALIDATION_FAILED", { message: "serial number too long" });
  return Buffer.concat([Buffer.from([0x02, bytes.length]), Buffer.from(bytes)]);
}

async function writeSlot(
  mod: graphene.Module,
  slot: TPinSlot,
  input: VirtualCardSlotInput,
  soPin: string,
): Promise<{ label: string; serial: string }> {
  if (!isPinFormatValid(slot, input.pin)) {
    throw new AppError("PIN_FORMAT_INVALID", {
      message: `The ${slot} PIN does not follow the card's PIN rules (auth: 4 digits; sign: 6–16 of A–Z and 0–9 with at least one of each).`,
    });
  }
  const label = slot === "auth" ? JPKI_LABELS.authToken : JPKI_LABELS.signToken;
  const free = findSlot(mod, (t) => !(t.flags & graphene.TokenFlag.TOKEN_INITIALIZED));
  if (!free) throw new AppError("INTERNAL", { message: "SoftHSM has no free slot." });
  try {
    free.initToken(soPin, label);
  } catch (e) {
    // graphene-pk11 2.3.6 strips padding from C_InitToken's result, which pkcs11js 2.1 returns as
    // undefined: a TypeError *after* the token was initialised. Any real PKCS#11 error is rethrown.
    if (!(e instanceof TypeError)) throw e;
  }
  // SoftHSM renumbers the slot after C_InitToken: find it again by label among fresh tokens.
  const mine = findSlot(mod, (t) => t.label.trim() === label && !(t.flags & graphene.TokenFlag.USER_PIN_INITIALIZED));
  if (!mine) throw new AppError("INTERNAL", { message: `Token ${label} vanished after initialisation.` });
  const serial = mine.getToken().serialNumber.trim();
  const so = mine.open(graphene.SessionFlag.SERIAL_SESSION | graphene.SessionFlag.RW_SESSION);
  try {
    so.login(soPin, graphene.UserType.SO);
    so.initPin(input.pin);
    so.logout();
    so.login(input.pin, graphene.UserType.USER);
    const ids = slot === "auth" ? { cert: 0x01, ca: 0x03 } : { cert: 0x02, ca: 0x04 };
    const put = (der: Uint8Array, id: number, certLabel: string, isPrivate: boolean) => {
      const c = new x509.X509Certificate(new Uint8Array(der));
      so.create({
        class: graphene.ObjectClass.CERTIFICATE,
        certType: graphene.CertificateType.X_509,
        token: true,
        private: isPrivate,
        modifiable: false,
        label: certLabel,
        id: Buffer.from([id]),
        subject: Buffer.from(c.subjectName.toArrayBuffer()),
        issuer: Buffer.from(c.issuerName.toArrayBuffer()),
        serial: derInteger(Buffer.from(c.serialNumber.length % 2 ? `0${c.serialNumber}` : c.serialNumber, "hex")),
        value: Buffer.from(der),
      });
    };
    // The signing certificate is private on the card (readable after the signing PIN).
    put(input.certificate, ids.cert, slot === "auth" ? JPKI_LABELS.authCert : JPKI_LABELS.signCert, slot === "sign");
    put(input.caCertificate, ids.ca, slot === "auth" ? JPKI_LABELS.authCa : JPKI_LABELS.signCa, false);
    const jwk = await webcrypto.subtle.exportKey("jwk", input.privateKey);
    const b = (v: string | undefined) => Buffer.from(v ?? "", "base64url");
    so.create({
      class: graphene.ObjectClass.PRIVATE_KEY,
      keyType: graphene.KeyType.RSA,
      token: true,
      private: true,
      sensitive: true,
      extractable: false,
      sign: true,
      decrypt: false,
      label: slot === "auth" ? JPKI_LABELS.authKey : JPKI_LABELS.signKey,
      id: Buffer.from([ids.cert]),
      modulus: b(jwk.n),
      publicExponent: b(jwk.e),
      privateExponent: b(jwk.d),
      prime1: b(jwk.p),
      prime2: b(jwk.q),
      exp1: b(jwk.dp),
      exp2: b(jwk.dq),
      coefficient: b(jwk.qi),
    });
    so.logout();
  } finally {
    so.close();
  }
  return { label, serial };
}

/**
 * Writes the card's auth (and optional sign) slot into free SoftHSM2 tokens. Returns each token's
 * label and serial. Uses the module in this process (SOFTHSM2_CONF must already point at the store).
 */
export async function provisionSoftHsmCard(
  o: TProvisionSoftHsmOptions,
): Promise<{ auth: { label: string; serial: string }; sign?: { label: string; serial: string } }> {
  const mod = loadModule(o.library ?? SOFTHSM_LIBRARY);
  const auth = await writeSlot(mod, "auth", o.auth, o.soPin);
  const sign = o.sign ? await writeSlot(mod, "sign", o.sign, o.soPin) : undefined;
  return { auth, sign };
}

/**
 * Server identities, one per web origin (docs/card-agent-protocol.md#session-and-pairing), persisted in
 * `<CARD_AGENT_DIR>/identities.json`. Keys are created extractable (`Identity.create(id, 10, 0, true)`)
 * because Node's WebCrypto cannot flip `extractable` later (docs/card-agent-protocol.md#session-and-pairing), stored as JWK,
 * and re-imported non-extractable.
 */
import { webcrypto } from "node:crypto";
import { Identity, type IJsonIdentity, PreKeyBundleProtocol } from "2key-ratchet";
import { z } from "zod";
import { readJsonFile, writeFileAtomic } from "./json-file";

const SIGNED_PRE_KEYS = 10;

const ZJwk = z.record(z.string(), z.unknown());
const ZPair = z.object({ privateKey: ZJwk, publicKey: ZJwk });
const ZIdentity = z.object({
  id: z.number().int(),
  createdAt: z.string(),
  signingKey: ZPair,
  exchangeKey: ZPair,
  signedPreKeys: z.array(ZPair),
});
const ZFile = z.object({ version: z.literal(1), identities: z.record(z.string(), ZIdentity) });
type TStoredIdentity = z.infer<typeof ZIdentity>;

async function pairToJwk(pair: { privateKey: CryptoKey; publicKey: { key: CryptoKey } }) {
  return {
    privateKey: (await webcrypto.subtle.exportKey("jwk", pair.privateKey)) as Record<string, unknown>,
    publicKey: (await webcrypto.subtle.exportKey("jwk", pair.publicKey.key)) as Record<string, unknown>,
  };
}

async function pairFromJwk(pair: z.infer<typeof ZPair>, kind: "ECDSA" | "ECDH"): Promise<CryptoKeyPair> {
  const alg = { name: kind, namedCurve: "P-256" };
  const privUsages: KeyUsage[] = kind === "ECDSA" ? ["sign"] : ["deriveKey", "deriveBits"];
  const pubUsages: KeyUsage[] = kind === "ECDSA" ? ["verify"] : [];
  return {
    privateKey: await webcrypto.subtle.importKey("jwk", pair.privateKey as JsonWebKey, alg, false, privUsages),
    publicKey: await webcrypto.subtle.importKey("jwk", pair.publicKey as JsonWebKey, alg, true, pubUsages),
  };
}

/** Identity per origin, created lazily on that origin's first well-known request. */
export class IdentityStore {
  private readonly file: string;
  private readonly cache = new Map<string, Identity>();
  private pending = new Map<string, Promise<Identity>>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(file: string) {
    this.file = file;
  }

  /** The identity for `origin`, loading or creating (and persisting) it. */
  get(origin: string): Promise<Identity> {
    const hit = this.cache.get(origin);
    if (hit) return Promise.resolve(hit);
    let p = this.pending.get(origin);
    if (!p) {
      p = this.loadOrCreate(origin).finally(() => this.pending.delete(origin));
      this.pending.set(origin, p);
    }
    return p;
  }

  /**
   * A fresh PreKeyBundle for the well-known answer: registrationId 0, the identity, and one signed
   * pre-key picked at random and signed with the identity's signing key; no one-time pre-key.
   */
  async bundle(origin: string): Promise<string> {
    const identity = await this.get(origin);
    const bundle = new PreKeyBundleProtocol();
    bundle.registrationId = 0;
    await bundle.identity.fill(identity);
    const index = webcrypto.getRandomValues(new Uint32Array(1))[0]! % identity.signedPreKeys.length;
    const preKey = identity.signedPreKeys[index]!;
    bundle.preKeySigned.id = index;
    bundle.preKeySigned.key = preKey.publicKey;
    await bundle.preKeySigned.sign(identity.signingKey.privateKey);
    return Buffer.from(await bundle.exportProto()).toString("base64");
  }

  private async readAll(): Promise<Record<string, TStoredIdentity>> {
    const raw = await readJsonFile(this.file);
    if (raw === undefined) return {};
    return ZFile.parse(raw).identities;
  }

  private async loadOrCreate(origin: string): Promise<Identity> {
    const stored = (await this.readAll())[origin];
    let identity: Identity;
    if (stored) {
      const json: IJsonIdentity = {
        id: stored.id,
        createdAt: stored.createdAt,
        signingKey: await pairFromJwk(stored.signingKey, "ECDSA"),
        exchangeKey: await pairFromJwk(stored.exchangeKey, "ECDH"),
        preKeys: [],
        signedPreKeys: await Promise.all(stored.signedPreKeys.map((k) => pairFromJwk(k, "ECDH"))),
      };
      identity = await Identity.fromJSON(json);
    } else {
      identity = await Identity.create(0, SIGNED_PRE_KEYS, 0, true);
      const entry: TStoredIdentity = {
        id: identity.id,
        createdAt: identity.createdAt.toISOString(),
        signingKey: await pairToJwk(identity.signingKey),
        exchangeKey: await pairToJwk(identity.exchangeKey),
        signedPreKeys: await Promise.all(identity.signedPreKeys.map(pairToJwk)),
      };
      // Serialise read-modify-write of the shared file across origins.
      const write = this.queue.then(async () => {
        const all = await this.readAll();
        all[origin] = entry;
        await writeFileAtomic(this.file, `${JSON.stringify({ version: 1, identities: all }, null, 2)}\n`);
      });
      this.queue = write.catch(() => undefined);
      await write;
    }
    this.cache.set(origin, identity);
    return identity;
  }
}

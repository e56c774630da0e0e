/**
 * Persistence of the simulated J-LIS: one JSON state document plus published artifacts
 * (CA certificates, CRLs) for people and tools to pick up.
 *
 * Directory layout (JLIS_DATA_DIR):
 * ```
 * state.json                     TJlisState: CAs with their PKCS#8 keys, the OCSP responder,
 *                                residents, issued certificates with status and links, counters,
 *                                registered verifiers (secrets as SHA-256)
 * ca/<hierarchy>-<purpose>-<gen>.cer      root certificates (DER): the trust anchors
 * ocsp/<hierarchy>-<purpose>-<gen>.cer    delegated OCSP responder certificates (DER)
 * crl/…                          CRLs written by `publishCrls` (same paths as the HTTP endpoints)
 * ```
 */
import { JPKI_REVOCATION_REASONS } from "../lib/jpki/revocation-reason";
import { promises as fs } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { AppError } from "@/lib/errors/app-error";

const ZPurpose = z.enum(["auth", "sign"]);
const ZHierarchy = z.enum(["production", "test"]);
const ZTokenType = z.enum(["card", "android", "iphone"]);
const ZReason = z.enum(JPKI_REVOCATION_REASONS);

export const ZFourFacts = z.object({
  name: z.string().min(1),
  address: z.string().min(1),
  dateOfBirth: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  gender: z.enum(["male", "female", "unknown"]),
  nameFlags: z
    .string()
    .regex(/^[01]*$/)
    .optional(),
  addressFlags: z
    .string()
    .regex(/^[01]*$/)
    .optional(),
});

export const ZMunicipality = z.object({
  code: z.string().regex(/^\d{5,6}$/),
  prefectureRomaji: z.string().min(1),
  municipalityRomaji: z.string().min(1),
});
export type TMunicipality = z.infer<typeof ZMunicipality>;

const ZCaRecord = z.object({
  id: z.string(),
  purpose: ZPurpose,
  generation: z.number().int().positive(),
  hierarchy: ZHierarchy,
  certificate: z.base64(),
  privateKey: z.base64(),
  responderCertificate: z.base64(),
});
export type TCaRecord = z.infer<typeof ZCaRecord>;

const ZCertRecord = z.object({
  /** Lowercase hex without leading zeros. */
  serial: z.string().regex(/^[0-9a-f]+$/),
  caId: z.string(),
  purpose: ZPurpose,
  tokenType: ZTokenType,
  residentRef: z.string(),
  municipalityCode: z.string(),
  issuedAt: z.iso.datetime(),
  notAfter: z.iso.datetime(),
  certificate: z.base64(),
  revokedAt: z.iso.datetime().optional(),
  reason: ZReason.optional(),
  /** Old → new after renewal or a change of facts (証明書新旧紐付け). */
  successor: z.string().optional(),
  /** For a signing certificate: the auth certificate of the same person and token (証明書紐付け). */
  pairedAuth: z.string().optional(),
});
export type TCertRecord = z.infer<typeof ZCertRecord>;

const ZTokenSlots = z.object({ auth: z.string().optional(), sign: z.string().optional() });

const ZResident = z.object({
  ref: z.string(),
  facts: ZFourFacts,
  municipality: ZMunicipality,
  hierarchy: ZHierarchy,
  /** Consent to give the latest four facts to verifiers (最新の基本4情報, docs/jpki.md#linking-services). */
  consentToShareFacts: z.boolean(),
  deceasedAt: z.iso.datetime().optional(),
  /** Current (last issued) serials per token. */
  tokens: z.partialRecord(ZTokenType, ZTokenSlots),
});
export type TResident = z.infer<typeof ZResident>;

export const JLIS_STATE_FORMAT = "ichimai-jlis/1";

export const ZJlisState = z.object({
  format: z.literal(JLIS_STATE_FORMAT),
  createdAt: z.iso.datetime(),
  /** Next certificate serial (decimal string); one counter for all CAs keeps serials unique. */
  nextSerial: z.string().regex(/^\d+$/),
  cas: z.array(ZCaRecord),
  responder: z.object({ privateKey: z.base64(), publicKey: z.base64() }),
  verifiers: z.record(z.string(), z.object({ secretSha256: z.string().regex(/^[0-9a-f]{64}$/) })),
  /** Last cRLNumber issued per CRL scope id (decimal strings; RFC 5280 §5.2.3 monotonic). */
  crlNumbers: z.record(z.string(), z.string().regex(/^\d+$/)),
  residents: z.record(z.string(), ZResident),
  certificates: z.record(z.string(), ZCertRecord),
});
export type TJlisState = z.infer<typeof ZJlisState>;

/** Where a SimulatedJlis keeps its state. */
export type JlisStore = {
  /** The saved state, or undefined when nothing was initialized yet. */
  load(): Promise<TJlisState | undefined>;
  save(state: TJlisState): Promise<void>;
  /** Publish a file (CA certificate, CRL) under a relative path. */
  writeArtifact(relativePath: string, data: Uint8Array): Promise<void>;
  /** A token that changes whenever the saved state changes (to notice other writers). */
  version?(): Promise<string | undefined>;
};

/** State kept in memory only (tests). */
export class MemoryJlisStore implements JlisStore {
  private state: string | undefined;
  readonly artifacts = new Map<string, Uint8Array>();

  async load(): Promise<TJlisState | undefined> {
    return this.state === undefined ? undefined : ZJlisState.parse(JSON.parse(this.state));
  }

  async save(state: TJlisState): Promise<void> {
    this.state = JSON.stringify(state);
    this.saves++;
  }

  private saves = 0;

  async version(): Promise<string | undefined> {
    return String(this.saves);
  }

  async writeArtifact(relativePath: string, data: Uint8Array): Promise<void> {
    this.artifacts.set(relativePath, new Uint8Array(data));
  }
}

async function writeAtomic(file: string, data: string | Uint8Array): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  await fs.writeFile(tmp, data, { mode: 0o600 });
  await fs.rename(tmp, file);
}

/** State under a directory (JLIS_DATA_DIR); see the layout above. */
export class DirectoryJlisStore implements JlisStore {
  constructor(readonly dir: string) {}

  async load(): Promise<TJlisState | undefined> {
    let text: string;
    try {
      text = await fs.readFile(path.join(this.dir, "state.json"), "utf8");
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw e;
    }
    const parsed = ZJlisState.safeParse(JSON.parse(text));
    if (!parsed.success) {
      throw new AppError("INTERNAL", {
        message: `${path.join(this.dir, "state.json")} is not in format ${JLIS_STATE_FORMAT}.`,
        cause: parsed.error,
      });
    }
    return parsed.data;
  }

  async save(state: TJlisState): Promise<void> {
    await writeAtomic(path.join(this.dir, "state.json"), `${JSON.stringify(state, null, 1)}\n`);
  }

  async version(): Promise<string | undefined> {
    try {
      const st = await fs.stat(path.join(this.dir, "state.json"));
      return `${st.mtimeMs}:${st.size}:${st.ino}`;
    } catch {
      return undefined;
    }
  }

  async writeArtifact(relativePath: string, data: Uint8Array): Promise<void> {
    const target = path.resolve(this.dir, relativePath);
    if (!target.startsWith(path.resolve(this.dir) + path.sep)) {
      throw new AppError("VALIDATION_FAILED", { message: `Artifact path escapes the data directory: ${relativePath}` });
    }
    await writeAtomic(target, data);
  }
}

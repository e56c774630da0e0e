/**
 * The verifier registry (署名検証者 / 利用者証明検証者, docs/jpki.md#revocation): only registered verifiers may
 * use the revocation, linking and facts endpoints. Secrets are kept as SHA-256 only.
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import { AppError } from "@/lib/errors/app-error";
import { type JlisCore, sha256Hex } from "../core/jlis-core";

/** Register a verifier and return its secret (given, ≥ 16 characters, or a random one). */
export function registerVerifier(core: JlisCore, clientId: string, secret?: string): Promise<string> {
  return core.exclusive(async () => {
    if (!/^[A-Za-z0-9._-]{1,64}$/.test(clientId)) {
      throw new AppError("VALIDATION_FAILED", { message: "Verifier ids are 1–64 of A–Z a–z 0–9 . _ -" });
    }
    const value = secret ?? randomBytes(24).toString("base64url");
    if (value.length < 16) throw new AppError("VALIDATION_FAILED", { message: "Secrets have ≥ 16 characters." });
    core.state.verifiers[clientId] = { secretSha256: sha256Hex(value) };
    await core.persist();
    return value;
  });
}

/** Whether the credentials belong to a registered verifier (client id optional for bearer keys). */
export function checkVerifier(core: JlisCore, clientId: string | undefined, secret: string): boolean {
  const digest = Buffer.from(sha256Hex(secret), "hex");
  const verifiers = core.state.verifiers;
  const entries = clientId === undefined ? Object.values(verifiers) : [verifiers[clientId]];
  return entries.some((v) => v !== undefined && timingSafeEqual(Buffer.from(v.secretSha256, "hex"), digest));
}

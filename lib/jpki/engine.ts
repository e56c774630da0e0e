import { webcrypto } from "node:crypto";
import * as pkijs from "pkijs";

/**
 * The one place that sets PKI.js's crypto engine (convention 14, docs/architecture.md#conventions). The verifier itself runs on
 * node:crypto (signature.ts) and its own DER reader (der.ts); PKI.js is used to build test
 * structures and by callers that need its objects. Idempotent.
 */
let installed = false;

/** Installs Node's WebCrypto as PKI.js's engine once and returns the SubtleCrypto. */
export function ensureEngine(): SubtleCrypto {
  const subtle = webcrypto.subtle as unknown as SubtleCrypto;
  if (!installed) {
    pkijs.setEngine(
      "node-webcrypto",
      new pkijs.CryptoEngine({ name: "node-webcrypto", crypto: webcrypto as unknown as Crypto, subtle }),
    );
    installed = true;
  }
  return subtle;
}

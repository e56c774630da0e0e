import { resolveDataPath } from "../../env";
import { getRuntime } from "../../runtime/runtime";
import { loadTownSigner, type TTownSigner } from "../../services/applications/town-signer";
import type { TDisasterContext } from "../context";

/**
 * What issuing orders needs besides the database and clock: the town's signer (the municipality
 * signs its own 避難指示 documents, TOWN_SIGNER_DIR, as it signs its other documents) and the
 * issuer trust the mailbox checks that signature against at delivery.
 */
export type TOrdersContext = TDisasterContext & {
  townSigner: () => Promise<TTownSigner>;
  issuerTrustAnchors: () => Promise<Uint8Array[]>;
  issuerCrls?: () => Promise<Uint8Array[]>;
};

/** The process's context, a view over the runtime. */
export async function getOrdersContext(): Promise<TOrdersContext> {
  const runtime = getRuntime();
  const platform = await runtime.platform();
  return {
    prisma: platform.prisma,
    now: runtime.now,
    townSigner: () => loadTownSigner(resolveDataPath(runtime.config.TOWN_SIGNER_DIR)),
    issuerTrustAnchors: () => runtime.issuerTrust.anchors(),
    issuerCrls: () => runtime.issuerTrust.crls(),
  };
}

import type { PrismaClient } from "@/lib/db/client";
import { resolveDataPath } from "@/lib/env";
import type { TJlisClient } from "@/lib/jlis/client";
import { getRuntime } from "@/lib/runtime/runtime";
import { loadTownSigner, type TTownSigner } from "./town-signer";

/** What the application use cases take (convention 4): the database, JPKI trust, J-LIS, the town's signer. */
export type TApplicationsContext = {
  prisma: PrismaClient;
  /** JPKI digital-signature roots (the resident's signature). */
  signTrustAnchors: Uint8Array[];
  /** J-LIS as a registered verifier: revocation, the sign → auth link, the registry-change report. */
  jlis: TJlisClient;
  /** Roots and CRLs for the town's own document signature (the mailbox delivery checks it). */
  issuerTrustAnchors: () => Promise<Uint8Array[]>;
  issuerCrls?: () => Promise<Uint8Array[]>;
  townSigner: () => Promise<TTownSigner>;
  now?: () => Date;
};

export function nowOf(ctx: Pick<TApplicationsContext, "now">): Date {
  return ctx.now?.() ?? new Date();
}

/** The process's context, a view over the runtime (its platform context and issuer trust). */
export async function getApplicationsContext(): Promise<TApplicationsContext> {
  const runtime = getRuntime();
  const platform = await runtime.platform();
  return {
    prisma: platform.prisma,
    signTrustAnchors: platform.signTrustAnchors,
    jlis: platform.jlis,
    issuerTrustAnchors: () => runtime.issuerTrust.anchors(),
    issuerCrls: () => runtime.issuerTrust.crls(),
    townSigner: () => loadTownSigner(resolveDataPath(runtime.config.TOWN_SIGNER_DIR)),
    now: runtime.now,
  };
}

import { env, resolveDataPath } from "@/lib/env";
import { openPartnerCa } from "@/lib/jpki/sim/partner-ca";

let anchors: Promise<Uint8Array[]> | undefined;

/**
 * The trust anchors for issuer signatures on mailbox documents: the root of the simulated
 * partner CA in PARTNER_CA_DIR (created on first use, so development and e2e need no setup).
 * A deployment with a real organisation CA replaces this one function.
 */
export function getIssuerTrustAnchors(): Promise<Uint8Array[]> {
  anchors ??= openPartnerCa(resolveDataPath(env().PARTNER_CA_DIR))
    .then((ca) => [ca.certificate])
    .catch((err) => {
      anchors = undefined;
      throw err;
    });
  return anchors;
}

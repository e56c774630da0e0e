/**
 * Browser-only: a CAdES-BES signature (lib/jpki/cades.ts, the structure the server's signCms
 * builds too) made with the card's signing key through the card agent. The private key never
 * leaves the card: the agent asks for the signing PIN (slot CKA_ID "02") and signs the DER of the
 * signed attributes with RSASSA-PKCS1-v1_5 SHA-256; the page only assembles the SignedData.
 *
 * The JPKI signing certificate is PIN-protected on the card, so it is read after the PIN: the
 * caller's `review` sees it (the page shows the four facts it carries and the content) and
 * resolves to sign, or rejects to stop before anything is signed.
 */
import { buildCades } from "@/lib/jpki/cades";
import {
  type TCardChoice,
  connect,
  ensurePaired,
  findSignSlot,
  fromAgentError,
  insertedCards,
  privateKey,
  RS256,
  toBase64,
} from "./card-agent-session";

export type TSignStep =
  | { kind: "connecting" }
  | { kind: "pairing"; code: string }
  | { kind: "waiting-card" }
  | { kind: "pin" }
  | { kind: "review" }
  | { kind: "signing" }
  | { kind: "done" };

export type TCadesSignOptions = {
  /** The exact bytes to sign (the canonical JSON of the application). */
  content: Uint8Array;
  onStep: (step: TSignStep) => void;
  /** Sees the signing certificate (base64 DER); resolves to sign, rejects to stop. */
  review: (signCertificate: string) => Promise<void>;
  /** Several cards inserted: resolves with the provider id the resident picked. */
  chooseCard?: (cards: TCardChoice[]) => Promise<string>;
  agentAddress?: string;
};

export type TCadesSignResult = {
  /** base64 DER ContentInfo (SignedData, content attached). */
  cms: string;
  /** base64 DER of the signing certificate. */
  signCertificate: string;
};

/** Sign `content` with the inserted card's signing key; rejects with a CardLoginError. */
export async function signWithCard(o: TCadesSignOptions): Promise<TCadesSignResult> {
  o.onStep({ kind: "connecting" });
  const session = await connect(o.agentAddress);
  try {
    await ensurePaired(session, (code) => o.onStep({ kind: "pairing", code }));
    const inserted = await insertedCards(session, () => o.onStep({ kind: "waiting-card" }));
    // The signing token of a card ("JPKI (Digital Signature PIN)", as OpenSC labels it); an
    // unusual middleware without that label: every JPKI token, tried in turn.
    const signTokens = inserted.filter((p) => p.label.includes("Signature"));
    let providers = signTokens.length > 0 ? signTokens : inserted;
    if (providers.length > 1 && o.chooseCard) {
      const picked = await o.chooseCard(providers.map((p) => ({ providerId: p.id, name: p.name })));
      providers = providers.filter((p) => p.id === picked);
    }
    const slot = await findSignSlot(session, providers, () => o.onStep({ kind: "pin" }));
    const key = await privateKey(slot, "02");
    const certificate = new Uint8Array(slot.der);
    o.onStep({ kind: "review" });
    await o.review(toBase64(certificate));
    o.onStep({ kind: "signing" });
    const cms = await buildCades({
      content: o.content,
      signerCertificate: certificate,
      algorithm: "RSASSA-PKCS1-v1_5",
      detached: false,
      signingTime: new Date(),
      sign: async (data) => {
        try {
          return new Uint8Array(await slot.crypto.subtle.sign(RS256, key, new Uint8Array(data)));
        } catch (e) {
          throw fromAgentError(e);
        }
      },
    });
    o.onStep({ kind: "done" });
    return { cms: toBase64(cms), signCertificate: toBase64(certificate) };
  } finally {
    session.provider.close();
  }
}

import fc from "fast-check";
import { createRootCa, issueSignCertificate, type SimCa } from "../../jlis-sim/ca/ca";
import { signCms } from "../../lib/jpki/cms-sign";
import { NOW, rsaKeys } from "./fixtures";

/**
 * Inputs for the parser and verifier properties: random bytes, or a valid seed with up to eight
 * bytes overwritten, an optional cut and an optional insertion. Shared by lib/jpki/fuzz.test.ts
 * and bench/jpki-cms-fuzz.ts, so the benchmark runs the very property CI runs.
 */
export function mutationsOf(seed: () => Uint8Array): fc.Arbitrary<Uint8Array> {
  const mutated = fc
    .tuple(
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
      fc.option(fc.nat()),
      fc.option(fc.tuple(fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 8 }))),
    )
    .map(([flips, cut, insert]) => {
      let b = seed().slice();
      for (const [at, v] of flips) b[at % b.length] = v;
      if (cut !== null) b = b.subarray(0, cut % (b.length + 1));
      if (insert !== null && b.length > 0) {
        const at = insert[0] % b.length;
        b = new Uint8Array([...b.subarray(0, at), ...insert[1], ...b.subarray(at)]);
      }
      return b;
    });
  return fc.oneof(fc.uint8Array({ maxLength: 512 }), mutated, mutated);
}

/** The seed CI runs the verifyCms mutation property with (a failure there is reproducible). */
export const CMS_MUTATION_SEED = 20261207;

/**
 * The seeds of the verifier properties: a signing root, a JPKI signing certificate under it and a
 * valid attached CAdES-BES SignedData by its key (signed at NOW).
 */
export async function signingSeeds(): Promise<{ ca: SimCa; cert: Uint8Array; cms: Uint8Array }> {
  const [a, k] = await Promise.all([rsaKeys(), rsaKeys()]);
  const ca = await createRootCa({
    purpose: "sign",
    generation: 1,
    keys: a,
    notBefore: new Date("2020-01-01"),
    notAfter: new Date("2035-01-01"),
  });
  const cert = await issueSignCertificate({
    ca,
    subjectPublicKey: k.publicKey,
    serialNumber: 99n,
    facts: {
      name: "山田\u3000太郎",
      address: "東京都清瀬市中里一丁目1番地",
      dateOfBirth: "1990-01-02",
      gender: "male",
    },
    prefectureRomaji: "Tokyo-to",
    municipalityRomaji: "Kiyose-shi",
    municipalityCode: "13221",
    issuedAt: NOW,
  });
  const cms = await signCms({
    content: new Uint8Array([1, 2, 3]),
    signerCertificate: cert,
    privateKey: k.privateKey,
    detached: false,
    signingTime: NOW,
  });
  return { ca, cert, cms };
}

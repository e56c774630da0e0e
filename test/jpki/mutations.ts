import fc from "fast-check";

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

import * as x509 from "@peculiar/x509";
import { beforeAll, describe, expect, it } from "vitest";
import { createRootCa, type SimCa } from "../../jlis-sim/ca/ca";
import { makeCert, NOW, rsaKeys } from "../../test/jpki/fixtures";
import { parseCertificate } from "../jpki/certificate";
import { requireTrustedPath } from "./card-certificate";

/** Card login and eligibility checks refuse a certificate a conforming CA would not issue (lib/jpki/conformance.ts). */
describe("requireTrustedPath and the conforming-CA rules", () => {
  let ca: SimCa;
  let leafKeys: CryptoKeyPair;
  let issuer: { name: string; keys: CryptoKeyPair };
  beforeAll(async () => {
    leafKeys = await rsaKeys();
    ca = await createRootCa({
      purpose: "auth",
      generation: 3,
      notBefore: new Date("2023-07-16T00:00:00Z"),
      notAfter: new Date("2033-07-15T00:00:00Z"),
    });
    issuer = { name: parseCertificate(ca.certificate).subject.text, keys: ca.keys };
  }, 60_000);

  const card = (noKeyIds: boolean) =>
    makeCert({
      subject: "C=JP, CN=997794E9AGCIEG13221003A",
      keys: leafKeys,
      issuer,
      keyUsage: x509.KeyUsageFlags.digitalSignature,
      noKeyIds,
    });

  it("a card certificate without an authority key identifier is CERT_UNTRUSTED, the rule in details.chain", async () => {
    await expect(requireTrustedPath(await card(true), [ca.certificate], NOW)).rejects.toMatchObject({
      code: "CERT_UNTRUSTED",
      details: { chain: "CERT_AKI_MISSING" },
    });
    const ok = await requireTrustedPath(await card(false), [ca.certificate], NOW);
    expect(ok.issuer).toEqual(ca.certificate);
  });
});

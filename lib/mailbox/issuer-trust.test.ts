import { mkdtemp, rm } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateRsaKeyPair } from "../../jlis-sim/ca/ca";
import {
  issueOrganizationCertificate,
  openPartnerCa,
  revokeOrganizationCertificate,
} from "../../jlis-sim/partner-ca/partner-ca";
import { servePartnerCrl } from "../../jlis-sim/partner-ca/serve-partner-crl";
import { signCms } from "../jpki/cms-sign";
import { canonicalJsonBytes } from "./canonical-json";
import { createIssuerCrlSource } from "./issuer-trust";
import { verifyIssuerSignature } from "./verify-issuer-signature";

describe("issuer CRLs over HTTP", () => {
  let dir: string;
  let server: http.Server;
  let url: string;
  const requests: { ifNoneMatch?: string; status: number }[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "issuer-crl-"));
    server = http.createServer(async (req, res) => {
      const answer = await servePartnerCrl(
        new Request(`http://x${req.url}`, { headers: req.headers as Record<string, string> }),
        { dir },
      );
      requests.push({ ifNoneMatch: req.headers["if-none-match"], status: answer.status });
      res.writeHead(answer.status, Object.fromEntries(answer.headers));
      res.end(Buffer.from(await answer.arrayBuffer()));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/partner-ca/crl`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    await rm(dir, { recursive: true, force: true });
  });

  it("[MAILBOX][REVOCATION_NOW]: an issuer certificate revoked a second ago is refused on the next delivery; an unchanged CRL costs a 304", async () => {
    const ca = await openPartnerCa(dir);
    const keys = await generateRsaKeyPair();
    const serialNumber = 4242n;
    const certificate = await issueOrganizationCertificate({
      ca,
      subjectPublicKey: keys.publicKey,
      serialNumber,
      organizationName: "さくら生命保険株式会社",
      partnerSlug: "sakura-life",
      notBefore: new Date(Date.now() - 86_400_000),
      notAfter: new Date(Date.now() + 86_400_000),
    });
    const payload = canonicalJsonBytes({ hello: "世界" });
    const signature = await signCms({
      content: payload,
      signerCertificate: certificate,
      privateKey: keys.privateKey,
      signingTime: new Date(),
      detached: true,
    });
    const source = createIssuerCrlSource(url);
    const verify = async () =>
      verifyIssuerSignature({
        canonicalPayload: payload,
        signature,
        partnerSlug: "sakura-life",
        trust: { trustAnchors: [ca.certificate], issuerCrls: await source() },
        now: new Date(),
      });

    expect((await verify()).stored.valid).toBe(true);
    expect((await verify()).stored.valid).toBe(true);
    expect(requests.map((r) => r.status)).toEqual([200, 304]);
    expect(requests[1]!.ifNoneMatch).toBeTruthy();

    await revokeOrganizationCertificate(dir, { serialNumber, reason: "keyCompromise" });
    await expect(verify()).rejects.toMatchObject({ code: "DOCUMENT_ISSUER_REVOKED" });
    expect(requests.at(-1)!.status).toBe(200);
  });

  it("uses the held CRL while the CA is unreachable until its nextUpdate, then refuses", async () => {
    let up = true;
    const flaky: typeof fetch = (input, init) => (up ? fetch(input, init) : Promise.reject(new Error("ECONNREFUSED")));
    const source = createIssuerCrlSource(url, flaky);
    const [first] = await source();
    up = false;
    expect((await source())[0]).toEqual(first);
    await expect(source(new Date(Date.now() + 30 * 86_400_000))).rejects.toMatchObject({
      code: "CERT_STATUS_UNAVAILABLE",
    });
    await expect(createIssuerCrlSource(url, flaky)()).rejects.toMatchObject({ code: "CERT_STATUS_UNAVAILABLE" });
  });
});

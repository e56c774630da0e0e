/**
 * Contract test: the real npm @webcrypto-local/client against the agent with the `pkcs11` back-end
 * on SoftHSM2, the card written by softhsm-provision, in the (unsafe) test mode: pairing is
 * auto-approved and PINs come from the options, as CARD_AGENT_TEST_* would give them.
 */
import { createPublicKey, X509Certificate, verify as verifySignature } from "node:crypto";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAgent, type TRunningAgent } from "./server";
import { makeCardFixture, type TCardFixture } from "./test/card-fixture";
import { connectClient, installBrowserLikeFetch, rejection, type TClient, waitFor } from "./test/client-harness";
import { PinCounterStore } from "./tokens/pin-counter";
import { Pkcs11Backend } from "./tokens/pkcs11-backend";
import { createSoftHsmConfig, provisionSoftHsmCard, SOFTHSM_LIBRARY } from "./tokens/softhsm-provision";

const ORIGIN = "http://localhost:3000";
const root = mkdtempSync(path.join(os.tmpdir(), "ichimai-agent-p11-"));
let fx: TCardFixture;
let agent: TRunningAgent;
let client: TClient;

const provider = async (label: string) => {
  const p = (await client.provider.info()).providers.find((x) => x.token?.label === label);
  if (!p) throw new Error(`no provider ${label}`);
  return p;
};

beforeAll(async () => {
  // SoftHSM2 reads SOFTHSM2_CONF when the module is first initialised in this process.
  process.env.SOFTHSM2_CONF = await createSoftHsmConfig(path.join(root, "softhsm"));
  fx = await makeCardFixture();
  await provisionSoftHsmCard({
    soPin: "87654321",
    auth: { ...fx.auth, pin: "1234" },
    sign: { ...fx.sign, pin: "ABC123" },
  });
  const dataDir = path.join(root, "agent");
  agent = await startAgent({
    host: "127.0.0.1",
    port: 0,
    dataDir,
    allowedOrigins: [ORIGIN],
    testMode: true,
    // The sign PIN given by the "environment" is wrong on purpose: the lock test counts it down.
    testPins: { auth: "1234", sign: "XYZ999" },
    backends: [new Pkcs11Backend(SOFTHSM_LIBRARY, new PinCounterStore(path.join(dataDir, "pin-counters.json")))],
    pollIntervalMs: 100,
    log: () => undefined,
  });
  installBrowserLikeFetch(agent.caPem, ORIGIN);
  client = await connectClient(agent.port, agent.caPem, ORIGIN);
});

afterAll(async () => {
  client?.provider.close();
  await agent?.close();
});

describe("pkcs11 back-end on SoftHSM2 (test mode)", () => {
  it("auto-approves an allowed origin in test mode and records it as such", async () => {
    expect(await client.provider.isLoggedIn()).toBe(false);
    await client.provider.login();
    expect(await client.provider.isLoggedIn()).toBe(true);
    expect((await agent.approvals.list())[0]).toMatchObject({ origin: ORIGIN, how: "test-mode" });
  });

  it("shows the card as two JPKI tokens with OpenSC's layout", async () => {
    const info = await client.provider.info();
    expect(info.providers.map((p) => p.token?.label).sort()).toEqual([
      "JPKI (Digital Signature PIN)",
      "JPKI (User Authentication PIN)",
    ]);
    const auth = await client.provider.getCrypto((await provider("JPKI (User Authentication PIN)")).id);
    const keys = await auth.certStorage.keys();
    expect(keys.map((k) => k.split("-")[2]).sort()).toEqual(["01", "03"]);
    const authIndex = keys.find((k) => k.endsWith("-01"))!;
    expect(Buffer.from((await auth.certStorage.getValue(authIndex))!)).toEqual(Buffer.from(fx.auth.certificate));
    // SoftHSM hides private objects before login, as OpenSC does for the JPKI keys.
    expect(await auth.keyStorage.keys()).toEqual([]);
    const sign = await client.provider.getCrypto((await provider("JPKI (Digital Signature PIN)")).id);
    expect((await sign.certStorage.keys()).map((k) => k.split("-")[2])).toEqual(["04"]);
  });

  it("logs in with the PIN from the test environment and signs with the key paired to the certificate", async () => {
    const auth = await client.provider.getCrypto((await provider("JPKI (User Authentication PIN)")).id);
    await auth.login();
    expect(await auth.isLoggedIn()).toBe(true);
    const certIndex = (await auth.certStorage.keys()).find((k) => k.endsWith("-01"))!;
    const key = await auth.certStorage.findPrivateKey(await auth.certStorage.getItem(certIndex));
    expect(key).not.toBeNull();
    const data = new TextEncoder().encode("hash(origin) || hash(nonce)");
    const sig = new Uint8Array(await auth.subtle.sign({ name: "RSASSA-PKCS1-v1_5" }, key!, data));
    const pub = createPublicKey(
      new X509Certificate(fx.auth.certificate).publicKey.export({ format: "pem", type: "spki" }),
    );
    expect(verifySignature("sha256", data, pub, sig)).toBe(true);
  });

  it("counts wrong signing PINs in the agent (SoftHSM never locks) and locks at 0", async () => {
    const sign = await client.provider.getCrypto((await provider("JPKI (Digital Signature PIN)")).id);
    const messages: string[] = [];
    for (let i = 0; i < 5; i++) messages.push((await rejection(sign.login())).message);
    expect(messages.slice(0, 4)).toEqual([4, 3, 2, 1].map((n) => `CKR_PIN_INCORRECT: triesLeft=${n}`));
    expect(messages[4]).toContain("CKR_PIN_LOCKED");
    expect((await rejection(sign.login())).message).toContain("CKR_PIN_LOCKED");
    const flags = (await provider("JPKI (Digital Signature PIN)")).token!.flags;
    expect(flags & 0x40000).toBe(0x40000);
  });

  it("reports a token written while the agent runs as inserted", async () => {
    const events: string[][] = [];
    client.provider.on("token", (e: { added: { token?: { label: string } }[] }) =>
      events.push(e.added.map((p) => p.token?.label ?? "")),
    );
    await provisionSoftHsmCard({ soPin: "87654321", auth: { ...fx.auth, pin: "4321" } });
    const added = await waitFor(() => events.find((e) => e.length));
    expect(added).toEqual(["JPKI (User Authentication PIN)"]);
    expect((await client.provider.info()).providers).toHaveLength(3);
  });
});

import "reflect-metadata";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { webcrypto } from "node:crypto";
import * as x509 from "@peculiar/x509";
import { AsymmetricRatchet, Identity, PreKeyBundleProtocol, setEngine } from "2key-ratchet";
import { beforeAll, describe, expect, it } from "vitest";
import { parseEnv } from "../lib/env";
import { ApprovalStore } from "./approval-store";
import { IdentityStore } from "./identity-store";
import { agentOptionsFromEnv } from "./main";
import { ensureAgentTls } from "./tls";

const dir = () => mkdtempSync(path.join(os.tmpdir(), "ichimai-agent-store-"));

beforeAll(() => {
  setEngine("node", globalThis.crypto);
});

describe("local TLS (docs/card-agent-protocol.md#discovery-and-transport)", () => {
  it("makes a CA and a 127.0.0.1 leaf once, with SAN localhost + 127.0.0.1 and EKU serverAuth, and keeps them", async () => {
    const d = dir();
    const first = await ensureAgentTls(d);
    const leaf = new x509.X509Certificate(first.certPem);
    expect(leaf.subject).toBe("CN=127.0.0.1");
    const san = leaf.getExtension(x509.SubjectAlternativeNameExtension);
    expect(san?.names.items.map((n) => `${n.type}:${n.value}`).sort()).toEqual(["dns:localhost", "ip:127.0.0.1"]);
    expect(leaf.getExtension(x509.ExtendedKeyUsageExtension)?.usages).toEqual([x509.ExtendedKeyUsage.serverAuth]);
    x509.cryptoProvider.set(webcrypto as unknown as Crypto);
    expect(await leaf.verify({ publicKey: new x509.X509Certificate(first.caPem).publicKey, signatureOnly: true })).toBe(
      true,
    );
    const second = await ensureAgentTls(d);
    expect(second.caPem).toBe(first.caPem);
    expect(second.certPem).toBe(first.certPem);
  });
});

describe("IdentityStore", () => {
  it("keeps one identity per origin across restarts, and its bundle is accepted by a client ratchet", async () => {
    const file = path.join(dir(), "identities.json");
    const a = new IdentityStore(file);
    const [x, y] = await Promise.all([a.get("http://localhost:3000"), a.get("https://portal.example")]);
    expect(await x.signingKey.publicKey.thumbprint()).not.toBe(await y.signingKey.publicKey.thumbprint());
    const reloaded = await new IdentityStore(file).get("http://localhost:3000");
    expect(await reloaded.signingKey.publicKey.thumbprint()).toBe(await x.signingKey.publicKey.thumbprint());
    const raw = Buffer.from(await new IdentityStore(file).bundle("http://localhost:3000"), "base64");
    const bundle = await PreKeyBundleProtocol.importProto(new Uint8Array(raw).buffer);
    expect(bundle.registrationId).toBe(0);
    expect(await bundle.identity.signingKey.thumbprint()).toBe(await x.signingKey.publicKey.thumbprint());
    // The client side of X3DH verifies the identity and the signed pre-key signature.
    const client = await Identity.create(1, 0, 0, false);
    await expect(AsymmetricRatchet.create(client, bundle)).resolves.toBeDefined();
  });
});

describe("ApprovalStore", () => {
  it("binds approvals to (origin, key), lists, revokes, and another instance sees the change", async () => {
    const file = path.join(dir(), "approvals.json");
    const store = new ApprovalStore(file);
    const a = await store.add({ origin: "http://localhost:3000", clientKeyId: "k1", how: "user" });
    expect(await store.isApproved("http://localhost:3000", "k1")).toBe(true);
    expect(await store.isApproved("https://other.example", "k1")).toBe(false);
    expect(await store.isApproved("http://localhost:3000", "k2")).toBe(false);
    const other = new ApprovalStore(file);
    expect((await other.list()).map((x) => x.id)).toEqual([a.id]);
    expect(await other.revoke(a.id)).toBe(true);
    expect(await other.revoke(a.id)).toBe(false);
    expect(await store.isApproved("http://localhost:3000", "k1")).toBe(false);
  });
});

describe("agent configuration", () => {
  it("reads allowed origins and back-ends from the environment, and refuses test mode in production", () => {
    const o = agentOptionsFromEnv(
      parseEnv({
        CARD_AGENT_ALLOWED_ORIGINS: "http://localhost:3000, https://portal.example",
        CARD_AGENT_PKCS11_LIBRARY: "/x.so",
      }),
      () => undefined,
    );
    expect(o.allowedOrigins).toEqual(["http://localhost:3000", "https://portal.example"]);
    expect(o.backends.map((b) => b.name)).toEqual(["soft", "pkcs11"]);
    expect(o.testMode).toBe(false);
    expect(() => agentOptionsFromEnv(parseEnv({ NODE_ENV: "production", CARD_AGENT_TEST_MODE: "1" }))).toThrow(
      /refused/,
    );
    expect(() => parseEnv({ CARD_AGENT_ALLOWED_ORIGINS: "not a url" })).toThrow();
  });
});

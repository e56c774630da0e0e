/**
 * Contract test: the real npm @webcrypto-local/client against the agent with the `soft` back-end,
 * pairing and PIN entry answered through the agent's own UI API (not test mode).
 */
import { createPublicKey, X509Certificate, verify as verifySignature } from "node:crypto";
import { mkdtempSync, promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAgent, type TRunningAgent } from "./server";
import { makeCardFixture, type TCardFixture } from "./test/card-fixture";
import {
  ClientProto,
  connectClient,
  httpsRequest,
  installBrowserLikeFetch,
  rejection,
  type TClient,
  waitFor,
} from "./test/client-harness";
import { SoftBackend } from "./tokens/soft-backend";
import { writeVirtualCard } from "./tokens/virtual-card";

const ORIGIN = "http://localhost:3000";
const root = mkdtempSync(path.join(os.tmpdir(), "ichimai-agent-soft-"));
const cardsDir = path.join(root, "cards");
let fx: TCardFixture;
let agent: TRunningAgent;
let uiToken: string;
let paired: TClient;

async function writeCard(name: string) {
  await writeVirtualCard(path.join(cardsDir, name), {
    label: "JPKIAPICCTOKEN2",
    tokenType: "card",
    displayName: name,
    auth: { ...fx.auth, pin: "1234" },
    sign: { ...fx.sign, pin: "ABC123" },
  });
}

const ui = (p: string, body?: unknown) =>
  httpsRequest(`${agent.url}${p}`, {
    ca: agent.caPem,
    method: body ? "POST" : "GET",
    headers: {
      "x-agent-ui-token": uiToken,
      "content-type": "application/json",
      ...(body ? { origin: agent.url } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  }).then((r) => ({ status: r.status, json: JSON.parse(r.body) }));

type TState = {
  approvals: { id: string; origin: string; code: string }[];
  pins: { id: string; displayName: string; triesLeft: number; slot: string }[];
};
const pendingPin = () => waitFor(async () => ((await ui("/ui/api/state")).json as TState).pins[0] ?? undefined);

async function jpkiAuthProvider(client: TClient, displayName: string) {
  const info = await client.provider.info();
  const p = info.providers.find(
    (x) => x.token?.label === "JPKI (User Authentication PIN)" && x.name.startsWith(displayName),
  );
  if (!p) throw new Error(`no auth provider for ${displayName}`);
  return p;
}

beforeAll(async () => {
  fx = await makeCardFixture();
  await writeCard("taro.json");
  await writeCard("hanako.json");
  agent = await startAgent({
    host: "127.0.0.1",
    port: 0,
    dataDir: path.join(root, "agent"),
    allowedOrigins: [ORIGIN],
    testMode: false,
    testPins: {},
    backends: [new SoftBackend(cardsDir)],
    pollIntervalMs: 100,
    log: () => undefined,
  });
  installBrowserLikeFetch(agent.caPem, ORIGIN);
  const page = await httpsRequest(`${agent.url}/ui`, { ca: agent.caPem });
  uiToken = /const TOKEN = "([^"]+)"/.exec(page.body)?.[1] ?? "";
});

afterAll(async () => {
  paired?.provider.close();
  await agent?.close();
});

describe("discovery (docs/card-agent-protocol.md#discovery-and-transport)", () => {
  it("answers the well-known URL for an allowed origin with version ≥ 1.2 and a pre-key bundle", async () => {
    const r = await httpsRequest(`${agent.url}/.well-known/webcrypto-socket`, {
      ca: agent.caPem,
      headers: { origin: ORIGIN },
    });
    expect(r.status).toBe(200);
    expect(r.headers["access-control-allow-origin"]).toBe("*");
    const body = JSON.parse(r.body);
    expect(body.name).toBe("webcrypto-socket");
    expect(body.version >= "1.2").toBe(true);
    expect(Buffer.from(body.preKey, "base64").length).toBeGreaterThan(100);
    expect(body.providers).toHaveLength(4);
  });

  it("refuses origins outside the allow-list and requests without an Origin, and answers OPTIONS", async () => {
    const url = `${agent.url}/.well-known/webcrypto-socket`;
    expect((await httpsRequest(url, { ca: agent.caPem, headers: { origin: "https://evil.example" } })).status).toBe(
      403,
    );
    expect((await httpsRequest(url, { ca: agent.caPem })).status).toBe(403);
    const pre = await httpsRequest(url, { ca: agent.caPem, method: "OPTIONS", headers: { origin: ORIGIN } });
    expect(pre.status).toBe(200);
    expect(pre.headers["access-control-allow-methods"]).toBe("OPTIONS, GET");
  });

  it("serves the UI only with its token, same-origin, on its own host name", async () => {
    expect(uiToken.length).toBeGreaterThan(20);
    const noToken = await httpsRequest(`${agent.url}/ui/api/state`, { ca: agent.caPem });
    expect(noToken.status).toBe(403);
    const crossOrigin = await httpsRequest(`${agent.url}/ui/api/approval`, {
      ca: agent.caPem,
      method: "POST",
      headers: { "x-agent-ui-token": uiToken, origin: ORIGIN, "content-type": "application/json" },
      body: JSON.stringify({ id: "x", approve: true }),
    });
    expect(crossOrigin.status).toBe(403);
    const rebound = await httpsRequest(`${agent.url}/ui`, {
      ca: agent.caPem,
      headers: { host: "evil.example" },
      anyHostName: true,
    });
    expect(rebound.status).toBe(421);
  });

  it("serves /ui in the 10-foot TV mode with ?ui=tv (same token and CSP), the desktop page otherwise", async () => {
    const desktop = await httpsRequest(`${agent.url}/ui`, { ca: agent.caPem });
    expect(desktop.body).not.toContain('data-ui-mode="tv"');
    const tv = await httpsRequest(`${agent.url}/ui?ui=tv`, { ca: agent.caPem });
    expect(tv.status).toBe(200);
    expect(tv.body).toContain('<body data-ui-mode="tv">');
    // No text field: the PIN comes from the number keys only.
    expect(tv.body).not.toContain("<input");
    expect(tv.body).toContain('"x-agent-ui-token": TOKEN');
    expect(tv.headers["content-security-policy"]).toContain("script-src 'nonce-");
    const unknown = await httpsRequest(`${agent.url}/ui?ui=fridge`, { ca: agent.caPem });
    expect(unknown.body).not.toContain('data-ui-mode="tv"');
  });

  it("serves the UI's Japanese font itself (no network, no system font needed), and nothing else under /ui/fonts", async () => {
    const page = await httpsRequest(`${agent.url}/ui`, { ca: agent.caPem });
    expect(page.body).toContain('<link rel="stylesheet" href="/ui/fonts/noto-sans-jp.css">');
    expect(page.headers["content-security-policy"]).toContain("font-src 'self'");
    const css = await httpsRequest(`${agent.url}/ui/fonts/noto-sans-jp.css`, { ca: agent.caPem });
    expect(css.status).toBe(200);
    expect(css.headers["content-type"]).toContain("text/css");
    expect(css.body).toContain("font-family: 'Noto Sans JP'");
    expect(css.body).not.toContain("./files/");
    expect(css.body).not.toContain(".woff)");
    // Every subset the stylesheet names is served by the agent as a real woff2 (CJK and Latin).
    const urls = [...css.body.matchAll(/url\((\/ui\/fonts\/files\/[^)]+)\)/g)].map((m) => m[1]!);
    expect(urls.length).toBeGreaterThan(100);
    for (const u of [urls[0]!, urls[urls.length - 1]!]) {
      const font = await httpsRequest(`${agent.url}${u}`, { ca: agent.caPem });
      expect(font.status).toBe(200);
      expect(font.headers["content-type"]).toBe("font/woff2");
      expect(font.body.startsWith("wOF2")).toBe(true);
    }
    for (const bad of [
      "/ui/fonts/files/..%2F..%2Fpackage.json",
      "/ui/fonts/files/noto-sans-jp-0-400-normal.woff",
      "/ui/fonts/x.css",
    ]) {
      expect((await httpsRequest(`${agent.url}${bad}`, { ca: agent.caPem })).status).toBe(404);
    }
  });
});

describe("pairing", () => {
  it("an unpaired client may only ask isLoggedIn/login; anything else is 602", async () => {
    const c = await connectClient(agent.port, agent.caPem, ORIGIN);
    try {
      expect(await c.provider.isLoggedIn()).toBe(false);
      const e = await rejection(c.provider.info());
      expect(e.code).toBe(602);
      expect(e.message).toBe("404: Not authorized");
    } finally {
      c.provider.close();
    }
  });

  it("a denied pairing gives 101", async () => {
    const c = await connectClient(agent.port, agent.caPem, ORIGIN);
    try {
      const login = rejection(c.provider.login());
      const req = await waitFor(async () => ((await ui("/ui/api/state")).json as TState).approvals[0]);
      expect((await ui("/ui/api/approval", { id: req.id, approve: false })).json).toEqual({ ok: true });
      expect((await login).code).toBe(101);
      expect(await c.provider.isLoggedIn()).toBe(false);
    } finally {
      c.provider.close();
    }
  });

  it("shows the same 6-digit code as the page, and after approval the same profile is paired at once", async () => {
    paired = await connectClient(agent.port, agent.caPem, ORIGIN);
    const login = paired.provider.login();
    const req = await waitFor(async () => ((await ui("/ui/api/state")).json as TState).approvals[0]);
    expect(req.origin).toBe(ORIGIN);
    expect(req.code).toMatch(/^\d{6}$/);
    expect(req.code).toBe(await paired.provider.challenge());
    await ui("/ui/api/approval", { id: req.id, approve: true });
    await login;
    expect(await paired.provider.isLoggedIn()).toBe(true);
    expect((await agent.approvals.list()).map((a) => a.origin)).toEqual([ORIGIN]);

    // Same browser profile (storage) → new socket is authorised straight away.
    const again = await connectClient(agent.port, agent.caPem, ORIGIN, paired.storage);
    try {
      expect(await again.provider.isLoggedIn()).toBe(true);
    } finally {
      again.provider.close();
    }
  });
});

describe("card flow (docs/card-agent-protocol.md#the-card-login-flow)", () => {
  it("lists two JPKI providers per card and reads the auth certificate without a PIN", async () => {
    const info = await paired.provider.info();
    expect(info.providers).toHaveLength(4);
    expect(info.providers.every((p) => p.token?.label.startsWith("JPKI"))).toBe(true);
    const p = await jpkiAuthProvider(paired, "taro.json");
    const crypto = await paired.provider.getCrypto(p.id);
    expect(await crypto.isLoggedIn()).toBe(false);
    const keys = await crypto.certStorage.keys();
    expect(keys).toEqual(["x509-0100000000000000-01", "x509-0300000000000000-03"]);
    const der = new Uint8Array((await crypto.certStorage.getValue(keys[0]!))!);
    expect(Buffer.from(der)).toEqual(Buffer.from(fx.auth.certificate));
    const item = await crypto.certStorage.getItem(keys[0]!);
    expect((item as unknown as { label: string }).label).toBe("User Authentication Certificate");
    expect(await crypto.certStorage.indexOf(item)).toBe(keys[0]);
    const exported = await crypto.certStorage.exportCert("pem", item);
    expect(String(exported)).toContain("BEGIN CERTIFICATE");
    // The signing certificate is private until the signing PIN; the key list is empty before login.
    expect(await crypto.keyStorage.keys()).toEqual([]);
    const signP = info.providers.find(
      (x) => x.token?.label === "JPKI (Digital Signature PIN)" && x.name.startsWith("taro.json"),
    )!;
    expect(await (await paired.provider.getCrypto(signP.id)).certStorage.keys()).toEqual(["x509-0600000000000000-04"]);
    expect((await rejection(paired.provider.getCrypto("00ff"))).code).toBe(402);
  });

  it("collects the PIN in the agent UI, counts a wrong PIN, then signs with the paired key", async () => {
    const p = await jpkiAuthProvider(paired, "taro.json");
    const crypto = await paired.provider.getCrypto(p.id);
    const wrong = rejection(crypto.login());
    const prompt = await pendingPin();
    expect(prompt).toMatchObject({ slot: "auth", triesLeft: 3 });
    // The socket is not blocked while the PIN prompt waits: other requests are answered meanwhile.
    expect((await paired.provider.info()).providers).toHaveLength(4);
    await ui("/ui/api/pin", { id: prompt.id, pin: "0000" });
    const e = await wrong;
    expect(e.message).toContain("CKR_PIN_INCORRECT");
    expect(e.message).toContain("triesLeft=2");

    const ok = crypto.login();
    const prompt2 = await pendingPin();
    expect(prompt2.triesLeft).toBe(2);
    await ui("/ui/api/pin", { id: prompt2.id, pin: "1234" });
    await ok;
    expect(await crypto.isLoggedIn()).toBe(true);

    const certIndex = (await crypto.certStorage.keys())[0]!;
    const certItem = await crypto.certStorage.getItem(certIndex);
    const viaFind = await crypto.certStorage.findPrivateKey(certItem);
    expect(viaFind?.type).toBe("private");
    expect(await crypto.keyStorage.keys()).toEqual(["private-0200000000000000-01"]);
    const key = await crypto.keyStorage.getItem(
      "private-0200000000000000-01",
      { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" } as Algorithm,
      false,
      ["sign"],
    );
    const data = new TextEncoder().encode("hash(origin) || hash(nonce)");
    const sig = new Uint8Array(await crypto.subtle.sign({ name: "RSASSA-PKCS1-v1_5" }, key, data));
    const pub = createPublicKey(
      new X509Certificate(fx.auth.certificate).publicKey.export({ format: "pem", type: "spki" }),
    );
    expect(verifySignature("sha256", data, pub, sig)).toBe(true);
    expect(verifySignature("sha256", new TextEncoder().encode("other"), pub, sig)).toBe(false);

    await crypto.logout();
    expect(await crypto.isLoggedIn()).toBe(false);
    expect((await rejection(crypto.subtle.sign({ name: "RSASSA-PKCS1-v1_5" }, key, data))).message).toContain(
      "CKR_USER_NOT_LOGGED_IN",
    );
  });

  it("locks the auth PIN after 3 wrong entries and then refuses without asking", async () => {
    const p = await jpkiAuthProvider(paired, "hanako.json");
    const crypto = await paired.provider.getCrypto(p.id);
    const messages: string[] = [];
    for (const pin of ["1111", "2222", "3333"]) {
      const attempt = rejection(crypto.login());
      const prompt = await pendingPin();
      await ui("/ui/api/pin", { id: prompt.id, pin });
      messages.push((await attempt).message);
    }
    expect(messages[0]).toContain("triesLeft=2");
    expect(messages[1]).toContain("triesLeft=1");
    expect(messages[2]).toContain("CKR_PIN_LOCKED");
    const locked = await rejection(crypto.login());
    expect(locked.message).toContain("CKR_PIN_LOCKED");
    expect(((await ui("/ui/api/state")).json as TState).pins).toEqual([]);
    const flags = (await jpkiAuthProvider(paired, "hanako.json")).token!.flags;
    expect(flags & 0x40000).toBe(0x40000); // CKF_USER_PIN_LOCKED
  });

  it("shows the signing certificate and key only after the signing PIN", async () => {
    const info = await paired.provider.info();
    const p = info.providers.find(
      (x) => x.token?.label === "JPKI (Digital Signature PIN)" && x.name.startsWith("taro.json"),
    )!;
    const crypto = await paired.provider.getCrypto(p.id);
    const login = crypto.login();
    const prompt = await pendingPin();
    expect(prompt).toMatchObject({ slot: "sign", triesLeft: 5 });
    await ui("/ui/api/pin", { id: prompt.id, pin: "ABC123" });
    await login;
    expect(await crypto.certStorage.keys()).toEqual(["x509-0400000000000000-02", "x509-0600000000000000-04"]);
    expect(Buffer.from((await crypto.certStorage.getValue("x509-0400000000000000-02"))!)).toEqual(
      Buffer.from(fx.sign.certificate),
    );
    expect(await crypto.keyStorage.keys()).toEqual(["private-0500000000000000-02"]);
    await crypto.logout();
  });

  it("a cancelled PIN entry gives 10001", async () => {
    const p = await jpkiAuthProvider(paired, "taro.json");
    const crypto = await paired.provider.getCrypto(p.id);
    const attempt = rejection(crypto.login());
    const prompt = await pendingPin();
    await ui("/ui/api/pin", { id: prompt.id, cancel: true });
    expect((await attempt).code).toBe(10001);
  });

  it("a PIN entered for one page is not a login for another page; closing the page logs the card out", async () => {
    const tabA = await connectClient(agent.port, agent.caPem, ORIGIN, paired.storage);
    const tabB = await connectClient(agent.port, agent.caPem, ORIGIN, paired.storage);
    const provider = await jpkiAuthProvider(tabA, "taro.json");
    const a = await tabA.provider.getCrypto(provider.id);
    const b = await tabB.provider.getCrypto(provider.id);
    const loginA = a.login();
    await ui("/ui/api/pin", { id: (await pendingPin()).id, pin: "1234" });
    await loginA;
    expect(await a.isLoggedIn()).toBe(true);
    const alg = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" } as Algorithm;
    const keyA = await a.keyStorage.getItem("private-0200000000000000-01", alg, false, ["sign"]);

    // Another tab sees no login and no keys, and must enter the PIN itself.
    expect(await b.isLoggedIn()).toBe(false);
    expect(await b.keyStorage.keys()).toEqual([]);
    const loginB = b.login();
    const prompt = await pendingPin();
    expect(prompt.slot).toBe("auth");
    await ui("/ui/api/pin", { id: prompt.id, pin: "1234" });
    await loginB;
    expect(await b.isLoggedIn()).toBe(true);
    // …which ended tab A's login: its key handle no longer signs.
    expect(await a.isLoggedIn()).toBe(false);
    const data = new TextEncoder().encode("challenge");
    expect((await rejection(a.subtle.sign({ name: "RSASSA-PKCS1-v1_5" }, keyA, data))).message).toContain(
      "CKR_USER_NOT_LOGGED_IN",
    );

    tabB.provider.close();
    await waitFor(() => (agent.registry.get(provider.id)?.isLoggedIn() === false ? true : undefined));
    tabA.provider.close();
  });

  it("answers an unknown action with 201 instead of silence", async () => {
    const action = new ClientProto.ActionProto();
    action.action = "crypto/subtle/digest";
    const e = await rejection(paired.provider.client.send(action));
    expect(e.code).toBe(201);
    const chain = new ClientProto.CertificateStorageGetChainActionProto();
    chain.providerID = (await jpkiAuthProvider(paired, "taro.json")).id;
    expect((await rejection(paired.provider.client.send(chain))).code).toBe(201);
  });

  it("pushes provider/event/token when a card file appears and disappears", async () => {
    const events: { added: string[]; removed: string[] }[] = [];
    paired.provider.on("token", (e: { added: { name: string }[]; removed: { name: string }[] }) =>
      events.push({ added: e.added.map((p) => p.name), removed: e.removed.map((p) => p.name) }),
    );
    await writeCard("jiro.json");
    const added = await waitFor(() => events.find((e) => e.added.length));
    expect(added.added).toHaveLength(2);
    expect(added.added.every((n) => n.startsWith("jiro.json"))).toBe(true);
    await fs.rm(path.join(cardsDir, "jiro.json"));
    const removed = await waitFor(() => events.find((e) => e.removed.length));
    expect(removed.removed).toHaveLength(2);
  });

  it("a revoked approval ends access at the next action (602)", async () => {
    const [approval] = await agent.approvals.list();
    expect(await agent.approvals.revoke(approval!.id)).toBe(true);
    expect((await rejection(paired.provider.info())).code).toBe(602);
    expect(await paired.provider.isLoggedIn()).toBe(false);
  });
});

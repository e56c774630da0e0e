/**
 * Drives the REAL npm `@webcrypto-local/client` 1.10.7 (its CommonJS main, as docs/card-agent-protocol.md#browser-and-node-clients
 * describes) against an agent in this process. The client's discovery uses the global `fetch`,
 * which takes no TLS options and sends no Origin in Node, so the harness installs a fetch that
 * trusts the agent's CA and sends the portal's Origin, as a browser would.
 */
import { request } from "node:https";
import { createRequire } from "node:module";
import type * as ClientModule from "@webcrypto-local/client";
import type * as ProtoModule from "@webcrypto-local/proto";

const require = createRequire(import.meta.url);
export const wcs = require("@webcrypto-local/client") as typeof ClientModule;
/** The proto classes the client itself uses (same module instance as the client's). */
export const ClientProto = require("@webcrypto-local/proto") as typeof ProtoModule;
wcs.setEngine("node", globalThis.crypto);

export type THttpResult = { status: number; headers: Record<string, string | string[] | undefined>; body: string };

/** A plain HTTPS request to the agent (CA-trusted), for discovery and the agent's UI API. */
export function httpsRequest(
  url: string,
  o: { ca: string; method?: string; headers?: Record<string, string>; body?: string; anyHostName?: boolean },
): Promise<THttpResult> {
  return new Promise((resolve, reject) => {
    const opts = {
      method: o.method ?? "GET",
      ca: o.ca,
      headers: o.headers,
      // Only to simulate DNS rebinding: a foreign Host header with our certificate.
      ...(o.anyHostName ? { checkServerIdentity: () => undefined } : {}),
    };
    const req = request(url, opts, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }),
      );
    });
    req.on("error", reject);
    req.end(o.body);
  });
}

/** Replaces global fetch with one that trusts `ca` and sends `origin` (what a browser page does). */
export function installBrowserLikeFetch(ca: string, origin: string): void {
  globalThis.fetch = (async (input: string | URL | Request) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const r = await httpsRequest(url, { ca, headers: { origin } });
    return new Response(r.body, { status: r.status, headers: { "content-type": String(r.headers["content-type"]) } });
  }) as typeof fetch;
}

export type TClient = { provider: ClientModule.SocketProvider; storage: ClientModule.MemoryStorage };

/** Connects a client (optionally reusing a storage = the same browser profile) and waits for "listening". */
export async function connectClient(port: number, ca: string, origin: string, storage = new wcs.MemoryStorage()) {
  const provider = new wcs.SocketProvider({ storage });
  await new Promise<void>((resolve, reject) => {
    provider
      .connect(`127.0.0.1:${port}`, { ca, origin })
      .on("listening", () => resolve())
      .on("error", (e: unknown) => reject(e instanceof Error ? e : new Error(String(e))));
  });
  return { provider, storage };
}

/** Waits until `fn` returns a value other than undefined. */
export async function waitFor<T>(fn: () => Promise<T | undefined> | T | undefined, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error("waitFor: timed out");
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The error a client call rejected with (fails the test if it resolved). */
export async function rejection(p: Promise<unknown>): Promise<{ code?: number; type?: string; message: string }> {
  try {
    await p;
  } catch (e) {
    return e as { code?: number; type?: string; message: string };
  }
  throw new Error("expected the call to fail, but it succeeded");
}

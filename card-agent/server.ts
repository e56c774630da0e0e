/**
 * The card agent: one HTTPS server on loopback carrying
 * - `GET /.well-known/webcrypto-socket` (discovery, docs/card-agent-protocol.md#discovery-and-transport),
 * - the WSS endpoint at `/` (2key-ratchet sessions, docs/card-agent-protocol.md#session-and-pairing),
 * - the agent's own UI at `/ui` (pairing approval and PIN entry).
 * Only allowed portal origins may discover or connect (the Origin header, which browsers always
 * send on cross-origin fetch and on WebSocket); upstream has no such list (docs/card-agent-protocol.md#security-choices).
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import { createServer, type Server } from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { setEngine } from "2key-ratchet";
import { type ProviderCrypto, SERVER_WELL_KNOWN } from "@webcrypto-local/core";
import { ProviderCryptoProto, ProviderTokenEventProto } from "@webcrypto-local/proto";
import { WebSocketServer } from "ws";
import { z } from "zod";
import { ApprovalStore } from "./approval-store";
import { AgentConnection } from "./connection";
import type { TAgentContext, TAgentOptions } from "./context";
import { IdentityStore } from "./identity-store";
import { PromptBroker } from "./prompts";
import { ensureAgentTls } from "./tls";
import type { TToken } from "./tokens/token";
import { TokenRegistry } from "./tokens/token-registry";
import { uiFontResponse } from "./ui-fonts";
import { renderUiPage, uiModeOf } from "./ui-page";

/** Protocol version announced at discovery; the client requires ≥ 1.2. */
export const AGENT_PROTOCOL_VERSION = "1.2.0";

export type TRunningAgent = {
  port: number;
  /** https://127.0.0.1:<port> */
  url: string;
  caPem: string;
  caPath: string;
  broker: PromptBroker;
  approvals: ApprovalStore;
  registry: TokenRegistry;
  close(): Promise<void>;
};

const ZApprovalAnswer = z.object({ id: z.string().min(1), approve: z.boolean() });
const ZPinAnswer = z.union([
  z.object({ id: z.string().min(1), pin: z.string().min(1).max(64) }),
  z.object({ id: z.string().min(1), cancel: z.literal(true) }),
]);

function readBody(req: IncomingMessage, limit = 4096): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(new Error("body too large"));
        req.destroy();
      } else chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...headers });
  res.end(JSON.stringify(body));
}

/** Starts the agent; resolves when it listens. */
export async function startAgent(options: TAgentOptions): Promise<TRunningAgent> {
  setEngine("node", globalThis.crypto);
  const log = options.log ?? ((m: string) => console.log(`[card-agent] ${m}`));
  if (options.testMode) {
    log(
      "⚠️  TEST MODE IS ON — pairing is auto-approved and PINs come from the environment. NEVER use this with a real card.",
    );
  }
  const tls = await ensureAgentTls(options.dataDir);
  const identities = new IdentityStore(path.join(options.dataDir, "identities.json"));
  const approvals = new ApprovalStore(path.join(options.dataDir, "approvals.json"));
  const broker = new PromptBroker();
  const registry = new TokenRegistry(options.backends, log);
  const allowed = new Set(options.allowedOrigins);
  const uiToken = randomBytes(24).toString("base64url");
  const connections = new Set<AgentConnection>();
  let port = options.port;

  const ctx: TAgentContext = {
    options,
    registry,
    broker,
    approvals,
    log,
    uiUrl: () => `https://127.0.0.1:${port}/ui`,
    loginOwners: new Map(),
  };

  const isSelfHost = (host: string | undefined) => host === `127.0.0.1:${port}` || host === `localhost:${port}`;

  const server: Server = createServer({ key: tls.keyPem, cert: tls.certPem }, (req, res) => {
    void handle(req, res).catch((e) => {
      log(`HTTP ${req.method} ${req.url} failed: ${(e as Error).message}`);
      if (!res.headersSent) json(res, 500, { error: "internal" });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? "/", "https://127.0.0.1");
    if (url.pathname === SERVER_WELL_KNOWN) {
      const cors = { "access-control-allow-origin": "*", "access-control-allow-methods": "OPTIONS, GET" };
      if (req.method === "OPTIONS") {
        res.writeHead(200, cors);
        return res.end();
      }
      if (req.method !== "GET") return json(res, 405, { error: "method not allowed" }, cors);
      const origin = req.headers.origin;
      if (!origin || !allowed.has(origin)) {
        log(`Refused discovery from origin ${origin ?? "(none)"} (not in CARD_AGENT_ALLOWED_ORIGINS)`);
        return json(res, 403, { error: "origin not allowed" }, cors);
      }
      const providers = await Promise.all(registry.list().map((t) => t.provider()));
      return json(
        res,
        200,
        {
          version: AGENT_PROTOCOL_VERSION,
          name: "webcrypto-socket",
          preKey: await identities.bundle(origin),
          providers: providers.map((p) => ({ id: p.id, name: p.name })),
        },
        cors,
      );
    }
    if (url.pathname === "/ui" || url.pathname.startsWith("/ui/")) return handleUi(req, res, url);
    json(res, 404, { error: "not found" });
  }

  function uiTokenOk(req: IncomingMessage): boolean {
    const got = Buffer.from(String(req.headers["x-agent-ui-token"] ?? ""));
    const want = Buffer.from(uiToken);
    return got.length === want.length && timingSafeEqual(got, want);
  }

  async function handleUi(req: IncomingMessage, res: ServerResponse, url: URL) {
    // DNS rebinding: only our own host names; the TLS certificate names only these too.
    if (!isSelfHost(req.headers.host)) return json(res, 421, { error: "wrong host" });
    const security = {
      "x-frame-options": "DENY",
      "referrer-policy": "no-referrer",
      "x-content-type-options": "nosniff",
    };
    if (url.pathname.startsWith("/ui/fonts/") && req.method === "GET") {
      // Public static files (no token): the page's Japanese font, from the agent itself.
      const font = await uiFontResponse(url.pathname);
      res.writeHead(font.status, {
        ...security,
        "content-type": font.contentType,
        "cache-control": font.status === 200 ? "public, max-age=86400" : "no-store",
      });
      return res.end(font.body);
    }
    if (url.pathname === "/ui" && req.method === "GET") {
      const nonce = randomBytes(16).toString("base64");
      res.writeHead(200, {
        ...security,
        "content-type": "text/html; charset=utf-8",
        "cache-control": "no-store",
        "content-security-policy": `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}' 'self'; font-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'`,
      });
      const mode = uiModeOf(url.searchParams.get("ui"), options.uiMode ?? "desktop");
      return res.end(renderUiPage({ token: uiToken, nonce, mode }));
    }
    if (!uiTokenOk(req)) return json(res, 403, { error: "missing UI token" }, security);
    const origin = req.headers.origin;
    if (req.method === "POST" && origin !== `https://127.0.0.1:${port}` && origin !== `https://localhost:${port}`) {
      return json(res, 403, { error: "cross-origin" }, security);
    }
    if (url.pathname === "/ui/api/state" && req.method === "GET") {
      return json(res, 200, broker.pending(), security);
    }
    if (url.pathname === "/ui/api/approval" && req.method === "POST") {
      const body = ZApprovalAnswer.safeParse(JSON.parse((await readBody(req)) || "null"));
      if (!body.success) return json(res, 422, { error: "invalid body" }, security);
      return json(res, 200, { ok: broker.answerApproval(body.data.id, body.data.approve) }, security);
    }
    if (url.pathname === "/ui/api/pin" && req.method === "POST") {
      const body = ZPinAnswer.safeParse(JSON.parse((await readBody(req)) || "null"));
      if (!body.success) return json(res, 422, { error: "invalid body" }, security);
      const pin = "pin" in body.data ? body.data.pin : null;
      return json(res, 200, { ok: broker.answerPin(body.data.id, pin) }, security);
    }
    return json(res, 404, { error: "not found" }, security);
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: 8 * 1024 * 1024 });
  server.on("upgrade", (req, socket, head) => {
    const origin = req.headers.origin;
    const pathname = new URL(req.url ?? "/", "https://127.0.0.1").pathname;
    if (pathname !== "/" || !origin || !allowed.has(origin)) {
      log(`Refused WebSocket from origin ${origin ?? "(none)"}`);
      socket.end("HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n");
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const conn = new AgentConnection(ws, origin, req.headers["user-agent"], ctx, identities);
      connections.add(conn);
      ws.on("close", () => connections.delete(conn));
    });
  });

  // A removed PKCS#11 token can no longer describe itself: fall back to what we knew.
  const describe = (t: TToken): Promise<ProviderCrypto> =>
    t.provider().catch(() => ({
      id: t.id,
      name: t.displayName,
      card: "",
      readOnly: true,
      algorithms: [],
      isRemovable: true,
      isHardware: false,
    }));
  registry.on("change", ({ added, removed }) => {
    void (async () => {
      const event = new ProviderTokenEventProto();
      event.actionId = "";
      event.added = (await Promise.all(added.map(describe))).map((p) => new ProviderCryptoProto(p));
      event.removed = (await Promise.all(removed.map(describe))).map((p) => new ProviderCryptoProto(p));
      for (const c of connections) c.push(event);
    })();
  });
  await registry.start(options.pollIntervalMs ?? 1000);

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  log(`Listening on https://${options.host}:${port} (UI: https://127.0.0.1:${port}/ui)`);

  return {
    port,
    url: `https://127.0.0.1:${port}`,
    caPem: tls.caPem,
    caPath: tls.caPath,
    broker,
    approvals,
    registry,
    async close() {
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      await registry.stop();
    },
  };
}

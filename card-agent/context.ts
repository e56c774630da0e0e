import type { ECPublicKey } from "2key-ratchet";
import type { ApprovalStore } from "./approval-store";
import type { PromptBroker } from "./prompts";
import type { TTokenBackend } from "./tokens/token";
import type { TokenRegistry } from "./tokens/token-registry";

export type TAgentOptions = {
  /** Listen address; always loopback. */
  host: string;
  /** 0 = ephemeral (tests). */
  port: number;
  /** Identities, approvals, TLS files and PIN counters live here (CARD_AGENT_DIR). */
  dataDir: string;
  /** Portal origins allowed to use the agent, exact match. */
  allowedOrigins: string[];
  /** UNSAFE: auto-approve allowed origins and take PINs from testPins. */
  testMode: boolean;
  testPins: { any?: string; auth?: string; sign?: string };
  /** Default look of the /ui page ("tv": the 10-foot mode of a set-top box); `/ui?ui=` overrides it. */
  uiMode?: "desktop" | "tv";
  backends: TTokenBackend[];
  pollIntervalMs?: number;
  log?: (message: string) => void;
};

/** What the dispatcher sees of one WebSocket connection. */
export type TConnectionState = {
  origin: string;
  userAgent?: string;
  authorized: boolean;
  clientKeyId: string;
  clientSigningKey: ECPublicKey;
  serverSigningKey: ECPublicKey;
  /** Per-connection salt so that handles are meaningless on another connection. */
  handleSalt: string;
  handles: Map<string, { providerId: string; index: string; kind: "x509" | "private" | "public" }>;
  /** Aborted when the socket closes: pending prompts for it are withdrawn. */
  closed: AbortSignal;
};

export type TAgentContext = {
  options: TAgentOptions;
  registry: TokenRegistry;
  broker: PromptBroker;
  approvals: ApprovalStore;
  log: (message: string) => void;
  uiUrl: () => string;
  /**
   * Which connection logged each token in (by provider id). A PIN entered for one page is not a
   * login for another page, browser or origin: only the owner sees the token as logged in and
   * may use its private keys; another connection's login asks for the PIN again; the owner's
   * socket closing logs the token out (AgentConnection).
   */
  loginOwners: Map<string, TConnectionState>;
};

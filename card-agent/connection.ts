/**
 * One WebSocket = one 2key-ratchet session (docs/card-agent-protocol.md#session-and-pairing). The client speaks first: its
 * first frame is a PreKeyMessage, every later frame a MessageSigned. Frames are decrypted strictly
 * in order (a ratchet needs that), but each action then runs on its own, so a PIN prompt does not
 * hold up other requests on the same socket. Answers are encrypted and sent in one ordered queue.
 */
import { randomBytes } from "node:crypto";
import { AsymmetricRatchet, MessageSignedProtocol, PreKeyMessageProtocol } from "2key-ratchet";
import type { ActionProto } from "@webcrypto-local/proto";
import type { WebSocket } from "ws";
import type { TAgentContext, TConnectionState } from "./context";
import { dispatch } from "./dispatcher";
import type { IdentityStore } from "./identity-store";

const toArrayBuffer = (b: Buffer): ArrayBuffer =>
  b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;

export class AgentConnection {
  state: TConnectionState | undefined;
  private cipher: AsymmetricRatchet | undefined;
  private inbound: Promise<void> = Promise.resolve();
  private outbound: Promise<void> = Promise.resolve();
  private readonly abort = new AbortController();
  private readonly ws: WebSocket;
  private readonly origin: string;
  private readonly userAgent: string | undefined;
  private readonly ctx: TAgentContext;
  private readonly identities: IdentityStore;

  constructor(
    ws: WebSocket,
    origin: string,
    userAgent: string | undefined,
    ctx: TAgentContext,
    identities: IdentityStore,
  ) {
    this.ws = ws;
    this.origin = origin;
    this.userAgent = userAgent;
    this.ctx = ctx;
    this.identities = identities;
    ws.on("message", (data, isBinary) => {
      if (!isBinary) return this.fail("text frame");
      const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
      this.inbound = this.inbound.then(() => this.receive(buf)).catch((e) => this.fail((e as Error).message));
    });
    ws.on("close", () => {
      this.abort.abort();
      this.releaseLogins();
    });
  }

  /** The socket closed: log out every token this connection had logged in (context.ts loginOwners). */
  private releaseLogins(): void {
    for (const [providerId, owner] of this.ctx.loginOwners) {
      if (owner !== this.state) continue;
      this.ctx.loginOwners.delete(providerId);
      void this.ctx.registry
        .get(providerId)
        ?.logout()
        .catch(() => undefined);
    }
  }

  get authorized(): boolean {
    return this.state?.authorized ?? false;
  }

  /** Pushes an event (empty actionId); only possible after the client's first frame. */
  push(event: ActionProto): void {
    if (!this.cipher || !this.authorized) return;
    void this.send(event);
  }

  private async receive(frame: Buffer): Promise<void> {
    let plain: ArrayBuffer;
    if (!this.cipher) {
      const identity = await this.identities.get(this.origin);
      const preKeyMessage = await PreKeyMessageProtocol.importProto(toArrayBuffer(frame));
      this.cipher = await AsymmetricRatchet.create(identity, preKeyMessage);
      const clientSigningKey = this.cipher.remoteIdentity.signingKey;
      const clientKeyId = await clientSigningKey.thumbprint();
      this.state = {
        origin: this.origin,
        userAgent: this.userAgent,
        clientKeyId,
        clientSigningKey,
        serverSigningKey: identity.signingKey.publicKey,
        authorized: await this.ctx.approvals.isApproved(this.origin, clientKeyId),
        handleSalt: randomBytes(16).toString("hex"),
        handles: new Map(),
        closed: this.abort.signal,
      };
      plain = await this.cipher.decrypt(preKeyMessage.signedMessage);
    } else {
      plain = await this.cipher.decrypt(await MessageSignedProtocol.importProto(toArrayBuffer(frame)));
    }
    const state = this.state!;
    // Not awaited: the next frame may be decrypted while this action waits for a PIN.
    void dispatch(this.ctx, state, plain).then((result) => this.send(result));
  }

  private send(message: ActionProto): Promise<void> {
    const cipher = this.cipher!;
    const run = this.outbound.then(async () => {
      if (this.ws.readyState !== this.ws.OPEN) return;
      const signed = await cipher.encrypt(await message.exportProto());
      this.ws.send(Buffer.from(await signed.exportProto()));
    });
    this.outbound = run.catch((e) => this.fail((e as Error).message));
    return this.outbound;
  }

  private fail(reason: string): void {
    this.ctx.log(`Closing connection from ${this.origin}: ${reason}`);
    this.ws.close(1008, "protocol error");
  }
}

/**
 * Webhook signing secrets at rest. The platform must read them back to sign every delivery, so
 * they are encrypted (lib/crypto/secret-box.ts, AES-256-GCM under SECRETS_ENCRYPTION_KEY), bound to
 * their endpoint id as AAD: a value copied to another endpoint's row does not decrypt.
 *
 * Rows written before encryption hold the plaintext `whsec_…`: they are still accepted on read,
 * and `encryptLegacyWebhookSecrets` (run when the platform's jobs start) rewrites them encrypted.
 */
import { openSecret, sealSecret, secretsEncryptionKey } from "../../crypto/secret-box";
import { env } from "../../env";
import type { TPlatformContext } from "../platform-context";

const LEGACY_PREFIX = "whsec_";

function keyOf(ctx: Pick<TPlatformContext, "webhooks">): Uint8Array {
  return ctx.webhooks.secretsKey ?? secretsEncryptionKey(env());
}

/** The value to store in WebhookEndpoint.secret for `secret` of endpoint `endpointId`. */
export function sealWebhookSecret(ctx: Pick<TPlatformContext, "webhooks">, endpointId: string, secret: string): string {
  return sealSecret(secret, { key: keyOf(ctx), aad: `webhook-endpoint:${endpointId}` });
}

/**
 * The `whsec_` secret from a stored value: decrypted, or a legacy plaintext row as it is. Throws
 * SECRET_UNREADABLE (wrong key, tampered or misplaced ciphertext).
 */
export function openWebhookSecret(ctx: Pick<TPlatformContext, "webhooks">, endpointId: string, stored: string): string {
  if (stored.startsWith(LEGACY_PREFIX)) return stored;
  return openSecret(stored, { key: keyOf(ctx), aad: `webhook-endpoint:${endpointId}` });
}

/**
 * Encrypts every legacy plaintext secret in place; idempotent (encrypted rows are left alone) and
 * safe with several servers starting at once (each row is rewritten only if it still holds the
 * plaintext it was read with). Returns how many rows it rewrote.
 */
export async function encryptLegacyWebhookSecrets(ctx: Pick<TPlatformContext, "prisma" | "webhooks">): Promise<number> {
  const rows = await ctx.prisma.webhookEndpoint.findMany({
    where: { secret: { startsWith: LEGACY_PREFIX } },
    select: { id: true, secret: true },
  });
  let rewritten = 0;
  for (const row of rows) {
    const sealed = sealWebhookSecret(ctx, row.id, row.secret);
    const r = await ctx.prisma.webhookEndpoint.updateMany({
      where: { id: row.id, secret: row.secret },
      data: { secret: sealed },
    });
    rewritten += r.count;
  }
  return rewritten;
}

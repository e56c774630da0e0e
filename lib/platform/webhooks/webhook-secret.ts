/**
 * Webhook signing secrets at rest. The platform must read them back to sign every delivery, so
 * they are encrypted (lib/crypto/secret-box.ts, AES-256-GCM under SECRETS_ENCRYPTION_KEY), bound to
 * their endpoint id as AAD: a value copied to another endpoint's row does not decrypt.
 *
 * New values are always sealed under the current key (`v2:<kid>:…`). Older values are still read:
 * plaintext `whsec_…` from before encryption, `v1:` envelopes from before key ids, and `v2:` under
 * a key listed in SECRETS_ENCRYPTION_KEY_PREVIOUS. `resealWebhookSecrets` (run when the platform's
 * jobs start) rewrites all of them under the current key, so a previous key can then be removed.
 */
import { openSecret, sealSecret, secretKeyId, secretsEncryptionKeys } from "../../crypto/secret-box";
import { env } from "../../env";
import { AppError } from "../../errors/app-error";
import type { TPlatformContext } from "../platform-context";

const LEGACY_PREFIX = "whsec_";
const RESEAL_BATCH = 200;

/** The current key and the read-only previous keys of a platform context. */
function keysOf(ctx: Pick<TPlatformContext, "webhooks">): { key: Uint8Array; previousKeys: readonly Uint8Array[] } {
  const { secretsKey, previousSecretsKeys } = ctx.webhooks;
  if (secretsKey) return { key: secretsKey, previousKeys: previousSecretsKeys ?? [] };
  const configured = secretsEncryptionKeys(env());
  return { key: configured.key, previousKeys: previousSecretsKeys ?? configured.previousKeys };
}

const aadOf = (endpointId: string) => `webhook-endpoint:${endpointId}`;

/** The value to store in WebhookEndpoint.secret for `secret` of endpoint `endpointId`. */
export function sealWebhookSecret(ctx: Pick<TPlatformContext, "webhooks">, endpointId: string, secret: string): string {
  return sealSecret(secret, { key: keysOf(ctx).key, aad: aadOf(endpointId) });
}

/**
 * The `whsec_` secret from a stored value: decrypted (current or previous key), or a legacy
 * plaintext row as it is. Throws SECRET_UNREADABLE (unknown key id, wrong key, tampered or
 * misplaced ciphertext).
 */
export function openWebhookSecret(ctx: Pick<TPlatformContext, "webhooks">, endpointId: string, stored: string): string {
  if (stored.startsWith(LEGACY_PREFIX)) return stored;
  return openSecret(stored, { ...keysOf(ctx), aad: aadOf(endpointId) });
}

export type TResealWebhookSecretsResult = {
  /** Rows rewritten under the current key (legacy plaintext, v1, v2 under a previous key). */
  resealed: number;
  /** Endpoint ids whose stored value no configured key opens: left as they are. */
  unreadable: string[];
};

/**
 * Re-seals under the current key every stored signing secret that is not already under it:
 * legacy plaintext, `v1:` envelopes, and `v2:` under a previous key. Idempotent (rows under the
 * current key are not read), and safe with several servers starting at once and with concurrent
 * writes: a row is rewritten only if it still holds the value it was read with (compare-and-set).
 * A row that no configured key opens is left untouched and reported, never overwritten, so a
 * misconfigured key loses nothing.
 */
export async function resealWebhookSecrets(
  ctx: Pick<TPlatformContext, "prisma" | "webhooks">,
): Promise<TResealWebhookSecretsResult> {
  const { key } = keysOf(ctx);
  const currentPrefix = `v2:${secretKeyId(key)}:`;
  const result: TResealWebhookSecretsResult = { resealed: 0, unreadable: [] };
  let after: string | undefined;
  for (;;) {
    const rows = await ctx.prisma.webhookEndpoint.findMany({
      where: { NOT: { secret: { startsWith: currentPrefix } }, ...(after ? { id: { gt: after } } : {}) },
      select: { id: true, secret: true },
      orderBy: { id: "asc" },
      take: RESEAL_BATCH,
    });
    for (const row of rows) {
      let plaintext: string;
      try {
        plaintext = openWebhookSecret(ctx, row.id, row.secret);
      } catch (e) {
        if (!(e instanceof AppError)) throw e;
        result.unreadable.push(row.id);
        continue;
      }
      const sealed = sealWebhookSecret(ctx, row.id, plaintext);
      const r = await ctx.prisma.webhookEndpoint.updateMany({
        where: { id: row.id, secret: row.secret },
        data: { secret: sealed },
      });
      result.resealed += r.count;
    }
    if (rows.length < RESEAL_BATCH) return result;
    after = rows[rows.length - 1]!.id;
  }
}

/**
 * One provider per process, rebuilt when the published signing keys change (a rotation by any
 * process is seen on the next request: one small query of key ids per request).
 */
import type Provider from "oidc-provider";
import { signingKeysFingerprint } from "./keys";
import { createIchimaiProvider, type TIchimaiProviderOptions } from "./provider";

export function providerCache(options: TIchimaiProviderOptions): () => Promise<Provider> {
  let current: Promise<{ provider: Provider; keysFingerprint: string }> | undefined;
  return async () => {
    if (current) {
      const built = await current.catch(() => undefined);
      if (built && built.keysFingerprint === (await signingKeysFingerprint(options.prisma))) return built.provider;
    }
    const next = createIchimaiProvider(options);
    current = next;
    next.catch(() => {
      if (current === next) current = undefined;
    });
    return (await next).provider;
  };
}

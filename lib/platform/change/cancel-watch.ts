import type { TCredentialMode } from "../../credential-mode/credential-mode";
import type { TPlatformContext } from "../platform-context";
import type { TWatchDto } from "../schemas";
import { getWatchOrThrow } from "./get-watch";

/**
 * Stops watching (DELETE): an ACTIVE watch becomes CANCELLED and is kept for the record; a
 * revoked one stays as it is. Another partner's id is NOT_FOUND.
 */
export async function cancelWatch(
  ctx: TPlatformContext,
  options: { partnerId: string; watchId: string; mode?: TCredentialMode },
): Promise<TWatchDto> {
  const current = await getWatchOrThrow(ctx, options);
  if (current.status !== "active") return current;
  await ctx.prisma.certificateWatch.updateMany({
    where: { id: options.watchId, status: "ACTIVE" },
    data: { status: "CANCELLED" },
  });
  return getWatchOrThrow(ctx, options);
}

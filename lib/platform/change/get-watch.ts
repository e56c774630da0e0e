import type { TCredentialMode } from "../../credential-mode/credential-mode";
import { isUuid } from "../../db/ids";
import { AppError } from "../../errors/app-error";
import type { TPlatformContext } from "../platform-context";
import type { TWatchDto } from "../schemas";
import { findLastCycle, toWatchDto, watchSelect } from "./dto";

/** One watch of the partner; another partner's id is NOT_FOUND. */
export async function getWatchOrThrow(
  ctx: TPlatformContext,
  options: { partnerId: string; watchId: string; mode?: TCredentialMode },
): Promise<TWatchDto> {
  const row = isUuid(options.watchId)
    ? await ctx.prisma.certificateWatch.findFirst({
        // A credential sees the watches registered under its own mode (TEST: the sandbox's).
        where: {
          id: options.watchId,
          partnerId: options.partnerId,
          ...(options.mode ? { credential: { mode: options.mode } } : {}),
        },
        select: watchSelect,
      })
    : null;
  if (!row) throw new AppError("NOT_FOUND", { message: "No such watch." });
  return toWatchDto(row, await findLastCycle(ctx.prisma));
}

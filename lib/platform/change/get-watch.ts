import { isUuid } from "../../db/ids";
import { AppError } from "../../errors/app-error";
import type { TPlatformContext } from "../platform-context";
import type { TWatchDto } from "../schemas";
import { findLastCycle, toWatchDto, watchSelect } from "./dto";

/** One watch of the partner; another partner's id is NOT_FOUND. */
export async function getWatchOrThrow(
  ctx: TPlatformContext,
  options: { partnerId: string; watchId: string },
): Promise<TWatchDto> {
  const row = isUuid(options.watchId)
    ? await ctx.prisma.certificateWatch.findFirst({
        where: { id: options.watchId, partnerId: options.partnerId },
        select: watchSelect,
      })
    : null;
  if (!row) throw new AppError("NOT_FOUND", { message: "No such watch." });
  return toWatchDto(row, await findLastCycle(ctx.prisma));
}

import type { TCredentialMode } from "../../credential-mode/credential-mode";
import type { TPlatformContext } from "../platform-context";
import type { TWatchDto } from "../schemas";
import { findLastCycle, toWatchDto, watchSelect } from "./dto";

/** The partner's watches, newest first, optionally by status (at most `limit`, default 100). */
export async function listWatches(
  ctx: TPlatformContext,
  options: {
    partnerId: string;
    status?: "ACTIVE" | "REVOKED" | "CANCELLED";
    limit?: number;
    /** The listing credential's mode: only the watches registered under it. */
    mode?: TCredentialMode;
  },
): Promise<TWatchDto[]> {
  const rows = await ctx.prisma.certificateWatch.findMany({
    where: {
      partnerId: options.partnerId,
      ...(options.status ? { status: options.status } : {}),
      ...(options.mode ? { credential: { mode: options.mode } } : {}),
    },
    orderBy: { createdAt: "desc" },
    take: Math.min(Math.max(options.limit ?? 100, 1), 500),
    select: watchSelect,
  });
  const lastCycle = await findLastCycle(ctx.prisma);
  return rows.map((r) => toWatchDto(r, lastCycle));
}

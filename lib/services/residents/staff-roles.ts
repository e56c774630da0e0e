import { AppError } from "@/lib/errors/app-error";

/** The staff member as the resident use cases take them. */
export type TRegistryStaff = { staffId: string; roles: readonly string[] };

/** Search, open a record, ordinary registry events (birth, move in/out, change of name), lost cards. */
export const REGISTRY_ROLES = ["CLERK", "SUPERVISOR", "ADMIN"] as const;
/**
 * Sensitive events: a death (every certificate ends, the record closes) — a second pair of eyes,
 * as 死亡届 is checked by a supervisor.
 */
export const SUPERVISOR_ROLES = ["SUPERVISOR", "ADMIN"] as const;

export function assertRole(staff: TRegistryStaff, roles: readonly string[]): void {
  if (!staff.roles.some((r) => roles.includes(r))) throw new AppError("FORBIDDEN");
}

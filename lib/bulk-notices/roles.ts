import { AppError } from "@/lib/errors/app-error";

/** Staff who may upload and send bulk notices. */
export const NOTICE_SENDER_ROLES = ["CLERK", "SUPERVISOR", "ADMIN"] as const;
/** Staff who may approve a sending above {@link NOTICE_APPROVAL_THRESHOLD} and send any size themselves. */
export const NOTICE_APPROVER_ROLES = ["SUPERVISOR", "ADMIN"] as const;
/**
 * Recipients a CLERK may send to without a supervisor's approval. Above it the batch waits for a
 * SUPERVISOR or ADMIN other than the uploader: a town-wide sending is a decision of its own.
 */
export const NOTICE_APPROVAL_THRESHOLD = 100;

/** The staff member acting, as lib takes them. */
export type TNoticeStaff = { staffId: string; roles: readonly string[] };

export function hasAnyRole(staff: TNoticeStaff, roles: readonly string[]): boolean {
  return staff.roles.some((r) => roles.includes(r));
}

/** FORBIDDEN unless the staff member holds one of `roles`. */
export function assertNoticeRole(staff: TNoticeStaff, roles: readonly string[]): void {
  if (!hasAnyRole(staff, roles)) throw new AppError("FORBIDDEN");
}

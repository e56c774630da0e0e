import { z } from "zod";
import { appendAuditEvent } from "../audit/append-audit-event";
import type { TRequestMetadata } from "../audit/schemas";
import type { PrismaClient } from "../db/client";
import { AppError } from "../errors/app-error";

/** The two console roles (Prisma enum PartnerUserRole). */
export const ZPartnerUserRole = z.enum(["OWNER", "DEVELOPER"]);
export type TPartnerUserRole = z.infer<typeof ZPartnerUserRole>;

/**
 * Console actions that change something. Reading (credentials without secrets, usage, documents,
 * failures, webhooks and their deliveries, the user list) is open to every active console user.
 */
export const PARTNER_ACTIONS = [
  "credential.issue",
  "credential.rotate",
  "credential.revoke",
  "scope.request",
  "webhook.manage",
  "user.manage",
] as const;
export type TPartnerAction = (typeof PARTNER_ACTIONS)[number];

/**
 * The role matrix. A DEVELOPER builds the integration (webhooks: create, disable, replay) but
 * cannot mint or kill API secrets, widen what the partner may do (scopes) or grant access to the
 * console: those change the partner's security boundary and stay with its owners.
 */
export const PARTNER_ROLE_ACTIONS: Record<TPartnerUserRole, readonly TPartnerAction[]> = {
  OWNER: PARTNER_ACTIONS,
  DEVELOPER: ["webhook.manage"],
};

/** Whether a console role may do the action (for hiding controls; enforcement is {@link assertPartnerRole}). */
export function partnerRoleCan(role: TPartnerUserRole, action: TPartnerAction): boolean {
  return PARTNER_ROLE_ACTIONS[role].includes(action);
}

/** The console user who acts: its id and role, as requirePartner() read them from the database for this request. */
export const ZPartnerActingUser = z.object({ id: z.uuid(), role: ZPartnerUserRole });
export type TPartnerActingUser = z.infer<typeof ZPartnerActingUser>;

export type TAuditRefusalOptions = {
  partnerId: string;
  partnerUser: TPartnerActingUser;
  action: TPartnerAction;
  code: "PARTNER_ROLE_FORBIDDEN" | "PARTNER_LAST_OWNER" | "PARTNER_PASSWORD_RESET_SELF";
  requestMetadata?: TRequestMetadata;
  data?: Record<string, string | null>;
};

/** Audits a refused console action in its own transaction (the refused one rolls back), then throws its code. */
export async function refusePartnerAction(prisma: PrismaClient, options: TAuditRefusalOptions): Promise<never> {
  await prisma.$transaction((tx) =>
    appendAuditEvent(tx, {
      type: "partner.console_action_refused",
      actor: { type: "partner", id: options.partnerId },
      channel: "console",
      requestMetadata: options.requestMetadata,
      data: {
        action: options.action,
        code: options.code,
        partnerUserId: options.partnerUser.id,
        role: options.partnerUser.role,
        ...options.data,
      },
    }),
  );
  throw new AppError(options.code);
}

/**
 * Refuses (PARTNER_ROLE_FORBIDDEN, audited as partner.console_action_refused) an action the acting
 * console user's role does not allow. Every lib function a console action calls checks this
 * itself, so a DEVELOPER posting a server action by hand is refused the same as in the UI.
 */
export async function assertPartnerRole(
  prisma: PrismaClient,
  options: Omit<TAuditRefusalOptions, "code">,
): Promise<void> {
  const user = ZPartnerActingUser.parse(options.partnerUser);
  if (partnerRoleCan(user.role, options.action)) return;
  await refusePartnerAction(prisma, { ...options, partnerUser: user, code: "PARTNER_ROLE_FORBIDDEN" });
}

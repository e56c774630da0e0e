import type { TPartnerUserRole } from "./partner-roles";

/** A console user as the console may show it: never the password hash or the lock counters. */
export type TPartnerUserDto = {
  id: string;
  email: string;
  displayName: string;
  role: TPartnerUserRole;
  active: boolean;
  createdAt: Date;
  lastLoginAt: Date | null;
};

export const partnerUserDtoSelect = {
  id: true,
  email: true,
  displayName: true,
  role: true,
  active: true,
  createdAt: true,
  lastLoginAt: true,
} as const;

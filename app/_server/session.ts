import { getServerSession } from "next-auth";
import { getDb } from "@/lib/db/client";
import { getActivePartnerUser } from "@/lib/partners/partner-user-login";
import { authOptions, type TAssurance } from "./auth";

/** What a resident page may know about the logged-in resident. */
export type TResidentSession = {
  residentId: string;
  displayName: string;
  /** "card" after a card login; "passkey" after a low-risk passkey re-entry. */
  assurance: TAssurance;
  /** Epoch milliseconds of that authentication (for step-up checks). */
  authTime: number;
};
/** A municipal staff member in the admin console. */
export type TStaffSession = { staffId: string; displayName: string; roles: readonly string[] };
/** A person acting for a service partner in the partner console. */
export type TPartnerSession = {
  partnerId: string;
  displayName: string;
  partnerUserId: string;
  role: "OWNER" | "DEVELOPER";
  partnerName: string;
  partnerNameEn: string;
  approvedScopes: string[];
};

/**
 * Freshness demanded by pages with personal data (step-up): a card login within 15 minutes.
 * A passkey session or an older card login sees the "log in with your card again" prompt.
 */
export const STEP_UP_MAX_AGE_MS = 15 * 60 * 1000;

/**
 * The logged-in resident, or null. Every page in `(resident)` reaches it through its own call of
 * residentPage (page-context.ts), and actions and routes through residentAction and residentRoute
 * (convention 5, docs/architecture.md#conventions: authorize where the data is read, never only in
 * a layout); a page shows the login prompt on null.
 * The next-auth JWT carries only the resident id; the name is read from the registry each time,
 * so a resident who moved out (leftAt) is logged out at once.
 */
export async function requireResident(): Promise<TResidentSession | null> {
  const session = await getServerSession(authOptions);
  if (!session?.residentId) return null;
  const resident = await (await getDb()).resident.findUnique({
    where: { id: session.residentId },
    select: { id: true, familyName: true, givenName: true, leftAt: true },
  });
  if (!resident || resident.leftAt) return null;
  return {
    residentId: resident.id,
    displayName: `${resident.familyName} ${resident.givenName}`,
    assurance: session.assurance ?? "card",
    authTime: session.authTime ?? 0,
  };
}

/**
 * The resident for pages with personal data: only after a card login within
 * {@link STEP_UP_MAX_AGE_MS}. Null means "show the card login (step-up) prompt", also for a
 * resident who is logged in with a passkey.
 */
export async function requireCardResident(maxAgeMs = STEP_UP_MAX_AGE_MS): Promise<TResidentSession | null> {
  return freshCardLogin(await requireResident(), maxAgeMs);
}

/** The resident when their session is a card login within `maxAgeMs` (step-up), else null. */
export function freshCardLogin(
  resident: TResidentSession | null,
  maxAgeMs = STEP_UP_MAX_AGE_MS,
): TResidentSession | null {
  if (resident?.assurance !== "card") return null;
  return Date.now() - resident.authTime <= maxAgeMs ? resident : null;
}

/** The logged-in staff member (a card login whose resident holds an active staff role), or null. */
export async function requireStaff(): Promise<TStaffSession | null> {
  const resident = await requireResident();
  if (resident?.assurance !== "card") return null;
  const staff = await (await getDb()).staffMember.findUnique({
    where: { residentId: resident.residentId },
    select: { id: true, roles: true, active: true },
  });
  if (!staff?.active) return null;
  return { staffId: staff.id, displayName: resident.displayName, roles: staff.roles };
}

/**
 * The logged-in partner user, or null; called by every page and action under /partner. The user
 * and its partner are read each time, so deactivating either, or changing or resetting the
 * user's password (a newer PartnerUser.sessionVersion than the session's), ends console access
 * on the next request.
 */
export async function requirePartner(): Promise<TPartnerSession | null> {
  const session = await getServerSession(authOptions);
  if (!session?.partnerUserId) return null;
  return getActivePartnerUser(await getDb(), session.partnerUserId, session.partnerSessionVersion ?? 0);
}

/** What a resident page may know about the logged-in resident. */
export type TResidentSession = { residentId: string; displayName: string };
/** A municipal staff member in the admin console. */
export type TStaffSession = { staffId: string; displayName: string; roles: readonly string[] };
/** A person acting for a service partner in the partner console. */
export type TPartnerSession = { partnerId: string; displayName: string };

/**
 * The logged-in resident, or null. Every page in `(resident)` calls this itself (STYLE.md 5:
 * authorize where the data is read, never only in a layout) and shows the login prompt on null.
 * Card login (next-auth session) is wired in here; until then nobody is logged in.
 */
export async function requireResident(): Promise<TResidentSession | null> {
  return null;
}

/** The logged-in staff member, or null; called by every page under /admin. */
export async function requireStaff(): Promise<TStaffSession | null> {
  return null;
}

/** The logged-in partner user, or null; called by every page under /partner. */
export async function requirePartner(): Promise<TPartnerSession | null> {
  return null;
}

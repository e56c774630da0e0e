/**
 * Which demo residents get a virtual My Number Card in `npm run dev`, and their PINs. Issuing and
 * writing the card is jlis-sim/demo-cards.ts (shared with the end-to-end set-up).
 */

/** Demo PINs: 4 digits (auth); 6–16 of A–Z0–9 with a letter and a digit (sign). Demo only. */
export const DEMO_PINS = { auth: "1234", sign: "ICHIMAI1" } as const;

export type TDemoCardPick = { id: string; registryNumber: string; name: string; role: string; bind: boolean };

type TCandidate = { id: string; registryNumber: string; age: number; language: string; facts: { name: string } };

/**
 * A working-age adult, an elderly resident, a staff clerk, a non-Japanese speaker, a child (user-
 * authentication certificate only, docs/jpki.md#signing-certificate), all bound as if they had logged in before; and
 * one adult who has never logged in (the first-login consent flow); and, last so the others stay
 * the same, the ADMIN staff member (who decides partners' scope requests in /admin/partners) and the
 * disaster officer of 総務課 危機管理室 (who issues evacuation orders at /admin/disaster).
 */
export function pickDemoCardHolders(
  residents: TCandidate[],
  staffResidentIds: string[],
  adminResidentIds: string[] = [],
  disasterResidentIds: string[] = [],
): TDemoCardPick[] {
  const taken = new Set<string>();
  const staff = new Set(staffResidentIds);
  const pick = (role: string, bind: boolean, ok: (r: TCandidate) => boolean): TDemoCardPick[] => {
    const r = residents.find((x) => !taken.has(x.id) && ok(x));
    if (!r) return [];
    taken.add(r.id);
    return [{ id: r.id, registryNumber: r.registryNumber, name: r.facts.name, role, bind }];
  };
  return [
    ...pick("adult", true, (r) => r.age >= 30 && r.age < 60 && r.language === "ja" && !staff.has(r.id)),
    ...pick("elderly", true, (r) => r.age >= 75),
    ...pick("staff", true, (r) => staff.has(r.id)),
    ...pick("foreign", true, (r) => r.language !== "ja" && r.age >= 18),
    ...pick("child", true, (r) => r.age >= 6 && r.age < 15),
    ...pick("first-login", false, (r) => r.age >= 20 && r.age < 70 && r.language === "ja" && !staff.has(r.id)),
    ...pick("staff-admin", true, (r) => adminResidentIds.includes(r.id)),
    ...pick("staff-disaster", true, (r) => disasterResidentIds.includes(r.id)),
  ];
}

export function demoCardFileName(pick: { role: string; registryNumber: string }): string {
  return `demo-${pick.role}-${pick.registryNumber}`;
}

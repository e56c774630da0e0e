import type { TSupplyLine } from "./supplies";

/** What a shelter kiosk is answered (no database types: the kiosk page imports these). */

export type TShelterCheckInAnswer = {
  object: "shelter_check_in";
  checkInId: string;
  /** The name of the person checked in (they see their own name to confirm). */
  name: string;
  shelter: { code: string; name: string; nameEn: string };
  checkedInAt: string;
  transferred: boolean;
  occupancy: number;
  capacity: number;
  overCapacity: boolean;
  /**
   * The other household members, names only, to check in together: each taps their own card; a
   * child under 15 carries a `companionId` with which shelter staff may confirm them without a card.
   */
  household: { name: string; companionId?: string }[];
};

export type TShelterCheckOutAnswer = { object: "shelter_check_out"; name: string; checkedOutAt: string };

export type TShelterStatus = {
  id: string;
  code: string;
  name: string;
  nameEn: string;
  kind: "DESIGNATED" | "WELFARE" | "HOSPITAL";
  districtCode: string;
  latitude: number;
  longitude: number;
  capacity: number;
  open: boolean;
  features: string[];
  headCount: number;
  /** headCount / capacity in percent (rounded), 0 for a capacity of 0. */
  occupancyPercent: number;
  needs: { need: string; count: number }[];
  supplies: TSupplyLine[];
};

export type TDistrictStatus = {
  districtId: string;
  code: string;
  name: string;
  /** The highest level among the district's active orders, null when none. */
  level: number | null;
  since: string | null;
  residents: number;
  replied: number;
  checkedIn: number;
  unaccounted: number;
  /** Of the unaccounted: with set-top-box activity since the order was issued. */
  probablyAtHome: number;
};

/** What the dashboard shows and streams: counts only, never a name. */
export type TShelterDashboard = {
  at: string;
  shelters: TShelterStatus[];
  districts: TDistrictStatus[];
  /** Changes whenever any figure changes (the stream sends a snapshot only then). */
  version: string;
};

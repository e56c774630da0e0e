/**
 * The sections of the /services hub. A service area adds ONE entry here and its own pages under
 * /services/<area>; the hub renders every entry as a card (title and body from the entry's message
 * namespace: `hubTitle`, `hubBody`) with an optional "waiting for you" count.
 */
import { getDb } from "@/lib/db/client";
import { countPendingLinkRequests } from "@/lib/links/resident-link-requests";
import { countPendingSigningRequests } from "@/lib/services/signing-requests/resident-signing-requests";

export type TServiceSection = {
  /** Stable id (data-section on the card, for tests). */
  id: string;
  href: string;
  /** next-intl namespace holding `hubTitle` and `hubBody`. */
  namespace: string;
  /** Things waiting for the resident in this section (shown as a badge when above 0). */
  pending?: (residentId: string) => Promise<number>;
};

export const SERVICE_SECTIONS: readonly TServiceSection[] = [
  {
    id: "links",
    href: "/services/links",
    namespace: "links",
    pending: async (residentId) => countPendingLinkRequests(await getDb(), { residentId }),
  },
  { id: "applications", href: "/services/applications", namespace: "applications" },
  { id: "payment", href: "/services/payment", namespace: "payment" },
  { id: "bus", href: "/services/bus", namespace: "busService" },
  { id: "medical", href: "/services/medical", namespace: "medical" },
  {
    id: "signing-requests",
    href: "/services/signing-requests",
    namespace: "signingRequests",
    pending: async (residentId) => countPendingSigningRequests(await getDb(), { residentId }),
  },
];

import { getDb } from "@/lib/db/client";
import { env } from "@/lib/env";
import { createOpen311Handlers } from "./handlers";

/** The Open311 handlers over the process's database, which the route files export. */
export const open311 = createOpen311Handlers({
  getPrisma: getDb,
  get origin() {
    return env().PORTAL_ORIGIN;
  },
});

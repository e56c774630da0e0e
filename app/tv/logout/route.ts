import { endSession } from "@/app/_server/auth";
import { guardedRoute } from "@/app/_server/route";
import { requireTvFormOrigin, seeOther } from "../_html/tv-screen";

/**
 * POST /tv/logout (a plain form of the TV's menu, number key 5): ends the TV's session (the
 * next-auth session cookie, as next-auth's own sign-out does for its JWT sessions) and returns to
 * the TV's login screen.
 */
export const POST = guardedRoute(async (request: Request) => {
  requireTvFormOrigin(request);
  await endSession();
  return seeOther(request, "/tv");
});

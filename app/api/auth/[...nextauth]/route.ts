// GET|POST /api/auth/* – next-auth v4 (sign-in with the card provider, session, sign-out, CSRF).
import NextAuth from "next-auth";
import { authOptions } from "@/app/_server/auth";
import { withRequestId } from "@/lib/log/request-context";

export const dynamic = "force-dynamic";

const nextAuth = NextAuth(authOptions);
const handler = (req: Request, ctx: unknown) => withRequestId(req, () => nextAuth(req, ctx));
export { handler as GET, handler as POST };

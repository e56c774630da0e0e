// GET|POST /api/auth/* – next-auth v4 (sign-in with the card provider, session, sign-out, CSRF).
import NextAuth from "next-auth";
import { authOptions } from "@/app/_server/auth";

export const dynamic = "force-dynamic";

const handler = NextAuth(authOptions);
export { handler as GET, handler as POST };

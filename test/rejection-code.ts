import { ZodError } from "zod";
import { AppError } from "../lib/errors/app-error";

/**
 * The stable code `p` rejects with (AppError), for `expect(await rejectionCode(p)).toBe("…")`.
 * A ZodError counts as VALIDATION_FAILED only with `{ zod: true }` (what the route edge makes
 * of it); anything else, or no rejection at all, fails the test.
 */
export async function rejectionCode(p: Promise<unknown>, o: { zod?: boolean } = {}): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return e.code;
    if (o.zod && e instanceof ZodError) return "VALIDATION_FAILED";
    throw e;
  }
  throw new Error("expected a rejection");
}

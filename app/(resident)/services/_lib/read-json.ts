import { AppError } from "@/lib/errors/app-error";

/** The JSON body of a resident's request (at most `maxBytes`); BAD_JSON, PAYLOAD_TOO_LARGE. */
export async function readJson(request: Request, maxBytes = 100_000): Promise<unknown> {
  const text = await request.text();
  if (text.length > maxBytes) throw new AppError("PAYLOAD_TOO_LARGE");
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError("BAD_JSON");
  }
}

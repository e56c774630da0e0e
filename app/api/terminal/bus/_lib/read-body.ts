import { AppError } from "@/lib/errors/app-error";
import { assertSafeJson } from "@/lib/http/safe-text";

/** A kiosk's JSON body: at most `maxBytes`, valid JSON, safe text only (as the tap check route). */
export async function readKioskJson(request: Request, maxBytes: number): Promise<unknown> {
  const text = await request.text();
  if (text.length > maxBytes) throw new AppError("PAYLOAD_TOO_LARGE", { details: { maxBytes } });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new AppError("BAD_JSON", { cause });
  }
  assertSafeJson(json);
  return json;
}

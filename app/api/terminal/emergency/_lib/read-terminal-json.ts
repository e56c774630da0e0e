import type { NextRequest } from "next/server";
import { AppError } from "@/lib/errors/app-error";
import { assertSafeJson } from "@/lib/http/safe-text";

/** A kiosk's small JSON body: at most 32 KiB, valid JSON, safe text everywhere (TEXT_CHARACTER_FORBIDDEN). */
export async function readTerminalJson(request: NextRequest): Promise<unknown> {
  const text = await request.text();
  if (text.length > 32 * 1024) throw new AppError("PAYLOAD_TOO_LARGE");
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new AppError("BAD_JSON", { cause });
  }
  assertSafeJson(json);
  return json;
}

import { AppError } from "@/lib/errors/app-error";
import { assertSafeJson } from "@/lib/http/safe-text";

/**
 * Reads a JSON body of at most `maxBytes`: `Content-Type: application/json` (or `…+json`) only —
 * anything else is UNSUPPORTED_MEDIA_TYPE, so no HTML form or `text/plain` post (which a browser
 * sends cross-site without a preflight) reaches an operation; refuses early on Content-Length and
 * counts the streamed bytes too (chunked bodies carry no length); every string of the parsed
 * body is safe text (TEXT_CHARACTER_FORBIDDEN naming the field). PAYLOAD_TOO_LARGE or BAD_JSON.
 */
export async function readJsonBody(request: Request, maxBytes: number): Promise<unknown> {
  const mediaType = request.headers.get("content-type")?.split(";")[0]?.trim().toLowerCase() ?? "";
  if (mediaType !== "application/json" && !/^application\/[a-z0-9.+-]+\+json$/.test(mediaType)) {
    throw new AppError("UNSUPPORTED_MEDIA_TYPE", {
      message: "Send the body as application/json.",
      details: { contentType: mediaType || null },
    });
  }
  const declared = Number(request.headers.get("content-length") ?? "NaN");
  if (Number.isFinite(declared) && declared > maxBytes) {
    throw new AppError("PAYLOAD_TOO_LARGE", { details: { maxBytes } });
  }
  if (!request.body) throw new AppError("BAD_JSON", { message: "The request has no body." });
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw new AppError("PAYLOAD_TOO_LARGE", { details: { maxBytes } });
    }
    chunks.push(value);
  }
  const text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });
  let json: unknown;
  try {
    json = JSON.parse(text.decode(Buffer.concat(chunks)));
  } catch (err) {
    throw new AppError("BAD_JSON", { message: err instanceof Error ? err.message : "The body is not JSON." });
  }
  assertSafeJson(json);
  return json;
}

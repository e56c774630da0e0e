import { AppError } from "@/lib/errors/app-error";

/**
 * Reads a JSON body of at most `maxBytes`: refuses early on Content-Length, and counts the
 * streamed bytes too (chunked bodies carry no length). PAYLOAD_TOO_LARGE or BAD_JSON.
 */
export async function readJsonBody(request: Request, maxBytes: number): Promise<unknown> {
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
  try {
    return JSON.parse(text.decode(Buffer.concat(chunks)));
  } catch (err) {
    throw new AppError("BAD_JSON", { message: err instanceof Error ? err.message : "The body is not JSON." });
  }
}

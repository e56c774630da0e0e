import { AppError } from "@/lib/errors/app-error";
import type { TBulkInputLine } from "@/lib/mailbox/deliver-bulk";

/**
 * Splits a streamed NDJSON body (application/x-ndjson: one JSON text per LF-terminated line,
 * CR before LF tolerated) into lines without ever holding more than one line and one network
 * chunk. PAYLOAD_TOO_LARGE when the whole body passes `maxBytes` or one line passes
 * `maxLineBytes`; a line that is not UTF-8 is handed on as text that will not parse (BAD_JSON).
 */
export async function* readNdjsonLines(
  body: ReadableStream<Uint8Array>,
  limits: { maxBytes: number; maxLineBytes: number },
): AsyncGenerator<TBulkInputLine> {
  const reader = body.getReader();
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const decode = (bytes: Uint8Array): string => {
    try {
      return decoder.decode(bytes);
    } catch {
      return "\u0000(not UTF-8)";
    }
  };
  let parts: Uint8Array[] = [];
  let partBytes = 0;
  let total = 0;
  let line = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > limits.maxBytes) {
        throw new AppError("PAYLOAD_TOO_LARGE", { details: { maxBytes: limits.maxBytes, atLine: line + 1 } });
      }
      let start = 0;
      for (;;) {
        const nl = value.indexOf(0x0a, start);
        if (nl === -1) break;
        parts.push(value.subarray(start, nl));
        partBytes += nl - start;
        if (partBytes > limits.maxLineBytes) {
          throw new AppError("PAYLOAD_TOO_LARGE", { details: { maxLineBytes: limits.maxLineBytes, atLine: line + 1 } });
        }
        const bytes = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
        line += 1;
        yield { line, text: decode(bytes) };
        parts = [];
        partBytes = 0;
        start = nl + 1;
      }
      if (start < value.byteLength) {
        // Copy: the stream may reuse its chunk buffer.
        parts.push(value.slice(start));
        partBytes += value.byteLength - start;
        if (partBytes > limits.maxLineBytes) {
          throw new AppError("PAYLOAD_TOO_LARGE", { details: { maxLineBytes: limits.maxLineBytes, atLine: line + 1 } });
        }
      }
    }
    if (partBytes > 0) {
      line += 1;
      yield { line, text: decode(parts.length === 1 ? parts[0]! : Buffer.concat(parts)) };
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}

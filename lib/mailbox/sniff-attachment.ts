import { AppError } from "@/lib/errors/app-error";

/** The file types a document may carry, by their magic numbers. */
const SIGNATURES: readonly { mimeType: string; magic: readonly number[] }[] = [
  // "%PDF-" (ISO 32000-2 §7.5.2)
  { mimeType: "application/pdf", magic: [0x25, 0x50, 0x44, 0x46, 0x2d] },
  // PNG signature (RFC 2083 §3.1)
  { mimeType: "image/png", magic: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  // JPEG SOI + the first marker's 0xFF (ISO/IEC 10918-1 B.1.1.3)
  { mimeType: "image/jpeg", magic: [0xff, 0xd8, 0xff] },
];

/** The MIME types attachments may have. */
export const ACCEPTED_ATTACHMENT_TYPES = SIGNATURES.map((s) => s.mimeType);

/**
 * The MIME type of `content` judged by its bytes, never by the name or the declared type, so an
 * executable renamed to .pdf is refused. Throws ATTACHMENT_TYPE_UNSUPPORTED for anything else
 * and ATTACHMENT_TYPE_MISMATCH when `declared` names a different type than the content has.
 */
export function sniffAttachment(content: Uint8Array, declared: string): string {
  const hit = SIGNATURES.find((s) => s.magic.every((b, i) => content[i] === b));
  if (!hit) {
    throw new AppError("ATTACHMENT_TYPE_UNSUPPORTED", {
      message: `The attachment is not one of ${ACCEPTED_ATTACHMENT_TYPES.join(", ")}.`,
    });
  }
  const declaredType = declared.split(";")[0]!.trim().toLowerCase();
  if (declaredType !== hit.mimeType) {
    throw new AppError("ATTACHMENT_TYPE_MISMATCH", {
      message: `Declared ${declaredType}, but the content is ${hit.mimeType}.`,
      details: { declared: declaredType, sniffed: hit.mimeType },
    });
  }
  return hit.mimeType;
}

import sharp from "sharp";
import { AppError } from "../errors/app-error";

/** Uploads larger than this are refused with REPORT_PHOTO_TOO_LARGE (413) before decoding. */
export const REPORT_PHOTO_MAX_BYTES = 8 * 1024 * 1024;
/** The stored photo's longest side (pixels). */
export const REPORT_PHOTO_MAX_DIMENSION = 1600;
const ACCEPTED_FORMATS = new Set(["jpeg", "png", "webp"]);

export type TProcessedPhoto = {
  bytes: Uint8Array<ArrayBuffer>;
  contentType: "image/jpeg";
  width: number;
  height: number;
};

/**
 * Checks an upload by its content (sharp reads the image header; the file name and the declared
 * type are ignored): only JPEG, PNG or WebP, at most {@link REPORT_PHOTO_MAX_BYTES}. Re-encodes it
 * as a JPEG of at most {@link REPORT_PHOTO_MAX_DIMENSION} pixels on its longest side, turned
 * upright by its EXIF orientation; sharp writes no metadata unless asked, so the stored photo
 * carries no EXIF (no GPS position, camera or time), no XMP, no ICC profile, no comments — the
 * report keeps only its own point.
 */
export async function processReportPhoto(input: Uint8Array): Promise<TProcessedPhoto> {
  if (input.byteLength > REPORT_PHOTO_MAX_BYTES) {
    throw new AppError("REPORT_PHOTO_TOO_LARGE", { details: { maxBytes: REPORT_PHOTO_MAX_BYTES } });
  }
  let format: string | undefined;
  try {
    format = (await sharp(input, { limitInputPixels: 50_000_000 }).metadata()).format;
  } catch {
    throw new AppError("REPORT_PHOTO_UNSUPPORTED");
  }
  if (!format || !ACCEPTED_FORMATS.has(format)) throw new AppError("REPORT_PHOTO_UNSUPPORTED", { details: { format } });
  try {
    const { data, info } = await sharp(input, { limitInputPixels: 50_000_000, failOn: "error" })
      .rotate()
      .resize({
        width: REPORT_PHOTO_MAX_DIMENSION,
        height: REPORT_PHOTO_MAX_DIMENSION,
        fit: "inside",
        withoutEnlargement: true,
      })
      .flatten({ background: "#ffffff" })
      .jpeg({ quality: 80, mozjpeg: true })
      .toBuffer({ resolveWithObject: true });
    return {
      bytes: new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer),
      contentType: "image/jpeg",
      width: info.width,
      height: info.height,
    };
  } catch {
    // A header that claims JPEG/PNG/WebP over a body that does not decode.
    throw new AppError("REPORT_PHOTO_UNSUPPORTED");
  }
}

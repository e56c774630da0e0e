import sharp from "sharp";

/** A JPEG that carries an EXIF GPS position (and a camera model), as a phone writes it. */
export async function jpegWithGps(): Promise<Uint8Array> {
  const buf = await sharp({ create: { width: 64, height: 48, channels: 3, background: "#3366cc" } })
    .jpeg()
    .withExif({
      IFD0: { Make: "IchimaiPhone", Model: "Test 1" },
      IFD3: {
        GPSLatitudeRef: "N",
        GPSLatitude: "33/1 54/1 3600/100",
        GPSLongitudeRef: "E",
        GPSLongitude: "134/1 36/1 3600/100",
      },
    })
    .toBuffer();
  return new Uint8Array(buf);
}

/**
 * Whether an image carries an EXIF GPS block: sharp's metadata gives the raw EXIF ("Exif\0\0" and a
 * TIFF structure); IFD0's entries are read for the GPS IFD pointer (tag 0x8825).
 */
export async function hasExifGps(bytes: Uint8Array): Promise<boolean> {
  const meta = await sharp(bytes).metadata();
  if (!meta.exif) return false;
  const exif = Buffer.from(meta.exif);
  const tiff = exif.subarray(exif.subarray(0, 6).toString("latin1") === "Exif\0\0" ? 6 : 0);
  const le = tiff.subarray(0, 2).toString("latin1") === "II";
  const u16 = (o: number) => (le ? tiff.readUInt16LE(o) : tiff.readUInt16BE(o));
  const u32 = (o: number) => (le ? tiff.readUInt32LE(o) : tiff.readUInt32BE(o));
  const ifd0 = u32(4);
  const entries = u16(ifd0);
  for (let i = 0; i < entries; i++) if (u16(ifd0 + 2 + i * 12) === 0x8825) return true;
  return false;
}

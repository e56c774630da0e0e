/**
 * A few municipalities with their JIS X 0402 codes and the romaji the signing certificate
 * carries (subject L=, CRL DP), so the CLI can take just a code. Others: pass the romaji.
 */
import type { TMunicipality } from "./store";

export const MUNICIPALITIES: readonly TMunicipality[] = [
  { code: "01100", prefectureRomaji: "Hokkaido", municipalityRomaji: "Sapporo-shi" },
  { code: "13101", prefectureRomaji: "Tokyo-to", municipalityRomaji: "Chiyoda-ku" },
  { code: "13104", prefectureRomaji: "Tokyo-to", municipalityRomaji: "Shinjuku-ku" },
  { code: "13221", prefectureRomaji: "Tokyo-to", municipalityRomaji: "Kiyose-shi" },
  { code: "14100", prefectureRomaji: "Kanagawa-ken", municipalityRomaji: "Yokohama-shi" },
  { code: "26100", prefectureRomaji: "Kyoto-fu", municipalityRomaji: "Kyoto-shi" },
  { code: "27100", prefectureRomaji: "Osaka-fu", municipalityRomaji: "Osaka-shi" },
  { code: "36388", prefectureRomaji: "Tokushima-ken", municipalityRomaji: "Minami-cho" },
  { code: "40130", prefectureRomaji: "Fukuoka-ken", municipalityRomaji: "Fukuoka-shi" },
];

/** The built-in municipality with this code, if any. */
export function findMunicipality(code: string): TMunicipality | undefined {
  return MUNICIPALITIES.find((m) => m.code === code);
}

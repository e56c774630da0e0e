import { readFileSync } from "node:fs";
import path from "node:path";
import PDFDocument from "pdfkit";
import QRCode from "qrcode";
import type { TLocale } from "@/lib/i18n/locales";
import type { TBilingual } from "./document-types/define-document-type";
import type { TAuditChannel, TRequestMetadata } from "@/lib/audit/schemas";
import type { PrismaClient } from "@/lib/db/client";
import { getDocumentOrThrow, type TDocumentDetail } from "./get-document";

/**
 * PDF rendering of a mailbox document ("download as PDF (Japanese font)").
 *
 * The Japanese font is Noto Sans JP (SIL OFL 1.1) from @fontsource/noto-sans-jp, which ships it
 * cut into ~120 unicode-range subsets (WOFF). Each character is drawn with the subset that
 * covers it, as a browser would with the same @font-face rules; pdfkit embeds only the glyphs
 * used, with a ToUnicode map so the text layer stays searchable and copyable.
 */

const FONT_PACKAGE_DIR = path.join(process.cwd(), "node_modules", "@fontsource", "noto-sans-jp");

type TSubset = { name: string; file: string; ranges: [number, number][] };

let subsets: TSubset[] | undefined;

/** The regular-weight subsets and their unicode ranges, read from the package's 400.css. */
function fontSubsets(): TSubset[] {
  if (subsets) return subsets;
  const css = readFileSync(path.join(FONT_PACKAGE_DIR, "400.css"), "utf8");
  const out: TSubset[] = [];
  for (const block of css.split("@font-face").slice(1)) {
    const file = /url\(\.\/files\/([^)]+?)\.woff2\)/.exec(block)?.[1];
    const range = /unicode-range:\s*([^;}]+)/.exec(block)?.[1];
    if (!file || !range) continue;
    const ranges = range.split(",").map((r): [number, number] => {
      const [lo, hi] = r.trim().replace(/^U\+/i, "").split("-");
      return [Number.parseInt(lo!, 16), Number.parseInt(hi ?? lo!, 16)];
    });
    out.push({ name: `NotoSansJP-${out.length}`, file: path.join(FONT_PACKAGE_DIR, "files", `${file}.woff`), ranges });
  }
  if (out.length === 0) throw new Error("@fontsource/noto-sans-jp/400.css lists no subsets");
  subsets = out;
  return out;
}

const subsetCache = new Map<number, TSubset>();

/** The subset that covers a code point; the Latin subset (U+0000–00FF) when none does. */
function subsetFor(codePoint: number): TSubset {
  const hit = subsetCache.get(codePoint);
  if (hit) return hit;
  const all = fontSubsets();
  const found =
    all.find((s) => s.ranges.some(([lo, hi]) => codePoint >= lo && codePoint <= hi)) ??
    all.find((s) => s.ranges.some(([lo, hi]) => lo <= 0x41 && 0x41 <= hi)) ??
    all[0]!;
  subsetCache.set(codePoint, found);
  return found;
}

/** Splits text into runs drawn with one subset each. */
function runsOf(text: string): { subset: TSubset; text: string }[] {
  const runs: { subset: TSubset; text: string }[] = [];
  for (const ch of text) {
    // Spaces and line breaks exist in every subset's metrics; keep them in the current run.
    const subset = ch === " " || ch === "\n" ? (runs.at(-1)?.subset ?? subsetFor(0x41)) : subsetFor(ch.codePointAt(0)!);
    const last = runs.at(-1);
    if (last && last.subset === subset) last.text += ch;
    else runs.push({ subset, text: ch });
  }
  return runs;
}

const LABELS = {
  issuer: { ja: "発行者", en: "Issuer" },
  deliveredAt: { ja: "受信日時", en: "Received" },
  signature: { ja: "電子署名", en: "Electronic signature" },
  valid: { ja: "有効（発行者の署名を確認済み）", en: "Valid (issuer signature verified)" },
  invalid: { ja: "無効（署名を確認できません）", en: "Invalid (the signature did not verify)" },
  signer: { ja: "署名者", en: "Signer" },
  signingTime: { ja: "署名日時", en: "Signed at" },
  payloadHash: { ja: "文書ハッシュ (SHA-256)", en: "Document hash (SHA-256)" },
  verify: {
    ja: "QRコードは署名対象データ（RFC 8785 正規化）の SHA-256 です。ダウンロードした JSON と照合できます。",
    en: "The QR code holds the SHA-256 of the signed data (RFC 8785 canonical form); compare it with the downloaded JSON.",
  },
} satisfies Record<string, TBilingual>;

export type RenderDocumentPdfOptions = {
  locale: TLocale;
  /** When the PDF was made (printed in the metadata; default now). */
  now?: Date;
};

/** The text the verification QR code carries: the payload hash as a `sha256:` URI-like string. */
export function pdfVerificationText(doc: Pick<TDocumentDetail, "payloadHash">): string {
  return `sha256:${doc.payloadHash}`;
}

/**
 * Renders a document the resident may see (from getDocumentOrThrow) as a PDF: type title,
 * subject, issuer, the type's rendered fields in `locale`, the signature status from the stored
 * verification report (RFC 5652 CAdES-BES check at delivery) and a QR code of the payload hash.
 */
export async function renderDocumentPdf(doc: TDocumentDetail, options: RenderDocumentPdfOptions): Promise<Uint8Array> {
  const { locale } = options;
  const pdf = new PDFDocument({
    size: "A4",
    margin: 56,
    info: {
      Title: `${doc.typeTitle[locale]} — ${doc.issuer.name}`,
      Author: locale === "ja" ? doc.issuer.name : doc.issuer.nameEn || doc.issuer.name,
      Creator: "ichimai",
      CreationDate: options.now ?? new Date(),
    },
    lang: locale === "ja" ? "ja-JP" : "en-GB",
  });
  const chunks: Buffer[] = [];
  pdf.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    pdf.on("end", resolve);
    pdf.on("error", reject);
  });

  const registered = new Set<string>();
  const width = pdf.page.width - pdf.page.margins.left - pdf.page.margins.right;
  const write = (text: string, size: number, opts: { color?: string; gap?: number } = {}) => {
    pdf.fontSize(size).fillColor(opts.color ?? "#111111");
    const runs = runsOf(text.length ? text : " ");
    runs.forEach((run, i) => {
      if (!registered.has(run.subset.name)) {
        pdf.registerFont(run.subset.name, run.subset.file);
        registered.add(run.subset.name);
      }
      pdf.font(run.subset.name).text(run.text, { width, continued: i < runs.length - 1 });
    });
    pdf.moveDown(opts.gap ?? 0.3);
  };

  write(doc.typeTitle[locale], 20, { gap: 0.2 });
  if (doc.subject[locale] !== doc.typeTitle[locale]) write(doc.subject[locale], 12, { color: "#333333" });
  write(`${LABELS.issuer[locale]}: ${locale === "ja" ? doc.issuer.name : doc.issuer.nameEn || doc.issuer.name}`, 11);
  write(`${LABELS.deliveredAt[locale]}: ${doc.createdAt}`, 9, { color: "#555555", gap: 1 });

  for (const f of doc.fields[locale]) {
    write(f.label, 9, { color: "#555555", gap: 0 });
    write(f.value, 12, { gap: 0.5 });
  }

  pdf.moveDown(1);
  const v = doc.verification;
  write(LABELS.signature[locale], 13, { gap: 0.2 });
  write(v.valid ? LABELS.valid[locale] : LABELS.invalid[locale], 11, { color: v.valid ? "#0a6b2d" : "#a11" });
  if (v.signer) write(`${LABELS.signer[locale]}: ${v.signer.organizationName ?? v.signer.subject}`, 10);
  if (v.signingTime) write(`${LABELS.signingTime[locale]}: ${v.signingTime}`, 10);
  write(`${LABELS.payloadHash[locale]}: ${doc.payloadHash}`, 8, { color: "#555555" });

  const qr = await QRCode.toBuffer(pdfVerificationText(doc), {
    type: "png",
    errorCorrectionLevel: "M",
    margin: 1,
    width: 240,
  });
  if (pdf.y + 150 > pdf.page.height - pdf.page.margins.bottom) pdf.addPage();
  const y = pdf.y + 6;
  pdf.image(qr, pdf.page.margins.left, y, { width: 110, height: 110 });
  pdf.y = y + 116;
  write(LABELS.verify[locale], 8, { color: "#555555" });

  pdf.end();
  await done;
  return new Uint8Array(Buffer.concat(chunks));
}

export type GetDocumentPdfOptions = {
  residentId: string;
  documentId: string;
  locale: TLocale;
  channel: TAuditChannel;
  requestMetadata?: TRequestMetadata;
  now?: Date;
};

/**
 * The resident downloads one of their own documents as PDF: the same ownership check as the
 * HTML view (another resident's id is NOT_FOUND) and a `document.read` audit event with purpose
 * 書類のダウンロード and format "pdf".
 */
export async function getDocumentPdf(
  prisma: PrismaClient,
  options: GetDocumentPdfOptions,
): Promise<{ document: TDocumentDetail; pdf: Uint8Array }> {
  const document = await getDocumentOrThrow(prisma, {
    residentId: options.residentId,
    documentId: options.documentId,
    purpose: "download",
    format: "pdf",
    channel: options.channel,
    requestMetadata: options.requestMetadata,
    now: options.now,
  });
  return { document, pdf: await renderDocumentPdf(document, { locale: options.locale, now: options.now }) };
}

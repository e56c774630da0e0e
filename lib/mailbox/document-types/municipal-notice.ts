import { z } from "zod";
import { day, defineDocumentType, field, ZDay, ZPersonName, ZText } from "./define-document-type";

/**
 * 町からのお知らせ: a notice the municipality addresses to one resident, signed by the town. The
 * addressee's name and address come from the resident's own registry record when the town builds
 * it (the bulk notices of the staff console, lib/bulk-notices); the text is the same for every
 * addressee except for the per-resident values staff filled in from their CSV.
 */
export const municipalNotice = defineDocumentType({
  id: "municipal-notice",
  domain: "notice",
  title: { ja: "町からのお知らせ", en: "Notice from the municipality" },
  titleKana: "まちからのおしらせ",
  schema: z.strictObject({
    /** The issuing municipality as printed, e.g. 徳島県一枚町. */
    municipality: ZText(100),
    /** The notice's number: the same for every addressee of one sending. */
    noticeNumber: ZText(64),
    issuedOn: ZDay,
    addressee: z.strictObject({
      name: ZPersonName,
      address: ZText(300),
      postalCode: z
        .string()
        .regex(/^\d{3}-?\d{4}$/)
        .optional(),
    }),
    title: ZText(200),
    body: ZText(10_000),
    titleEn: ZText(200).optional(),
    bodyEn: ZText(10_000).optional(),
  }),
  subject: (p, l) => (l === "en" && p.titleEn ? p.titleEn : p.title),
  render: (p, l) => [
    field(l, { ja: "件名", en: "Subject" }, l === "en" && p.titleEn ? p.titleEn : p.title),
    field(l, { ja: "宛名", en: "Addressee" }, p.addressee.name),
    field(
      l,
      { ja: "住所", en: "Address" },
      p.addressee.postalCode ? `〒${p.addressee.postalCode} ${p.addressee.address}` : p.addressee.address,
    ),
    field(l, { ja: "本文", en: "Message" }, l === "en" && p.bodyEn ? p.bodyEn : p.body),
    field(l, { ja: "発行者", en: "Issued by" }, p.municipality),
    field(l, { ja: "通知番号", en: "Notice number" }, p.noticeNumber),
    field(l, { ja: "発行日", en: "Issued on" }, day(p.issuedOn, l)),
  ],
});

import { z } from "zod";
import { defineDocumentType, field, ZText } from "./define-document-type";

/** お知らせ: a free-text notice from the municipality or a partner, with an optional English text. */
export const notice = defineDocumentType({
  id: "notice",
  domain: "notice",
  title: { ja: "お知らせ", en: "Notice" },
  titleKana: "おしらせ",
  schema: z.strictObject({
    title: ZText(200),
    body: ZText(10_000),
    titleEn: ZText(200).optional(),
    bodyEn: ZText(10_000).optional(),
    url: z
      .url({ protocol: /^https?$/ })
      .max(2000)
      .optional(),
  }),
  subject: (p, l) => (l === "en" && p.titleEn ? p.titleEn : p.title),
  render: (p, l) => [
    field(l, { ja: "件名", en: "Subject" }, l === "en" && p.titleEn ? p.titleEn : p.title),
    field(l, { ja: "本文", en: "Message" }, l === "en" && p.bodyEn ? p.bodyEn : p.body),
    ...(p.url ? [field(l, { ja: "詳しくは", en: "More information" }, p.url)] : []),
  ],
});

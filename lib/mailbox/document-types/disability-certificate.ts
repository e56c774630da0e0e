import { z } from "zod";
import { day, defineDocumentType, field, ZDay, ZPersonName, ZText } from "./define-document-type";

const KINDS = {
  physical: { ja: "身体障害者手帳", en: "Physical disability certificate" },
  intellectual: { ja: "療育手帳", en: "Intellectual disability certificate" },
  mental: { ja: "精神障害者保健福祉手帳", en: "Mental health and welfare certificate" },
} as const;

/**
 * 障害者手帳: the town's certificate of a disability (physical, intellectual or mental), delivered
 * to the holder's mailbox. A service that grants a discount on it (the community bus) reads only
 * "holds a valid certificate", with the holder's consent.
 */
export const disabilityCertificate = defineDocumentType({
  id: "disability-certificate",
  domain: "health",
  title: { ja: "障害者手帳", en: "Disability certificate" },
  titleKana: "しょうがいしゃてちょう",
  schema: z.strictObject({
    municipality: ZText(100),
    certificateNumber: ZText(40),
    holder: ZPersonName,
    kind: z.enum(["physical", "intellectual", "mental"]),
    grade: ZText(20).meta({ description: "等級 or 判定, e.g. 2級, A" }),
    issuedOn: ZDay,
    validUntil: ZDay.optional().meta({ description: "再認定日 / 有効期限; none for a certificate without expiry" }),
  }),
  subject: (p, l) => (l === "ja" ? `${KINDS[p.kind].ja}（${p.grade}）` : `${KINDS[p.kind].en} (${p.grade})`),
  render: (p, l) => [
    field(l, { ja: "交付市町村", en: "Municipality" }, p.municipality),
    field(l, { ja: "手帳番号", en: "Certificate number" }, p.certificateNumber),
    field(l, { ja: "氏名", en: "Holder" }, p.holder),
    field(l, { ja: "種類", en: "Kind" }, KINDS[p.kind][l]),
    field(l, { ja: "等級", en: "Grade" }, p.grade),
    field(l, { ja: "交付日", en: "Issued on" }, day(p.issuedOn, l)),
    ...(p.validUntil ? [field(l, { ja: "有効期限", en: "Valid until" }, day(p.validUntil, l))] : []),
  ],
});

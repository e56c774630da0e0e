import { z } from "zod";
import { day, defineDocumentType, field, ZDay, ZPersonName, ZText } from "./define-document-type";

const RELATION = z.enum(["head", "spouse", "child", "parent", "other"]);
const RELATION_LABELS = {
  head: { ja: "世帯主", en: "Head of household" },
  spouse: { ja: "妻・夫", en: "Spouse" },
  child: { ja: "子", en: "Child" },
  parent: { ja: "父・母", en: "Parent" },
  other: { ja: "その他", en: "Other" },
} as const;

/** 住民票の写し: a copy of the resident record of a household, issued by the municipality. */
export const residenceCertificate = defineDocumentType({
  id: "residence-certificate",
  domain: "residence",
  title: { ja: "住民票の写し", en: "Certificate of residence" },
  titleKana: "じゅうみんひょうのうつし",
  schema: z.strictObject({
    municipality: ZText(100).meta({ description: "Issuing municipality, e.g. 徳島県一枚町" }),
    certificateNumber: ZText(40),
    issuedOn: ZDay,
    address: ZText(200),
    headOfHousehold: ZPersonName,
    persons: z
      .array(
        z.strictObject({
          name: ZPersonName,
          nameKana: ZText(100),
          dateOfBirth: ZDay,
          gender: z.enum(["male", "female"]),
          relation: RELATION,
          becameResidentOn: ZDay.optional(),
        }),
      )
      .min(1)
      .max(20),
    remarks: ZText(1000).optional(),
  }),
  render: (p, l) => [
    field(l, { ja: "発行自治体", en: "Issued by" }, p.municipality),
    field(l, { ja: "証明番号", en: "Certificate number" }, p.certificateNumber),
    field(l, { ja: "発行日", en: "Issued on" }, day(p.issuedOn, l)),
    field(l, { ja: "住所", en: "Address" }, p.address),
    field(l, { ja: "世帯主", en: "Head of household" }, p.headOfHousehold),
    ...p.persons.flatMap((person, i) => [
      field(l, { ja: `世帯員${i + 1} 氏名`, en: `Member ${i + 1}: name` }, `${person.name}（${person.nameKana}）`),
      field(l, { ja: `世帯員${i + 1} 生年月日`, en: `Member ${i + 1}: date of birth` }, day(person.dateOfBirth, l)),
      field(
        l,
        { ja: `世帯員${i + 1} 性別`, en: `Member ${i + 1}: gender` },
        l === "ja" ? (person.gender === "male" ? "男" : "女") : person.gender === "male" ? "Male" : "Female",
      ),
      field(l, { ja: `世帯員${i + 1} 続柄`, en: `Member ${i + 1}: relation` }, RELATION_LABELS[person.relation][l]),
      ...(person.becameResidentOn
        ? [
            field(
              l,
              { ja: `世帯員${i + 1} 住民となった日`, en: `Member ${i + 1}: resident since` },
              day(person.becameResidentOn, l),
            ),
          ]
        : []),
    ]),
    ...(p.remarks ? [field(l, { ja: "備考", en: "Remarks" }, p.remarks)] : []),
  ],
});

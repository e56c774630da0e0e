import { describe, expect, it } from "vitest";
import { EXAMPLE_PAYLOADS } from "./examples";
import { ZDocumentDomain } from "./define-document-type";
import { DOCUMENT_TYPE_IDS, documentTypeJsonSchema, findDocumentType, listDocumentTypes } from "./registry";

describe("document type registry", () => {
  it("has the ten required types, each with a domain, bilingual titles and a kana reading", () => {
    expect(DOCUMENT_TYPE_IDS).toEqual(
      expect.arrayContaining([
        "residence-certificate",
        "income-tax-certificate",
        "life-insurance-deduction-certificate",
        "medical-expense-notice",
        "withholding-slip",
        "pension-payment-notice",
        "notice",
        "evacuation-order",
        "bus-ride-receipt",
        "hospital-receipt",
      ]),
    );
    for (const t of listDocumentTypes()) {
      expect(ZDocumentDomain.options).toContain(t.domain);
      expect(t.title.ja).toMatch(/[\u3040-\u9fff]/);
      expect(t.title.en).toMatch(/^[A-Z]/);
      expect(t.titleKana).toMatch(/^[\u3041-\u309f]+$/);
    }
    expect(findDocumentType("life-insurance-deduction-certificate")?.title.ja).toBe("生命保険料控除証明書");
    expect(findDocumentType("nope")).toBeUndefined();
  });

  it.each(DOCUMENT_TYPE_IDS)(
    "%s: JSON Schema, a valid sample rendered in ja and en, an invalid payload refused",
    (id) => {
      const type = findDocumentType(id)!;
      const schema = documentTypeJsonSchema(type);
      expect(schema).toMatchObject({ type: "object", additionalProperties: false });
      expect(Object.keys(schema.properties as object).length).toBeGreaterThan(0);

      const sample = EXAMPLE_PAYLOADS[id];
      const parsed = type.schema.safeParse(sample);
      expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
      const ja = type.render(parsed.data, "ja");
      const en = type.render(parsed.data, "en");
      expect(ja.length).toBeGreaterThan(0);
      expect(en).toHaveLength(ja.length);
      for (const f of [...ja, ...en]) {
        expect(f.label.length).toBeGreaterThan(0);
        expect(f.value.length).toBeGreaterThan(0);
      }
      // Japanese labels are Japanese, English labels are not.
      expect(ja.some((f) => /[\u3040-\u9fff]/.test(f.label))).toBe(true);
      expect(en.every((f) => !/[\u3040-\u30ff]/.test(f.label))).toBe(true);

      expect(type.schema.safeParse({ ...sample, unexpectedField: 1 }).success).toBe(false);
      expect(type.schema.safeParse({}).success).toBe(false);
    },
  );

  it("renders amounts and dates the Japanese way in ja and the English way in en", () => {
    const type = findDocumentType("life-insurance-deduction-certificate")!;
    const payload = type.schema.parse(EXAMPLE_PAYLOADS["life-insurance-deduction-certificate"]);
    const ja = Object.fromEntries(type.render(payload, "ja").map((f) => [f.label, f.value]));
    const en = Object.fromEntries(type.render(payload, "en").map((f) => [f.label, f.value]));
    expect(ja["証明額（払込済）"]).toBe("96,000円");
    expect(en["Premiums paid to date"]).toBe("¥96,000");
    expect(ja.発行日).toBe("令和8年（2026年）10月15日");
    expect(en["Issued on"]).toBe("15 October 2026 (Reiwa 8)");
  });
});

import { beforeAll, describe, expect, it } from "vitest";
import { seedPartner, seedResident } from "@/prisma/seed/factories";
import { useTestDatabase } from "../../test/db";
import { archiveDocument } from "./archive-document";
import { deliverDocument } from "./deliver-document";
import { EXAMPLE_PAYLOADS } from "./document-types/examples";
import { getDocumentOrThrow } from "./get-document";
import { linkPartner } from "./link-partner";
import { listDocuments } from "./list-documents";
import { normaliseSearchText, parseSearchQuery } from "./search-text";
import { createTestPartnerCa, issueOrgSigner, signPayload, type TOrgSigner } from "../../test/mailbox/mailbox-world";

describe("normaliseSearchText", () => {
  it.each([
    ["セイメイ", "せいめい"],
    ["ｾｲﾒｲ", "せいめい"],
    ["ＡＢＣ　１２３", "abc123"],
    ["生命 保険", "生命保険"],
    ["ヴァイオリン", "ゔぁいおりん"],
  ])("%s → %s", (input, output) => {
    expect(normaliseSearchText(input)).toBe(output);
  });

  it("a query needs every bigram of each term; a single character needs itself", () => {
    expect(parseSearchQuery("保険料 町").grams.sort()).toEqual(["保険", "町", "険料"].sort());
  });
});

describe("resident inbox: listDocuments, getDocumentOrThrow, archiveDocument", () => {
  const db = useTestDatabase();
  let a: { id: string };
  let b: { id: string };
  let town: { id: string };
  let sakura: { id: string };
  const docs: Record<string, string> = {};

  beforeAll(async () => {
    const p = db().prisma;
    // Documents are dated 2026; the CA and keys must be valid at those signing times.
    const epoch = new Date("2026-01-01T00:00:00Z");
    const ca = await createTestPartnerCa(epoch);
    const trust = [ca.certificate];
    town = await seedPartner(p, {
      slug: "ichimai-town",
      name: "一枚町役場",
      nameEn: "Ichimai Town Office",
      kind: "GOVERNMENT",
    });
    sakura = await seedPartner(p, { slug: "sakura-life", name: "さくら生命保険株式会社", kind: "LIFE_INSURER" });
    const signers: Record<string, TOrgSigner> = {
      [town.id]: await issueOrgSigner(ca, { slug: "ichimai-town", name: "一枚町役場" }, epoch),
      [sakura.id]: await issueOrgSigner(ca, { slug: "sakura-life", name: "さくら生命保険株式会社" }, epoch),
    };
    a = await seedResident(p);
    b = await seedResident(p);
    await linkPartner(p, { residentId: a.id, partnerId: sakura.id, partnerRef: "A-1" });
    await linkPartner(p, { residentId: b.id, partnerId: sakura.id, partnerRef: "B-1" });
    await linkPartner(p, { residentId: a.id, partnerId: town.id, partnerRef: "A-T" });
    await linkPartner(p, { residentId: b.id, partnerId: town.id, partnerRef: "B-T" });

    const deliver = async (
      key: string,
      partnerId: string,
      ref: string,
      type: string,
      payload: unknown,
      at: string,
      extra = {},
    ) => {
      const { receipt } = await deliverDocument(p, {
        partnerId,
        request: {
          type,
          recipient: { partnerRef: ref },
          payload,
          signature: await signPayload(signers[partnerId]!, payload, new Date(at)),
          ...extra,
        },
        trustAnchors: trust,
        now: new Date(at),
      });
      docs[key] = receipt.id;
    };
    await deliver(
      "aLife",
      sakura.id,
      "A-1",
      "life-insurance-deduction-certificate",
      EXAMPLE_PAYLOADS["life-insurance-deduction-certificate"],
      "2026-10-15T01:00:00Z",
    );
    await deliver(
      "aTax",
      town.id,
      "A-T",
      "income-tax-certificate",
      EXAMPLE_PAYLOADS["income-tax-certificate"],
      "2026-06-10T01:00:00Z",
    );
    await deliver(
      "aFlu",
      town.id,
      "A-T",
      "notice",
      { title: "インフルエンザ予防接種のお知らせ", body: "接種費用を助成します。" },
      "2026-10-01T01:00:00Z",
      {
        metadata: { expiresAt: "2026-10-10T00:00:00+09:00" },
      },
    );
    await deliver(
      "aEvac",
      town.id,
      "A-T",
      "evacuation-order",
      EXAMPLE_PAYLOADS["evacuation-order"],
      "2026-09-01T00:00:00Z",
    );
    await deliver(
      "aBus",
      town.id,
      "A-T",
      "bus-ride-receipt",
      EXAMPLE_PAYLOADS["bus-ride-receipt"],
      "2026-11-20T00:30:00Z",
    );
    await deliver(
      "bLife",
      sakura.id,
      "B-1",
      "life-insurance-deduction-certificate",
      EXAMPLE_PAYLOADS["life-insurance-deduction-certificate"],
      "2026-10-16T01:00:00Z",
    );
    await deliver(
      "bNotice",
      town.id,
      "B-T",
      "notice",
      { title: "インフルエンザ予防接種のお知らせ", body: "B宛" },
      "2026-10-02T01:00:00Z",
    );
  });

  const list = (residentId: string, filter = {}, more: { cursor?: string; limit?: number; now?: Date } = {}) =>
    listDocuments(db().prisma, { residentId, filter, channel: "pc", ...more });

  it("[AUTHZ]: resident A never sees B's documents: not in lists, searches, opens or archives", async () => {
    const aList = await list(a.id);
    expect(aList.items.map((i) => i.id).sort()).toEqual(
      [docs.aLife, docs.aTax, docs.aFlu, docs.aEvac, docs.aBus].sort(),
    );
    const search = await list(a.id, { q: "インフルエンザ" });
    expect(search.items.map((i) => i.id)).toEqual([docs.aFlu]);
    for (const id of [docs.bLife!, docs.bNotice!]) {
      await expect(
        getDocumentOrThrow(db().prisma, { residentId: a.id, documentId: id, channel: "pc" }),
      ).rejects.toMatchObject({ code: "NOT_FOUND" });
      await expect(
        archiveDocument(db().prisma, { residentId: a.id, documentId: id, archived: true, channel: "pc" }),
      ).rejects.toMatchObject({ code: "NOT_FOUND" });
    }
    const bDoc = await db().prisma.mailboxDocument.findUniqueOrThrow({ where: { id: docs.bLife! } });
    expect(bDoc.readAt).toBeNull();
    expect(bDoc.archivedAt).toBeNull();
    expect((await list(b.id)).items.map((i) => i.id).sort()).toEqual([docs.bLife, docs.bNotice].sort());
  });

  it.each([
    ["kanji", "予防接種", ["aFlu"]],
    ["hiragana for katakana text", "いんふるえんざ", ["aFlu"]],
    ["half-width katakana", "ｲﾝﾌﾙｴﾝｻﾞ", ["aFlu"]],
    ["the kana reading of a type title", "かぜい", ["aTax"]],
    ["the issuer name", "一枚町役場", ["aTax", "aFlu", "aEvac", "aBus"]],
    ["an English title", "evacuation", ["aEvac"]],
    ["two terms (both must match)", "保険 さくら", ["aLife"]],
    ["a single kanji", "避", ["aEvac"]],
    ["reversed characters", "料険", []],
    ["text nobody has", "宝くじ", []],
  ])("search by %s (%s)", async (_label, q, keys) => {
    const result = await list(a.id, { q });
    expect(result.items.map((i) => i.id).sort()).toEqual(keys.map((k) => docs[k]).sort());
  });

  it("the gram test is served by one per-resident GIN index, for the inbox and the archive", async () => {
    const p = db().prisma;
    const indexes = await p.$queryRawUnsafe<{ indexname: string; indexdef: string }[]>(
      `SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'MailboxDocument' AND indexdef ILIKE '%USING gin%'`,
    );
    // One GIN index (each costs ~220 entries per delivered document), not partial: archive search uses it too.
    expect(indexes.map((i) => i.indexname)).toEqual(["MailboxDocument_inbox_search_idx"]);
    expect(indexes[0]!.indexdef).toMatch(/USING gin \("residentId", "searchGrams"\)$/);
    const plan = await p.$transaction(async (tx) => {
      // The test tables are tiny, so take sequential scans off the table to see the index is usable.
      await tx.$executeRawUnsafe("SET LOCAL enable_seqscan = off");
      return tx.$queryRawUnsafe<{ "QUERY PLAN": string }[]>(
        `EXPLAIN SELECT id FROM "MailboxDocument" WHERE "searchGrams" @> ARRAY['保険', '険料']::text[]`,
      );
    });
    expect(plan.map((r) => r["QUERY PLAN"]).join("\n")).toContain("MailboxDocument_inbox_search_idx");
  });

  it("filters by type, domain, issuer and date (Japanese calendar days)", async () => {
    expect((await list(a.id, { type: "notice" })).items.map((i) => i.id)).toEqual([docs.aFlu]);
    expect((await list(a.id, { domain: "tax" })).items.map((i) => i.id)).toEqual([docs.aTax]);
    expect((await list(a.id, { issuerPartnerId: sakura.id })).items.map((i) => i.id)).toEqual([docs.aLife]);
    expect((await list(a.id, { from: "2026-09-01", to: "2026-10-01" })).items.map((i) => i.id)).toEqual([
      docs.aFlu,
      docs.aEvac,
    ]);
    const issuers = (await list(a.id)).issuers.map((i) => i.id).sort();
    expect(issuers).toEqual([town.id, sakura.id].sort());
    await expect(list(a.id, { domain: "lottery" })).rejects.toMatchObject({ code: "VALIDATION_FAILED" });
  });

  it("pages newest first with a cursor, without gaps or repeats", async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await list(a.id, {}, { limit: 2, cursor });
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual([docs.aBus, docs.aLife, docs.aFlu, docs.aEvac, docs.aTax]);
  });

  it("marks expiry: expired and expiring-soon flags", async () => {
    const before = await list(a.id, { type: "notice" }, { now: new Date("2026-10-05T00:00:00Z") });
    expect(before.items[0]).toMatchObject({ expired: false, expiresSoon: true });
    const after = await list(a.id, { type: "notice" }, { now: new Date("2026-10-11T00:00:00Z") });
    expect(after.items[0]).toMatchObject({ expired: true, expiresSoon: false });
  });

  it("opening a document marks it read, lowers the unread count and is audited; listing is audited too", async () => {
    const p = db().prisma;
    const unread = (await list(a.id)).unreadCount;
    const detail = await getDocumentOrThrow(p, { residentId: a.id, documentId: docs.aEvac!, channel: "phone" });
    expect(detail.fields.ja.find((f) => f.label === "警戒レベル")?.value).toBe("警戒レベル4 避難指示");
    expect(detail.fields.en.find((f) => f.label === "Alert level")?.value).toBe("Alert level 4: evacuation order");
    expect(detail.verification.valid).toBe(true);
    expect((await list(a.id)).unreadCount).toBe(unread - 1);
    expect((await list(a.id, { unreadOnly: true })).items.map((i) => i.id)).not.toContain(docs.aEvac);
    // Opening again does not move readAt.
    const again = await getDocumentOrThrow(p, { residentId: a.id, documentId: docs.aEvac!, channel: "pc" });
    expect(again.readAt).toBe(detail.readAt);
    expect(
      await p.auditEvent.count({
        where: { type: "document.read", subjectResidentId: a.id, data: { path: ["documentId"], equals: docs.aEvac! } },
      }),
    ).toBe(2);
    expect(await p.auditEvent.count({ where: { type: "document.listed", subjectResidentId: a.id } })).toBeGreaterThan(
      5,
    );
    expect(await p.auditEvent.count({ where: { type: "document.listed", subjectResidentId: b.id } })).toBeGreaterThan(
      0,
    );
  });

  it("archiving moves a document out of the inbox into the archive and back, audited", async () => {
    const p = db().prisma;
    await archiveDocument(p, { residentId: a.id, documentId: docs.aBus!, archived: true, channel: "pc" });
    expect((await list(a.id)).items.map((i) => i.id)).not.toContain(docs.aBus);
    expect((await list(a.id, { archived: true })).items.map((i) => i.id)).toEqual([docs.aBus]);
    await archiveDocument(p, { residentId: a.id, documentId: docs.aBus!, archived: false, channel: "pc" });
    expect((await list(a.id)).items.map((i) => i.id)).toContain(docs.aBus);
    expect(await p.auditEvent.count({ where: { type: "document.archived", subjectResidentId: a.id } })).toBe(2);
  });
});

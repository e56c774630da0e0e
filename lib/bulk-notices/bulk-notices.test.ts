import { beforeAll, describe, expect, it } from "vitest";
import { generateRsaKeyPair } from "../../jlis-sim/ca/ca";
import {
  createPartnerRootCa,
  issueOrganizationCertificate,
  type TPartnerCa,
} from "../../jlis-sim/partner-ca/partner-ca";
import { seedPartner, seedResident, seedStaffMember } from "../../prisma/seed/factories";
import { useTestDatabase } from "../../test/db";
import { rejectionCode } from "../../test/rejection-code";
import { verifyAuditChain } from "../audit/verify-audit-chain";
import type { PrismaClient } from "../db/client";
import { canonicalJsonBytes } from "../mailbox/canonical-json";
import { verifyIssuerSignature } from "../mailbox/verify-issuer-signature";
import type { TBulkNoticesContext } from "./context";
import { createNoticeBatch } from "./create-notice-batch";
import { approveNoticeBatch, cancelNoticeBatch, retryNoticeBatch } from "./decide-notice-batch";
import { parseNoticeCsv } from "./parse-notice-csv";
import { getNoticeBatch, noticeBatchLines, noticeReportCsv } from "./read-notice-batches";
import { NOTICE_APPROVAL_THRESHOLD } from "./roles";
import { dueNoticeBatches, runNoticeBatch } from "./run-notice-batch";

const utf8 = (s: string) => new TextEncoder().encode(s);
const NOTICE = {
  title: "{{氏名}}様 粗大ごみ収集のお知らせ",
  body: "収集日は{{day}}です。",
  titleEn: "Bulky waste collection",
  bodyEn: "Collection day: {{day}}.",
};

describe("bulk notices from a CSV (lib/bulk-notices)", () => {
  const db = useTestDatabase();
  let partnerCa: TPartnerCa;

  beforeAll(async () => {
    const now = Date.now();
    partnerCa = await createPartnerRootCa({
      notBefore: new Date(now - 86_400_000),
      notAfter: new Date(now + 86_400_000 * 365),
    });
  });

  async function setup(prisma: PrismaClient, o: { signer?: boolean } = {}) {
    const town = await seedPartner(prisma, { slug: "ichimai-town", name: "一枚町役場", kind: "GOVERNMENT" });
    const keys = await generateRsaKeyPair();
    const certificate = await issueOrganizationCertificate({
      ca: partnerCa,
      subjectPublicKey: keys.publicKey,
      serialNumber: BigInt(Date.now()),
      organizationName: town.name,
      partnerSlug: town.slug,
      notBefore: new Date(Date.now() - 3_600_000),
      notAfter: new Date(Date.now() + 86_400_000),
    });
    const enqueued: string[] = [];
    let signerReady = o.signer ?? true;
    const ctx: TBulkNoticesContext = {
      prisma,
      issuerTrustAnchors: async () => [partnerCa.certificate],
      townSigner: async () => {
        if (!signerReady) {
          const { AppError } = await import("../errors/app-error");
          throw new AppError("TOWN_SIGNER_UNAVAILABLE");
        }
        return { partnerSlug: town.slug, municipality: "徳島県一枚町", certificate, privateKey: keys.privateKey };
      },
      enqueue: async (id) => {
        enqueued.push(id);
      },
    };
    const hana = await seedResident(prisma, { familyName: "阿波", givenName: "花子" });
    const taro = await seedResident(prisma, { familyName: "吉野", givenName: "太郎" });
    const gone = await seedResident(prisma);
    await prisma.resident.update({ where: { id: gone.id }, data: { leftAt: new Date(), leftReason: "転出" } });
    const clerk = await seedStaffMember(prisma, { roles: ["CLERK"] });
    const supervisor = await seedStaffMember(prisma, { roles: ["SUPERVISOR"] });
    return {
      ctx,
      town,
      hana,
      taro,
      gone,
      enqueued,
      clerk: { staffId: clerk.id, roles: clerk.roles },
      supervisor: { staffId: supervisor.id, roles: supervisor.roles },
      setSigner: (v: boolean) => {
        signerReady = v;
      },
    };
  }

  it("delivers a signed notice per good line, refuses every bad line with its stable code, counts progress, reports each line, and a re-run or re-upload delivers nothing twice", async () => {
    const { prisma } = db();
    const { ctx, town, hana, taro, gone, enqueued, clerk } = await setup(prisma);
    const sandbox = await seedResident(prisma, { sandbox: true });
    const csv = [
      "registryNumber,day",
      `${hana.registryNumber},12月15日`,
      `${taro.registryNumber},"12月16日"`,
      "",
      "36999-NOBODY,12月17日",
      `${gone.registryNumber},12月18日`,
      `${hana.registryNumber},12月19日`,
      `${taro.registryNumber}x!,12月20日`,
      `${taro.registryNumber}`,
      "36999-0002,ctl\u0007char",
      "36999-0003,",
      `${sandbox.registryNumber},12月21日`,
    ].join("\r\n");
    // With a UTF-8 BOM, as Excel's "CSV UTF-8" writes it.
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...utf8(csv)]);
    const created = await createNoticeBatch(ctx, {
      staff: clerk,
      notice: NOTICE,
      fileName: "gomi.csv",
      csv: bytes,
      encoding: "utf-8",
    });
    expect(created).toMatchObject({ existing: false, awaitingApproval: false });
    expect(enqueued).toEqual([created.batchId]);

    const before = await getNoticeBatch(prisma, { staff: clerk, batchId: created.batchId });
    // Lines refused when the file was read already count towards the progress.
    expect(before).toMatchObject({ status: "QUEUED", total: 10, delivered: 0, refused: 5, pending: 5, percent: 50 });

    const run = await runNoticeBatch(ctx, created.batchId);
    expect(run).toMatchObject({ ran: true, status: "COMPLETED", delivered: 2, refused: 8 });
    const after = await getNoticeBatch(prisma, { staff: clerk, batchId: created.batchId });
    expect(after).toMatchObject({
      status: "COMPLETED",
      delivered: 2,
      refused: 8,
      pending: 0,
      percent: 100,
      finished: true,
    });

    const lines = await noticeBatchLines(prisma, { staff: clerk, batchId: created.batchId });
    expect(lines.map((l) => [l.line, l.status, l.code])).toEqual([
      [2, "delivered", ""],
      [3, "delivered", ""],
      [5, "refused", "NOTICE_RESIDENT_UNKNOWN"],
      [6, "refused", "NOTICE_RESIDENT_MOVED_OUT"],
      [7, "refused", "NOTICE_LINE_DUPLICATE"],
      [8, "refused", "NOTICE_LINE_MALFORMED"],
      [9, "refused", "NOTICE_LINE_MALFORMED"],
      [10, "refused", "NOTICE_LINE_BAD_CHARACTERS"],
      [11, "refused", "NOTICE_VARIABLE_MISSING"],
      [12, "refused", "NOTICE_RESIDENT_UNKNOWN"],
    ]);

    // Each delivered document: in the right mailbox, built from the registry, signed by the town.
    const docs = await prisma.mailboxDocument.findMany({
      where: { issuerPartnerId: town.id, type: "municipal-notice" },
      select: { id: true, residentId: true, payload: true, signature: true, signatureValid: true },
    });
    expect(docs.map((d) => d.residentId).sort()).toEqual([hana.id, taro.id].sort());
    for (const d of docs) {
      const r = d.residentId === hana.id ? hana : taro;
      const payload = d.payload as { addressee: { name: string; address: string }; title: string; body: string };
      expect(payload.addressee).toMatchObject({ name: `${r.familyName} ${r.givenName}`, address: r.address });
      expect(payload.title).toBe(`${r.familyName} ${r.givenName}様 粗大ごみ収集のお知らせ`);
      expect(payload.body).toBe(r.id === hana.id ? "収集日は12月15日です。" : "収集日は12月16日です。");
      expect(d.signatureValid).toBe(true);
      const verified = await verifyIssuerSignature({
        canonicalPayload: canonicalJsonBytes(d.payload as Record<string, unknown>),
        signature: new Uint8Array(d.signature),
        partnerSlug: town.slug,
        trust: { trustAnchors: [partnerCa.certificate] },
        now: new Date(),
      });
      expect(verified.stored.valid).toBe(true);
    }
    expect(
      lines
        .filter((l) => l.documentId)
        .map((l) => l.documentId)
        .sort(),
    ).toEqual(docs.map((d) => d.id).sort());

    // The report: one row per line, BOM first, stable codes.
    const report = await noticeReportCsv(prisma, { staff: clerk, batchId: created.batchId });
    expect(report.startsWith("\ufeffline,registryNumber,status,code,documentId\n")).toBe(true);
    const parsed = report.slice(1).trim().split("\n");
    expect(parsed).toHaveLength(11);
    expect(parsed[3]).toBe("5,36999-NOBODY,refused,NOTICE_RESIDENT_UNKNOWN,");

    // Running it again, or uploading the same file and notice again, delivers nothing more.
    expect(await runNoticeBatch(ctx, created.batchId)).toEqual({ ran: false });
    const again = await createNoticeBatch(ctx, {
      staff: clerk,
      notice: NOTICE,
      fileName: "gomi (1).csv",
      csv: bytes,
      encoding: "utf-8",
    });
    expect(again).toMatchObject({ batchId: created.batchId, existing: true });
    expect(await prisma.mailboxDocument.count({ where: { issuerPartnerId: town.id } })).toBe(2);
    expect(await prisma.noticeBatch.count()).toBe(1);

    const types = (await prisma.auditEvent.findMany({ select: { type: true } })).map((e) => e.type);
    expect(types.filter((t) => t === "document.delivered")).toHaveLength(2);
    expect(types).toEqual(
      expect.arrayContaining(["notice.batch_created", "notice.batch_completed", "notice.report_downloaded"]),
    );
    expect((await verifyAuditChain(prisma)).ok).toBe(true);
  });

  it("a job that meets a line another job already delivered does not deliver it twice (one outcome per line)", async () => {
    const { prisma } = db();
    const { ctx, hana, taro, clerk } = await setup(prisma);
    const { batchId } = await createNoticeBatch(ctx, {
      staff: clerk,
      notice: { title: "お知らせ", body: "本文" },
      fileName: "a.csv",
      csv: utf8(`registryNumber\n${hana.registryNumber}\n${taro.registryNumber}\n`),
      encoding: "utf-8",
    });
    // Two jobs at once (a retry while the first still runs): only one takes the batch.
    const [a, b] = await Promise.all([runNoticeBatch(ctx, batchId), runNoticeBatch(ctx, batchId)]);
    expect([a.ran, b.ran].sort()).toEqual([false, true]);
    // A job whose lease lapsed mid-way is taken over and finishes only what is pending.
    await prisma.noticeBatch.update({ where: { id: batchId }, data: { status: "RUNNING", leaseUntil: new Date(0) } });
    await prisma.noticeLine.updateMany({
      where: { batchId, lineNumber: 3 },
      data: { status: "PENDING", documentId: null },
    });
    expect(await dueNoticeBatches(ctx)).toEqual([batchId]);
    const rerun = await runNoticeBatch(ctx, batchId);
    // Line 3's document exists under its idempotency key: recorded, not delivered again.
    expect(rerun).toMatchObject({ ran: true, status: "COMPLETED", delivered: 2, refused: 0 });
    expect(await prisma.mailboxDocument.count({ where: { residentId: taro.id } })).toBe(1);
    const line3 = await prisma.noticeLine.findFirstOrThrow({ where: { batchId, lineNumber: 3 } });
    expect(line3.documentId).not.toBeNull();
  });

  it("a clerk's sending above the threshold waits for another supervisor; a missing town signer stops the batch FAILED and a retry finishes it", async () => {
    const { prisma } = db();
    const { ctx, hana, clerk, supervisor, enqueued, setSigner } = await setup(prisma, { signer: false });
    const many = Array.from({ length: NOTICE_APPROVAL_THRESHOLD }, (_, i) => `36999-Z${String(i).padStart(4, "0")}`);
    const csv = utf8(["registryNumber", hana.registryNumber, ...many].join("\n"));
    const big = await createNoticeBatch(ctx, {
      staff: clerk,
      notice: { title: "t", body: "b" },
      fileName: "big.csv",
      csv,
      encoding: "utf-8",
    });
    expect(big.awaitingApproval).toBe(true);
    expect(enqueued).toEqual([]);
    expect(await runNoticeBatch(ctx, big.batchId)).toEqual({ ran: false });
    expect(await rejectionCode(approveNoticeBatch(ctx, { staff: clerk, batchId: big.batchId }))).toBe("FORBIDDEN");
    const ownSupervisor = await createNoticeBatch(ctx, {
      staff: supervisor,
      notice: { title: "t2", body: "b" },
      fileName: "big.csv",
      csv,
      encoding: "utf-8",
    });
    expect(ownSupervisor.awaitingApproval).toBe(false);
    expect(await rejectionCode(cancelNoticeBatch(ctx, { staff: clerk, batchId: ownSupervisor.batchId }))).toBe(
      "FORBIDDEN",
    );
    await cancelNoticeBatch(ctx, { staff: supervisor, batchId: ownSupervisor.batchId });
    expect(await runNoticeBatch(ctx, ownSupervisor.batchId)).toEqual({ ran: false });

    await approveNoticeBatch(ctx, { staff: supervisor, batchId: big.batchId });
    expect(await rejectionCode(approveNoticeBatch(ctx, { staff: supervisor, batchId: big.batchId }))).toBe(
      "NOTICE_BATCH_STATE",
    );
    expect(enqueued).toEqual([ownSupervisor.batchId, big.batchId]);
    // The town cannot sign: nothing is refused for it, the batch waits FAILED with the code.
    expect(await runNoticeBatch(ctx, big.batchId)).toMatchObject({
      status: "FAILED",
      failureCode: "TOWN_SIGNER_UNAVAILABLE",
      delivered: 0,
      refused: 0,
    });
    setSigner(true);
    await retryNoticeBatch(ctx, { staff: clerk, batchId: big.batchId });
    expect(await runNoticeBatch(ctx, big.batchId)).toMatchObject({ status: "COMPLETED", delivered: 1, refused: 100 });
  });

  it("refuses whole files clearly: not UTF-8, Shift_JIS when declared, too large, no header, unknown variables, empty", async () => {
    const { prisma } = db();
    const { ctx, hana, clerk } = await setup(prisma);
    const base = { staff: clerk, notice: { title: "t", body: "b" }, fileName: "x.csv" } as const;
    // 氏名 in Shift_JIS: 0x8E81 0x96BC — not UTF-8.
    const sjis = new Uint8Array([
      ...utf8("registryNumber,shimei\n"),
      ...utf8(hana.registryNumber),
      0x2c,
      0x8e,
      0x81,
      0x96,
      0xbc,
      0x0a,
    ]);
    expect(await rejectionCode(createNoticeBatch(ctx, { ...base, csv: sjis, encoding: "utf-8" }))).toBe(
      "NOTICE_CSV_NOT_UTF8",
    );
    const fromSjis = await createNoticeBatch(ctx, {
      ...base,
      notice: { title: "{{shimei}}", body: "b" },
      csv: sjis,
      encoding: "shift_jis",
    });
    const [line] = await noticeBatchLines(prisma, { staff: clerk, batchId: fromSjis.batchId });
    expect(line).toMatchObject({ registryNumber: hana.registryNumber, status: "pending" });
    expect((await prisma.noticeLine.findFirstOrThrow({ where: { batchId: fromSjis.batchId } })).values).toEqual({
      shimei: "氏名",
    });
    expect(
      await rejectionCode(
        createNoticeBatch(ctx, { ...base, csv: new Uint8Array([0x81, 0x0a]), encoding: "shift_jis" }),
      ),
    ).toBe("NOTICE_CSV_NOT_SHIFT_JIS");
    expect(
      await rejectionCode(
        createNoticeBatch(ctx, { ...base, csv: new Uint8Array(2 * 1024 * 1024 + 1), encoding: "utf-8" }),
      ),
    ).toBe("NOTICE_CSV_TOO_LARGE");
    expect(
      await rejectionCode(createNoticeBatch(ctx, { ...base, csv: utf8("name,day\n1,2\n"), encoding: "utf-8" })),
    ).toBe("NOTICE_CSV_INVALID");
    expect(
      await rejectionCode(createNoticeBatch(ctx, { ...base, csv: utf8('registryNumber\n"1\n'), encoding: "utf-8" })),
    ).toBe("NOTICE_CSV_INVALID");
    expect(
      await rejectionCode(createNoticeBatch(ctx, { ...base, csv: utf8("registryNumber\n,\n"), encoding: "utf-8" })),
    ).toBe("NOTICE_CSV_EMPTY");
    expect(
      await rejectionCode(
        createNoticeBatch(ctx, {
          ...base,
          notice: { title: "{{amount}}", body: "b" },
          csv: utf8("registryNumber\n1\n"),
          encoding: "utf-8",
        }),
      ),
    ).toBe("NOTICE_TEMPLATE_VARIABLE_UNKNOWN");
    expect(
      await rejectionCode(
        createNoticeBatch(ctx, {
          ...base,
          notice: { title: "a\u0000", body: "b" },
          csv: utf8("registryNumber\n1\n"),
          encoding: "utf-8",
        }),
      ),
    ).toBe("VALIDATION_FAILED");
    const auditor = await seedStaffMember(prisma, { roles: ["AUDITOR"] });
    expect(
      await rejectionCode(
        createNoticeBatch(ctx, {
          ...base,
          staff: { staffId: auditor.id, roles: auditor.roles },
          csv: utf8("registryNumber\n1\n"),
          encoding: "utf-8",
        }),
      ),
    ).toBe("FORBIDDEN");
  });

  it("parses quoted fields, multi-line values and CRLF with file line numbers", () => {
    const parsed = parseNoticeCsv('registryNumber,memo\r\n\r\nA-1,"a,\r\nb"\r\nA-2,c\r\n', ["{{memo}}"]);
    expect(parsed.variables).toEqual(["memo"]);
    expect(parsed.lines).toEqual([
      { lineNumber: 3, registryNumber: "A-1", values: { memo: "a,\nb" } },
      { lineNumber: 5, registryNumber: "A-2", values: { memo: "c" } },
    ]);
  });
});

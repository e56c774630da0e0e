import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { generateRsaKeyPair } from "../../jlis-sim/ca/ca";
import {
  issueOrganizationCertificate,
  openPartnerCa,
  publishPartnerCrl,
  revokeOrganizationCertificate,
} from "../../jlis-sim/partner-ca/partner-ca";
import { verifyAuditChain } from "@/lib/audit/verify-audit-chain";
import { useTestDatabase } from "@/test/db";
import { startBulkDelivery, type TBulkLineResult } from "./deliver-bulk";
import {
  createLinkedInsurer,
  lifeInsurancePayload,
  signPayload,
  type TOrgSigner,
} from "../../test/mailbox/mailbox-world";

/** startBulkDelivery without HTTP: batching, idempotency across batches and requests, a broken source. */
describe("startBulkDelivery", () => {
  const db = useTestDatabase();
  let trust: Uint8Array[];
  let signer: TOrgSigner;
  let partnerId: string;

  beforeAll(async () => {
    ({ trust, signer, partnerId } = await createLinkedInsurer(db().prisma, ["SL-A", "SL-B"]));
  });

  const doc = async (partnerRef: string, policyNumber: string) => {
    const payload = lifeInsurancePayload({ policyNumber });
    return {
      type: "life-insurance-deduction-certificate",
      recipient: { partnerRef },
      payload,
      signature: await signPayload(signer, payload),
    };
  };

  it("[MAILBOX][BULK]: batches commit in order; a key repeated across batches replays; the chain verifies", async () => {
    const p = db().prisma;
    const docs = await Promise.all(Array.from({ length: 7 }, (_, i) => doc(i % 2 ? "SL-A" : "SL-B", `BATCH-${i}`)));
    const lines = docs.map((d, i) => ({
      line: i + 1,
      text: JSON.stringify({ idempotencyKey: `batch-${i}`, document: d }),
    }));
    lines.push({ line: 8, text: JSON.stringify({ idempotencyKey: "batch-0", document: docs[0] }) });
    lines.push({ line: 9, text: JSON.stringify({ idempotencyKey: "batch-6", document: docs[6] }) });
    async function* source() {
      yield* lines;
    }
    const results: TBulkLineResult[] = [];
    for await (const r of await startBulkDelivery(p, {
      partnerId,
      lines: source(),
      trustAnchors: trust,
      batchSize: 2,
    })) {
      results.push(r);
    }
    expect(results.map((r) => [r.line, r.status])).toEqual([
      ...docs.map((_, i) => [i + 1, "delivered"]),
      [8, "replayed"],
      [9, "replayed"],
    ]);
    expect(
      await p.mailboxDocument.count({ where: { payload: { path: ["policyNumber"], string_starts_with: "BATCH-" } } }),
    ).toBe(7);
    expect(await verifyAuditChain(p)).toMatchObject({ ok: true });
  });

  it("[MAILBOX][BULK]: two bulks racing with the same keys deliver each document once; the loser replays", async () => {
    const p = db().prisma;
    const docs = await Promise.all(Array.from({ length: 20 }, (_, i) => doc("SL-A", `RACE-${i}`)));
    const run = async () => {
      async function* source() {
        for (const [i, d] of docs.entries())
          yield { line: i + 1, text: JSON.stringify({ idempotencyKey: `race-${i}`, document: d }) };
      }
      const out: TBulkLineResult[] = [];
      for await (const r of await startBulkDelivery(p, {
        partnerId,
        lines: source(),
        trustAnchors: trust,
        batchSize: 5,
      })) {
        out.push(r);
      }
      return out;
    };
    const [a, b] = await Promise.all([run(), run()]);
    for (let i = 0; i < docs.length; i++) {
      const x = a[i]!;
      const y = b[i]!;
      expect([x.status, y.status].sort()).toEqual(["delivered", "replayed"]);
      if (x.status === "refused" || y.status === "refused") throw new Error("refused");
      expect(x.receipt.id).toBe(y.receipt.id);
    }
    expect(
      await p.mailboxDocument.count({ where: { payload: { path: ["policyNumber"], string_starts_with: "RACE-" } } }),
    ).toBe(20);
    expect(await verifyAuditChain(p)).toMatchObject({ ok: true });
  });

  it("[MAILBOX][BULK]: a source that breaks mid-stream finishes the lines read, then reports the error", async () => {
    const p = db().prisma;
    const d = await doc("SL-A", "ABORT-1");
    async function* source() {
      yield { line: 1, text: JSON.stringify({ document: d }) };
      throw new Error("connection reset");
    }
    const results: TBulkLineResult[] = [];
    await expect(
      (async () => {
        for await (const r of await startBulkDelivery(p, { partnerId, lines: source(), trustAnchors: trust })) {
          results.push(r);
        }
      })(),
    ).rejects.toThrow("connection reset");
    expect(results.map((r) => r.status)).toEqual(["delivered"]);
  });

  it("[MAILBOX][BULK]: one run checks the signer's path and CRL once, yet a tampered line in the middle is refused alone", async () => {
    const p = db().prisma;
    const dir = await mkdtemp(path.join(os.tmpdir(), "ichimai-bulk-crl-"));
    try {
      // A CA with a CRL, so the run's revocation answer is cached (until the CRL's nextUpdate).
      const ca = await openPartnerCa(dir);
      const keys = await generateRsaKeyPair();
      const certificate = await issueOrganizationCertificate({
        ca,
        subjectPublicKey: keys.publicKey,
        serialNumber: 0x77n,
        organizationName: "さくら生命保険株式会社",
        partnerSlug: "sakura-life",
        notBefore: new Date(Date.now() - 86_400_000),
        notAfter: new Date(Date.now() + 365 * 86_400_000),
      });
      const crlSigner: TOrgSigner = { certificate, privateKey: keys.privateKey };
      const line = async (i: number) => {
        const payload = lifeInsurancePayload({ policyNumber: `CRL-${i}` });
        const signature = await signPayload(crlSigner, payload);
        // Line 3: the payload changed after it was signed.
        const sent = i === 3 ? { ...payload, premiumPaidToDate: 1 } : payload;
        return {
          line: i,
          text: JSON.stringify({
            document: {
              type: "life-insurance-deduction-certificate",
              recipient: { partnerRef: "SL-A" },
              payload: sent,
              signature,
            },
          }),
        };
      };
      const deliver = async (lines: { line: number; text: string }[], crl: Uint8Array) => {
        const out: TBulkLineResult[] = [];
        for await (const r of await startBulkDelivery(p, {
          partnerId,
          lines: (async function* () {
            yield* lines;
          })(),
          trustAnchors: [ca.certificate],
          issuerCrls: [crl],
          batchSize: 2,
        })) {
          out.push(r);
        }
        return out;
      };
      const lines = await Promise.all([1, 2, 3, 4, 5].map(line));
      const results = await deliver(lines, await publishPartnerCrl(dir));
      expect(results.map((r) => r.status)).toEqual(["delivered", "delivered", "refused", "delivered", "delivered"]);
      expect(results[2]).toMatchObject({
        error: { code: "DOCUMENT_SIGNATURE_INVALID", details: { failedChecks: [{ code: "CMS_MESSAGE_DIGEST" }] } },
      });
      const stored = await p.mailboxDocument.findMany({
        where: { payload: { path: ["policyNumber"], string_starts_with: "CRL-" } },
        select: { verificationReport: true },
      });
      expect(stored).toHaveLength(4);
      for (const d of stored) {
        expect(JSON.stringify(d.verificationReport)).toContain("CERT_REVOCATION");
      }

      // The signer revoked: a new run refuses every line with the revocation code.
      const revoked = await revokeOrganizationCertificate(dir, { serialNumber: 0x77n, reason: "keyCompromise" });
      const again = await deliver(await Promise.all([6, 7, 8].map(line)), revoked);
      expect(again.map((r) => (r.status === "refused" ? r.error.code : r.status))).toEqual([
        "DOCUMENT_ISSUER_REVOKED",
        "DOCUMENT_ISSUER_REVOKED",
        "DOCUMENT_ISSUER_REVOKED",
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

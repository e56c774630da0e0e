import { bindAuthCertificate } from "../../test/auth/bind-auth-certificate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Resident } from "../../generated/prisma/client";
import { seedPartner, seedResident } from "../../prisma/seed/factories";
import { makeToken, startJpkiWorld, type TJpkiWorld } from "../../test/auth/jpki-world";
import { useTestDatabase } from "../../test/db";
import { captureLogs, type TCapturedLogs } from "../../test/log/capture-logs";
import {
  createTestPartnerCa,
  issueOrgSigner,
  lifeInsurancePayload,
  signPayload,
  type TOrgSigner,
} from "../../test/mailbox/mailbox-world";
import { issueChallenge } from "../auth/challenge";
import { verifyCardLogin } from "../auth/verify-card-login";
import { startBulkDelivery, type TBulkLineResult } from "../mailbox/deliver-bulk";
import { linkPartner } from "../mailbox/link-partner";
import { runWithRequestContext } from "./request-context";

/**
 * What a real card login and a real bulk delivery write to the log: the lines an operator needs,
 * each with the request's reqId, and never the PIN, the resident's name or a document's payload.
 */
describe("log hygiene: card login and bulk delivery", () => {
  const db = useTestDatabase();
  let world: TJpkiWorld;
  let logs: TCapturedLogs;

  // Distinctive values: if any of them reaches a log line, someone logged what they must not.
  const FAMILY = "鳴門";
  const GIVEN = "渦潮太郎";
  const AUTH_PIN = "PIN-7391";
  const SIGN_PIN = "SIGNPIN-ICHIMAI-5821";
  const MARKER = "PAYLOAD-MARKER-Q7Z3X9";
  const BINDING = "browser-session-binding-value-0123456789abcdef";

  beforeAll(async () => {
    world = await startJpkiWorld();
    logs = captureLogs();
  });
  afterAll(async () => {
    logs?.restore();
    await world?.close();
  });

  /** Every captured line: none holds a PIN, the name or the payload marker, in any spelling. */
  function expectNothingPersonal(): void {
    const text = logs.text();
    expect(text.length).toBeGreaterThan(0);
    for (const secret of [AUTH_PIN, SIGN_PIN, FAMILY, GIVEN, MARKER]) {
      expect(text, secret).not.toContain(secret);
      expect(text, secret).not.toContain(JSON.stringify(secret).slice(1, -1));
    }
  }

  async function boundResident(): Promise<{
    resident: Resident;
    card: Awaited<ReturnType<TJpkiWorld["issueCardFor"]>>;
  }> {
    const { prisma } = db();
    const resident = await seedResident(prisma, { familyName: FAMILY, givenName: GIVEN });
    const card = await world.issueCardFor(resident);
    await bindAuthCertificate(prisma, resident.id, card.auth);
    return { resident, card };
  }

  it("[LOG]: a card login logs the challenge, the acceptance and a refusal with its code, each with the reqId", async () => {
    const { prisma } = db();
    const ctx = world.context(prisma);
    const { resident, card } = await boundResident();
    logs.clear();
    const reqId = "req-login-00000001";
    const { token, nonce } = await runWithRequestContext({ requestId: reqId }, async () => {
      const { nonce } = await issueChallenge(prisma, {
        binding: BINDING,
        origin: "http://portal.test:3000",
        limits: null,
      });
      const token = await makeToken(card.auth, nonce);
      // What a careless client might post along: the PINs never reach a log line either.
      const result = await verifyCardLogin(ctx, {
        token,
        nonce,
        binding: BINDING,
        userAgent: `agent pin=${AUTH_PIN} sign=${SIGN_PIN}`,
      });
      expect(result.displayName).toBe(`${FAMILY} ${GIVEN}`);
      return { token, nonce };
    });
    await runWithRequestContext({ requestId: "req-login-00000002" }, async () => {
      await expect(verifyCardLogin(ctx, { token, nonce, binding: BINDING })).rejects.toMatchObject({
        code: "CHALLENGE_REPLAYED",
      });
    });

    expect(logs.withMsg("challenge issued")).toEqual([
      expect.objectContaining({ reqId, component: "auth/challenge", purpose: "login", level: "info" }),
    ]);
    expect(logs.withMsg("card login accepted")).toEqual([
      expect.objectContaining({ reqId, component: "auth/card-login", channel: "pc", residentId: resident.id }),
    ]);
    expect(logs.withMsg("card login refused")).toEqual([
      expect.objectContaining({ reqId: "req-login-00000002", code: "CHALLENGE_REPLAYED", channel: "pc" }),
    ]);
    for (const line of logs.lines()) expect(line.reqId, JSON.stringify(line)).toMatch(/^req-login-0000000[12]$/);
    expectNothingPersonal();
  });

  it("[LOG]: a bulk delivery logs its start, each batch's counts and its totals with the reqId, never a payload", async () => {
    const { prisma } = db();
    const ca = await createTestPartnerCa();
    const partner = await seedPartner(prisma, {
      slug: "sakura-life",
      name: "さくら生命保険株式会社",
      kind: "LIFE_INSURER",
    });
    const signer: TOrgSigner = await issueOrgSigner(ca, partner);
    const resident = await seedResident(prisma, { familyName: FAMILY, givenName: GIVEN });
    await linkPartner(prisma, { residentId: resident.id, partnerId: partner.id, partnerRef: "SL-LOG" });
    const doc = async (i: number) => {
      const payload = lifeInsurancePayload({
        policyNumber: `${MARKER}-${i}`,
        policyholder: `${FAMILY} ${GIVEN}`,
        insured: `${FAMILY} ${GIVEN}`,
      });
      return {
        type: "life-insurance-deduction-certificate",
        recipient: { partnerRef: "SL-LOG" },
        payload,
        signature: await signPayload(signer, payload),
      };
    };
    const docs = await Promise.all([0, 1, 2].map(doc));
    // A fourth line whose signature is over another payload: refused (SIGNATURE_INVALID), payload included.
    const forged = { ...(await doc(3)), signature: docs[0]!.signature };
    const lines = [...docs, forged].map((d, i) => ({ line: i + 1, text: JSON.stringify({ document: d }) }));
    // And a line that is not JSON, quoting the marker.
    lines.push({ line: 5, text: `{"document": "${MARKER}"` });
    async function* source() {
      yield* lines;
    }
    logs.clear();
    const reqId = "req-bulk-000000001";
    const results = await runWithRequestContext({ requestId: reqId }, async () => {
      const out: TBulkLineResult[] = [];
      for await (const r of await startBulkDelivery(prisma, {
        partnerId: partner.id,
        lines: source(),
        trustAnchors: [ca.certificate],
        batchSize: 2,
      })) {
        out.push(r);
      }
      return out;
    });
    expect(results.map((r) => r.status)).toEqual(["delivered", "delivered", "delivered", "refused", "refused"]);

    const started = logs.withMsg("bulk delivery started");
    expect(started).toEqual([expect.objectContaining({ reqId, partnerId: partner.id, batchSize: 2 })]);
    const bulkId = started[0]!.bulkId;
    expect(typeof bulkId).toBe("string");
    expect(logs.withMsg("bulk batch written")).toEqual([
      expect.objectContaining({ reqId, bulkId, fromLine: 1, lines: 2, delivered: 2, refused: 0 }),
      expect.objectContaining({ reqId, bulkId, fromLine: 3, lines: 2, delivered: 1, refused: 1 }),
      expect.objectContaining({ reqId, bulkId, fromLine: 5, lines: 1, delivered: 0, refused: 1 }),
    ]);
    expect(logs.withMsg("bulk delivery finished")).toEqual([
      expect.objectContaining({ reqId, bulkId, lines: 5, delivered: 3, replayed: 0, refused: 2 }),
    ]);
    for (const line of logs.lines()) expect(line.reqId, JSON.stringify(line)).toBe(reqId);
    expectNothingPersonal();
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { linkPartner } from "@/lib/mailbox/link-partner";
import { seedResident } from "@/prisma/seed/factories";
import { useTestDatabase } from "@/test/db";
import { captureLogs, type TCapturedLogs } from "@/test/log/capture-logs";
import {
  basicAuth,
  createDeliveryWorld,
  lifeInsurancePayload,
  seedCred,
  signPayload,
  type TCred,
  type TDeliveryWorld,
} from "@/test/mailbox/mailbox-world";
import { serveV1ForTest } from "../../../../test/api/serve-v1-for-test";

/**
 * The partner API over real HTTP: the request id is taken from (or given to) the client, and the
 * request's lines — including those of the bulk results streamed after the handler returned —
 * carry it; the credential and the payload never reach a line.
 */
describe("partner API logs over real HTTP", () => {
  const db = useTestDatabase();
  let origin: string;
  let close: () => Promise<void>;
  let world: TDeliveryWorld;
  let cred: TCred;
  let logs: TCapturedLogs;
  const MARKER = "PAYLOAD-MARKER-HTTP-K2V8";

  beforeAll(async () => {
    const p = db().prisma;
    world = await createDeliveryWorld(p);
    cred = await seedCred(p, world.insurer.id, { scopes: ["documents:deliver"] });
    const resident = await seedResident(p);
    await linkPartner(p, { residentId: resident.id, partnerId: world.insurer.id, partnerRef: "SL-HTTP" });
    ({ origin, close } = await serveV1ForTest(world));
    logs = captureLogs();
  });
  afterAll(async () => {
    logs?.restore();
    await close?.();
  });

  const line = async (i: number) => {
    const payload = lifeInsurancePayload({ policyNumber: `${MARKER}-${i}` });
    return JSON.stringify({
      document: {
        type: "life-insurance-deduction-certificate",
        recipient: { partnerRef: "SL-HTTP" },
        payload,
        signature: await signPayload(world.signer, payload),
      },
    });
  };

  it("[LOG]: a bulk delivery keeps the client's x-request-id on every line, batches included", async () => {
    logs.clear();
    // More than one response chunk (200 results): the later ones are pulled after the handler returned.
    const broken = Array.from({ length: 200 }, (_, i) => `{"document": "${MARKER}-${i}"`);
    const body = `${[...(await Promise.all([1, 2, 3].map(line))), ...broken].join("\n")}\n`;
    const res = await fetch(`${origin}/api/v1/documents/bulk`, {
      method: "POST",
      headers: {
        "content-type": "application/x-ndjson",
        authorization: basicAuth(cred),
        "x-request-id": "client-req-0001",
      },
      body,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-request-id")).toBe("client-req-0001");
    expect((await res.text()).trim().split("\n")).toHaveLength(204);

    expect(logs.withMsg("partner API request")).toEqual([
      expect.objectContaining({
        reqId: "client-req-0001",
        operation: "POST /api/v1/documents/bulk",
        scope: "documents:deliver",
        partnerId: world.insurer.id,
        status: 200,
        durationMs: expect.any(Number),
      }),
    ]);
    expect(logs.withMsg("bulk batch written")).toEqual([
      expect.objectContaining({ reqId: "client-req-0001", fromLine: 1, lines: 200, delivered: 3, refused: 197 }),
      expect.objectContaining({ reqId: "client-req-0001", fromLine: 201, lines: 3, delivered: 0, refused: 3 }),
    ]);
    expect(logs.withMsg("bulk delivery finished")).toEqual([
      expect.objectContaining({ reqId: "client-req-0001", lines: 203, delivered: 3, refused: 200 }),
    ]);
    for (const l of logs.lines()) expect(l.reqId, JSON.stringify(l)).toBe("client-req-0001");
    const text = logs.text();
    expect(text).not.toContain(MARKER);
    expect(text).not.toContain(cred.clientSecret);
    expect(text).not.toContain(basicAuth(cred).slice(6));
  });

  it("[LOG]: a refused request gets a fresh id for a malformed one, and its status in the line", async () => {
    logs.clear();
    const res = await fetch(`${origin}/api/v1/documents/bulk`, {
      method: "POST",
      headers: {
        "content-type": "application/x-ndjson",
        authorization: "Basic bm9wZTpub3Bl",
        "x-request-id": "bad id",
      },
      body: await line(9),
    });
    expect(res.status).toBe(401);
    const reqId = res.headers.get("x-request-id");
    expect(reqId).toMatch(/^[0-9a-f-]{36}$/);
    expect(logs.withMsg("partner API request")).toEqual([
      expect.objectContaining({ reqId, status: 401, operation: "POST /api/v1/documents/bulk" }),
    ]);
    expect(logs.withMsg("partner API request")[0]!.partnerId).toBeUndefined();
  });
});

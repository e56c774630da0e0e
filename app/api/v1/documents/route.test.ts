import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyCms } from "@/lib/jpki";
import { canonicalJsonBytes } from "@/lib/mailbox/canonical-json";
import { DOCUMENT_TYPE_IDS } from "@/lib/mailbox/document-types/registry";
import { ZDeliverDocumentRequest } from "@/lib/mailbox/schemas";
import { getDocumentOrThrow } from "@/lib/mailbox/get-document";
import { linkPartner } from "@/lib/mailbox/link-partner";
import { listDocuments } from "@/lib/mailbox/list-documents";
import {
  createDeliveryWorld,
  lifeInsurancePayload,
  basicAuth,
  seedCred,
  signPayload,
  type TCred,
  type TOrgSigner,
} from "@/test/mailbox/mailbox-world";
import { useTestDatabase } from "@/test/db";
import { seedPartner, seedResident } from "@/prisma/seed/factories";
import { buildOpenApiSpec } from "../_lib/openapi";
import { serveV1ForTest } from "../../../../test/api/serve-v1-for-test";
import { MAX_DELIVER_BODY_BYTES } from "./schema";

const basic = basicAuth;

describe("partner API /api/v1/documents over real HTTP", () => {
  const db = useTestDatabase();
  let origin: string;
  let close: () => Promise<void>;
  let trust: Uint8Array[];
  let sakuraSigner: TOrgSigner;
  let sakura: TCred;
  let sakuraStatusOnly: TCred;
  let sakuraSlow: TCred;
  let bank: TCred;
  let residentA: { id: string };
  let residentB: { id: string };

  beforeAll(async () => {
    const p = db().prisma;
    const world = await createDeliveryWorld(p);
    trust = world.trustAnchors;
    const sakuraPartner = world.insurer;
    sakuraSigner = world.signer;
    const bankPartner = await seedPartner(p, { slug: "awa-bank", name: "阿波みらい銀行", kind: "BANK" });
    const cred = (partnerId: string, o: Parameters<typeof seedCred>[2] = {}) => seedCred(p, partnerId, o);
    sakura = await cred(sakuraPartner.id, { scopes: ["documents:deliver", "documents:status"] });
    sakuraStatusOnly = await cred(sakuraPartner.id, { scopes: ["documents:status"] });
    sakuraSlow = await cred(sakuraPartner.id, { scopes: ["documents:deliver"], rateLimit: 2 });
    bank = await cred(bankPartner.id, { scopes: ["documents:deliver", "documents:status"] });
    residentA = await seedResident(p);
    residentB = await seedResident(p);
    await linkPartner(p, { residentId: residentA.id, partnerId: sakuraPartner.id, partnerRef: "SL-A" });
    await linkPartner(p, { residentId: residentB.id, partnerId: sakuraPartner.id, partnerRef: "SL-B" });

    ({ origin, close } = await serveV1ForTest(world));
  });
  afterAll(async () => {
    await close?.();
  });

  const lifeRequest = async (partnerRef = "SL-A", overrides: Record<string, unknown> = {}) => {
    const payload = lifeInsurancePayload(overrides);
    return {
      type: "life-insurance-deduction-certificate",
      recipient: { partnerRef },
      payload,
      signature: await signPayload(sakuraSigner, payload),
    };
  };

  const post = (body: unknown, cred: TCred | null = sakura, headers: Record<string, string> = {}) =>
    fetch(`${origin}/api/v1/documents`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(cred ? { authorization: basic(cred) } : {}),
        ...headers,
      },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
  const getReceipt = (id: string, cred: TCred = sakura) =>
    fetch(`${origin}/api/v1/documents/${id}`, { headers: { authorization: basic(cred) } });

  it("[MAILBOX][DONE]: a life insurer signs and delivers a 生命保険料控除証明書; the resident finds it and verifies the signature", async () => {
    const request = await lifeRequest("SL-A", { policyNumber: "SL-DONE-0001" });
    const res = await post(request, sakura, { "idempotency-key": "done-1" });
    expect(res.status).toBe(201);
    const receipt = await res.json();
    expect(res.headers.get("location")).toBe(`/api/v1/documents/${receipt.id}`);
    expect(receipt).toMatchObject({
      status: "delivered",
      signature: { valid: true, signer: "さくら生命保険株式会社" },
    });

    const p = db().prisma;
    // Found by a kanji search and by a kana search of the title's reading.
    for (const q of ["生命保険料", "せいめいほけん", "セイメイ"]) {
      const list = await listDocuments(p, { residentId: residentA.id, filter: { q }, channel: "pc" });
      expect(
        list.items.map((i) => i.id),
        q,
      ).toContain(receipt.id);
    }
    const inbox = await listDocuments(p, { residentId: residentA.id, channel: "pc" });
    expect(inbox.unreadCount).toBeGreaterThanOrEqual(1);

    const detail = await getDocumentOrThrow(p, { residentId: residentA.id, documentId: receipt.id, channel: "pc" });
    expect(Object.fromEntries(detail.fields.ja.map((f) => [f.label, f.value]))).toMatchObject({
      証券番号: "SL-DONE-0001",
      保険会社: "さくら生命保険株式会社",
    });
    // The resident (or anyone holding the JSON download) re-verifies the issuer's signature.
    const report = await verifyCms({
      signedData: new Uint8Array(Buffer.from(detail.signature, "base64")),
      detachedContent: canonicalJsonBytes(detail.payload),
      trustAnchors: trust,
    });
    expect(report.valid).toBe(true);
    expect(detail.verification).toMatchObject({ valid: true, signer: { partnerSlug: "sakura-life" } });

    const opened = await getReceipt(receipt.id);
    expect(opened.status).toBe(200);
    expect(await opened.json()).toMatchObject({ id: receipt.id, status: "opened" });
  });

  it("replays an idempotent request with Idempotent-Replayed and refuses the key with another body (409)", async () => {
    const request = await lifeRequest();
    const first = await post(request, sakura, { "idempotency-key": "http-idem" });
    expect(first.status).toBe(201);
    const again = await post(request, sakura, { "idempotency-key": "http-idem" });
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(await again.json()).toEqual(await first.json());
    const other = await post(await lifeRequest("SL-B"), sakura, { "idempotency-key": "http-idem" });
    expect(other.status).toBe(409);
    expect((await other.json()).error.code).toBe("IDEMPOTENCY_KEY_REUSED");
  });

  type TBad = [string, () => Promise<Response>, number, string];
  const bad: TBad[] = [
    ["no Authorization header", async () => post(await lifeRequest(), null), 401, "UNAUTHENTICATED"],
    [
      "a wrong secret",
      async () => post(await lifeRequest(), { clientId: sakura.clientId, clientSecret: "ich_secret_wrong" }),
      401,
      "PARTNER_CREDENTIAL_INVALID",
    ],
    [
      "a credential without documents:deliver",
      async () => post(await lifeRequest(), sakuraStatusOnly),
      403,
      "FORBIDDEN",
    ],
    ["a body that is not JSON", async () => post('{"type": "notice",'), 400, "BAD_JSON"],
    [
      "a body over the limit",
      async () => post(`{"pad":"${"x".repeat(MAX_DELIVER_BODY_BYTES)}"}`),
      413,
      "PAYLOAD_TOO_LARGE",
    ],
    [
      "an unknown type",
      async () => post({ ...(await lifeRequest()), type: "lottery-ticket" }),
      422,
      "DOCUMENT_TYPE_UNKNOWN",
    ],
    [
      "a bad signature",
      async () => post({ ...(await lifeRequest()), signature: await signPayload(sakuraSigner, { other: 1 }) }),
      422,
      "DOCUMENT_SIGNATURE_INVALID",
    ],
    [
      "a resident who did not link the partner",
      async () => post(await lifeRequest("SL-NOBODY")),
      403,
      "RECIPIENT_NOT_LINKED",
    ],
  ];

  it.each(bad)("refuses %s with its status and code, writing nothing", async (_label, send, status, code) => {
    const before = await db().prisma.mailboxDocument.count();
    const res = await send();
    expect(res.status).toBe(status);
    const body = await res.json();
    expect(body.error).toMatchObject({ code, docUrl: `/docs/errors#${code}` });
    if (status === 401) expect(res.headers.get("www-authenticate")).toMatch(/^Basic realm=/);
    expect(await db().prisma.mailboxDocument.count()).toBe(before);
  });

  it("a payload failing its schema is 422 VALIDATION_FAILED with the paths", async () => {
    const payload = lifeInsurancePayload({ year: "2026", insuranceKind: "car" });
    const res = await post({ ...(await lifeRequest()), payload, signature: await signPayload(sakuraSigner, payload) });
    expect(res.status).toBe(422);
    const body = await res.json();
    expect(body.error.code).toBe("VALIDATION_FAILED");
    expect(body.error.details.map((d: { path: string }) => d.path).sort()).toEqual([
      "payload.insuranceKind",
      "payload.year",
    ]);
  });

  it("[AUTHZ]: a partner sees only the receipts of what it sent; status needs documents:status", async () => {
    const res = await post(await lifeRequest());
    const { id } = await res.json();
    const byBank = await getReceipt(id, bank);
    expect(byBank.status).toBe(404);
    expect((await byBank.json()).error.code).toBe("NOT_FOUND");
    const noScope = await getReceipt(id, sakuraSlow);
    expect(noScope.status).toBe(403);
    expect((await getReceipt("not-a-uuid")).status).toBe(404);
    const own = await getReceipt(id);
    expect(own.status).toBe(200);
    expect((await own.json()).status).toBe("delivered");
  });

  it("enforces the credential's rate limit with 429 RATE_LIMITED and Retry-After", async () => {
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 3; i++) {
      last = await post(await lifeRequest(), sakuraSlow);
      statuses.push(last.status);
    }
    expect(statuses).toEqual([201, 201, 429]);
    expect(Number(last!.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await last!.json()).error.code).toBe("RATE_LIMITED");
  });

  it("the OpenAPI 3.1 document describes both operations, their scopes, codes and every payload type", async () => {
    const spec = buildOpenApiSpec() as {
      openapi: string;
      paths: Record<string, Record<string, { "x-required-scope": string; "x-error-codes": string[] }>>;
      components: { schemas: Record<string, unknown> };
      "x-document-types": { id: string; example: unknown }[];
    };
    expect(spec.openapi).toBe("3.1.0");
    expect(spec.paths["/api/v1/documents"]?.post?.["x-required-scope"]).toBe("documents:deliver");
    expect(spec.paths["/api/v1/documents/{id}"]?.get?.["x-required-scope"]).toBe("documents:status");
    expect(spec.paths["/api/v1/documents"]?.post?.["x-error-codes"]).toContain("RECIPIENT_NOT_LINKED");
    expect(spec.components.schemas.DeliverDocumentRequest).toMatchObject({
      type: "object",
      required: expect.arrayContaining(["type", "recipient", "payload", "signature"]),
    });
    expect(spec["x-document-types"]).toHaveLength(DOCUMENT_TYPE_IDS.length);
    expect(spec.components.schemas["Payload.life-insurance-deduction-certificate"]).toMatchObject({
      additionalProperties: false,
    });
    // The request example in the spec is a valid request apart from its placeholder signature.
    const operation = spec.paths["/api/v1/documents"]!.post as unknown as {
      requestBody: { content: { "application/json": { example: Record<string, unknown> } } };
    };
    const example = operation.requestBody.content["application/json"].example;
    expect(ZDeliverDocumentRequest.safeParse({ ...example, signature: "AAAA" }).success).toBe(true);
  });

  it("[INPUT][TEXT]: U+0000 or a lone surrogate anywhere (payload, label, partnerRef, a key) is 422 TEXT_CHARACTER_FORBIDDEN naming the field, never a 500", async () => {
    const p = db().prisma;
    const before = await p.mailboxDocument.count();
    const good = await lifeRequest("SL-A");
    const cases: [string, string, unknown][] = [
      [
        "NUL in the payload",
        "payload.policyNumber",
        { ...good, payload: { ...good.payload, policyNumber: "SL\u0000X" } },
      ],
      [
        "lone high surrogate",
        "payload.policyNumber",
        { ...good, payload: { ...good.payload, policyNumber: "SL\ud800" } },
      ],
      ["lone low surrogate in a label", "labels[0]", { ...good, labels: ["\udc00"] }],
      ["NUL in partnerRef", "recipient.partnerRef", { ...good, recipient: { partnerRef: "SL-A\u0000" } }],
      ["NUL in a key", "payload.a\u0000", { ...good, payload: { ...good.payload, "a\u0000": 1 } }],
    ];
    for (const [what, field, body] of cases) {
      const res = await post(body);
      expect(res.status, what).toBe(422);
      const { error } = await res.json();
      expect(error, what).toMatchObject({ code: "TEXT_CHARACTER_FORBIDDEN", details: { field } });
    }
    // A well-formed surrogate pair (an emoji) is text like any other.
    expect(await post(await lifeRequest("SL-A", { policyNumber: "SL-😀-1" }))).toHaveProperty("status", 201);
    expect(await p.mailboxDocument.count()).toBe(before + 1);
  });

  it("[INPUT][MEDIA_TYPE]: a body that is not application/json is 415 (no form or text/plain post reaches the operation), nothing stored", async () => {
    const p = db().prisma;
    const before = await p.mailboxDocument.count();
    const body = JSON.stringify(await lifeRequest("SL-A"));
    for (const contentType of [
      "text/plain;charset=UTF-8",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x",
      "",
    ]) {
      const res = await fetch(`${origin}/api/v1/documents`, {
        method: "POST",
        headers: { authorization: basic(sakura), ...(contentType ? { "content-type": contentType } : {}) },
        body: contentType ? body : new Blob([body]),
      });
      expect(res.status, contentType).toBe(415);
      expect((await res.json()).error.code).toBe("UNSUPPORTED_MEDIA_TYPE");
    }
    expect(await p.mailboxDocument.count()).toBe(before);
  });
});

import { expect, test } from "@playwright/test";
import { EXAMPLE_PAYLOADS } from "../../lib/mailbox/document-types/examples";
import { openMailboxWorld, type TMailboxWorld } from "./mailbox-world";

// The partner API against the real server (`next start`) over HTTP, with Playwright's request client.
let world: TMailboxWorld;
const REF = "E2E-API-POL-1";

test.beforeAll(async () => {
  world = await openMailboxWorld();
  await world.link(await world.seedRecipient("E2E-MAILBOX-API-1"), REF);
});
test.afterAll(async () => {
  await world?.close();
});

const lifePayload = (policyNumber: string) => ({
  ...EXAMPLE_PAYLOADS["life-insurance-deduction-certificate"],
  insurer: "さくら生命保険株式会社（E2E）",
  policyNumber,
});

test("[PARTNER-API][DELIVER]: a signed document is delivered (201), replayed by its key, and its receipt read", async ({
  request,
}) => {
  const payload = lifePayload(`E2E-${Date.now()}`);
  const body = {
    type: "life-insurance-deduction-certificate",
    recipient: { partnerRef: REF },
    payload,
    signature: await world.sign(payload),
  };
  const key = `e2e-${Date.now()}`;
  const res = await request.post("/api/v1/documents", {
    headers: { authorization: world.authorization, "idempotency-key": key },
    data: body,
  });
  expect(res.status()).toBe(201);
  const receipt = await res.json();
  expect(receipt).toMatchObject({ status: "delivered", signature: { valid: true } });
  expect(res.headers().location).toBe(`/api/v1/documents/${receipt.id}`);

  const replay = await request.post("/api/v1/documents", {
    headers: { authorization: world.authorization, "idempotency-key": key },
    data: body,
  });
  expect(replay.status()).toBe(201);
  expect(replay.headers()["idempotent-replayed"]).toBe("true");
  expect((await replay.json()).id).toBe(receipt.id);

  const status = await request.get(`/api/v1/documents/${receipt.id}`, {
    headers: { authorization: world.authorization },
  });
  expect(status.status()).toBe(200);
  expect(await status.json()).toMatchObject({ id: receipt.id, status: "delivered", openedAt: null });
});

test("[PARTNER-API][ERRORS]: stable codes for missing auth, bad JSON, schema, signature and unlinked residents", async ({
  request,
}) => {
  const payload = lifePayload("E2E-ERR");
  const good = {
    type: "life-insurance-deduction-certificate",
    recipient: { partnerRef: REF },
    payload,
    signature: await world.sign(payload),
  };
  const auth = { authorization: world.authorization };
  const cases: [string, () => ReturnType<typeof request.post>, number, string][] = [
    ["no auth", () => request.post("/api/v1/documents", { data: good }), 401, "UNAUTHENTICATED"],
    [
      "bad JSON",
      () =>
        request.post("/api/v1/documents", {
          headers: { ...auth, "content-type": "application/json" },
          // A Buffer is sent as-is; a string would be JSON-encoded into a valid JSON string.
          data: Buffer.from('{"type":'),
        }),
      400,
      "BAD_JSON",
    ],
    [
      "schema",
      () => request.post("/api/v1/documents", { headers: auth, data: { ...good, payload: { ...payload, year: "x" } } }),
      422,
      "VALIDATION_FAILED",
    ],
    [
      "unknown type",
      () => request.post("/api/v1/documents", { headers: auth, data: { ...good, type: "no-such-type" } }),
      422,
      "DOCUMENT_TYPE_UNKNOWN",
    ],
    [
      "signature over other bytes",
      () =>
        request.post("/api/v1/documents", {
          headers: auth,
          data: { ...good, payload: { ...payload, premiumPaidToDate: 1 } },
        }),
      422,
      "DOCUMENT_SIGNATURE_INVALID",
    ],
    [
      "unlinked resident",
      () =>
        request.post("/api/v1/documents", { headers: auth, data: { ...good, recipient: { partnerRef: "NOBODY" } } }),
      403,
      "RECIPIENT_NOT_LINKED",
    ],
  ];
  for (const [label, send, status, code] of cases) {
    const res = await send();
    expect(res.status(), label).toBe(status);
    const json = (await res.json()) as { error: { code: string } };
    expect(json.error.code, label).toBe(code);
  }
});

test("[PARTNER-API][OPENAPI]: the OpenAPI 3.1 document and the rendered docs page list the operations", async ({
  request,
  page,
}) => {
  const res = await request.get("/api/v1/openapi.json");
  expect(res.status()).toBe(200);
  const spec = await res.json();
  expect(spec.openapi).toBe("3.1.0");
  expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(["/api/v1/documents", "/api/v1/documents/{id}"]));
  await page.goto("/partner/api-docs");
  await expect(page.getByRole("heading", { name: "POST /api/v1/documents", exact: true })).toBeVisible();
  await expect(page.getByRole("heading", { name: /GET \/api\/v1\/documents\/\{id\}/ })).toBeVisible();
});

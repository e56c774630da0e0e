import { afterEach, describe, expect, it } from "vitest";
import { captureLogs, type TCapturedLogs } from "../../test/log/capture-logs";
import { logLevel } from "../env";
import { AppError } from "../errors/app-error";
import { createLog, errorFields } from "./logger";
import { currentRequestId, requestIdOf, runWithRequestContext, withRequestId } from "./request-context";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("lib/log: format and redaction", () => {
  let logs: TCapturedLogs | undefined;
  afterEach(() => logs?.restore());

  it("writes one JSON line with level, time, component, msg and the fields", () => {
    logs = captureLogs();
    createLog("test/format").info({ count: 3, code: "OK" }, "something happened");
    const [line, ...rest] = logs.lines();
    expect(rest).toEqual([]);
    expect(line).toMatchObject({ level: "info", component: "test/format", msg: "something happened", count: 3 });
    expect(typeof line!.time).toBe("string");
    expect(line!.reqId).toBeUndefined();
    expect(logs.text().endsWith("\n")).toBe(true);
  });

  it("redacts PINs, secrets, tokens, headers, payloads and personal data, at the top and nested", () => {
    logs = captureLogs();
    createLog("test/redact").warn(
      {
        pin: "PIN-4711",
        authPin: "PIN-4712",
        signPin: "PIN-SIGN-1",
        password: "pw-hunter2",
        clientSecret: "cs-very-secret",
        token: "tok-abc",
        payload: { policyNumber: "PAYLOAD-MARKER" },
        name: "鳴門 太郎",
        email: "taro@example.jp",
        request: {
          headers: { authorization: "Basic QUJD", cookie: "session=s3cr3t", "set-cookie": "sid=leak-999" },
          fourFacts: { address: "x" },
        },
        documentId: "kept-id",
      },
      "redaction",
    );
    const text = logs.text();
    for (const leaked of [
      "PIN-4711",
      "PIN-4712",
      "PIN-SIGN-1",
      "pw-hunter2",
      "cs-very-secret",
      "tok-abc",
      "PAYLOAD-MARKER",
      "鳴門",
      "taro@example.jp",
      "QUJD",
      "s3cr3t",
      "leak-999",
    ]) {
      expect(text).not.toContain(leaked);
    }
    const [line] = logs.lines();
    expect(line).toMatchObject({ pin: "[redacted]", payload: "[redacted]", documentId: "kept-id" });
    expect(line!.request).toMatchObject({ headers: { authorization: "[redacted]", cookie: "[redacted]" } });
  });

  it("keeps of an error its type, code, first message line and frames; never details or later lines", () => {
    const app = new AppError("CERT_STATUS_UNAVAILABLE", { details: { name: "鳴門 太郎" } });
    expect(errorFields(app).err).toMatchObject({ type: "AppError", code: "CERT_STATUS_UNAVAILABLE" });
    expect(JSON.stringify(errorFields(app))).not.toContain("鳴門");
    const prismaLike = new Error(
      '\nInvalid `prisma.resident.create()` invocation:\n\n{ data: { familyName: "鳴門" } }',
    );
    const fields = errorFields(prismaLike);
    expect(fields.err.message).toBe("Invalid `prisma.resident.create()` invocation:");
    expect(JSON.stringify(fields)).not.toContain("鳴門");
    expect(errorFields("a string")).toEqual({ err: { type: "string" } });
  });

  it("adds reqId inside a request context, also to child loggers and after awaits", async () => {
    logs = captureLogs();
    const log = createLog("test/context").child({ bulkId: "b-1" });
    await runWithRequestContext({ requestId: "req-unit-0001" }, async () => {
      await new Promise((r) => setTimeout(r, 1));
      expect(currentRequestId()).toBe("req-unit-0001");
      log.info({}, "inside");
    });
    log.info({}, "outside");
    const [inside, outside] = logs.lines();
    expect(inside).toMatchObject({ reqId: "req-unit-0001", bulkId: "b-1", msg: "inside" });
    expect(outside!.reqId).toBeUndefined();
  });
});

describe("lib/log: LOG_LEVEL", () => {
  it("is read alone (the rest of the environment is not parsed); an invalid value gives info", () => {
    const saved = process.env.LOG_LEVEL;
    try {
      process.env.LOG_LEVEL = "warn";
      expect(logLevel()).toBe("warn");
      process.env.LOG_LEVEL = "verbose";
      expect(logLevel()).toBe("info");
      delete process.env.LOG_LEVEL;
      expect(logLevel()).toBe("info");
    } finally {
      if (saved === undefined) delete process.env.LOG_LEVEL;
      else process.env.LOG_LEVEL = saved;
    }
  });
});

describe("lib/log: the request id", () => {
  const req = (id?: string) =>
    new Request("http://portal.test/api/x", id === undefined ? {} : { headers: { "x-request-id": id } });

  it("reuses a well-formed incoming x-request-id and replaces anything else with a UUID", () => {
    expect(requestIdOf(req("abc12345"))).toBe("abc12345");
    expect(requestIdOf(req("Trace-1.2_3-abcdef"))).toBe("Trace-1.2_3-abcdef");
    expect(requestIdOf(req("a".repeat(128)))).toBe("a".repeat(128));
    for (const bad of [
      "short",
      "a".repeat(129),
      "has space here",
      'quote"injection',
      "line\\nbreak",
      "caf\u00e9-request-id",
      "semi;colon12",
      "slash/path/12",
    ]) {
      expect(requestIdOf(req(bad)), bad).toMatch(UUID);
    }
    expect(requestIdOf(req())).toMatch(UUID);
  });

  it("withRequestId runs the handler in the context and answers x-request-id (also on immutable responses)", async () => {
    let seen: string | undefined;
    const res = await withRequestId(req("incoming-0001"), async () => {
      seen = currentRequestId();
      return Response.json({ ok: true }, { status: 201 });
    });
    expect(seen).toBe("incoming-0001");
    expect(res.status).toBe(201);
    expect(res.headers.get("x-request-id")).toBe("incoming-0001");
    expect(await res.json()).toEqual({ ok: true });
    const redirect = await withRequestId(req(), async () => Response.redirect("http://portal.test/login", 303));
    expect(redirect.status).toBe(303);
    expect(redirect.headers.get("location")).toBe("http://portal.test/login");
    expect(redirect.headers.get("x-request-id")).toMatch(UUID);
  });
});

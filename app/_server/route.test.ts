import { beforeEach, describe, expect, it, vi } from "vitest";
import { AppError } from "@/lib/errors/app-error";

const session = vi.hoisted(() => ({ requireResident: vi.fn(), requireCardResident: vi.fn() }));
vi.mock("./session", () => session);
vi.mock("next/headers", () => ({ headers: async () => new Headers({ "user-agent": "Mozilla/5.0" }) }));

const { guardedRoute, loginRoute, residentRoute } = await import("./route");

const RESIDENT = { residentId: "r1", displayName: "一枚 花子", assurance: "card", authTime: Date.now() };
const request = () => new Request("http://localhost/x");

describe("route wrappers", () => {
  beforeEach(() => {
    vi.clearAllMocks();
    session.requireResident.mockResolvedValue(RESIDENT);
    session.requireCardResident.mockResolvedValue(null);
  });

  it("turns what a handler throws into the JSON error, with the given headers", async () => {
    const res = await guardedRoute(
      async () => {
        throw new AppError("PAYLOAD_TOO_LARGE");
      },
      { errorHeaders: { "Cache-Control": "no-store" } },
    )(request());
    expect(res.status).toBe(413);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect((await res.json()).error.code).toBe("PAYLOAD_TOO_LARGE");
    const redirected = await guardedRoute(
      async () => {
        throw new AppError("TERMINAL_NOT_ENROLLED");
      },
      { onError: (e) => Response.redirect(`http://localhost/back?error=${(e as AppError).code}`, 303) },
    )(request());
    expect(redirected.headers.get("location")).toBe("http://localhost/back?error=TERMINAL_NOT_ENROLLED");
  });

  it("answers 401 UNAUTHENTICATED (with its message) without a fresh card login, and hands the resident and params on", async () => {
    const handler = vi.fn(async (_r: Request, { resident, params, channel }) =>
      Response.json({ id: resident.residentId, params, channel }),
    );
    const stepUp = residentRoute(handler, { stepUp: true, message: "A card login is required." });
    const refused = await stepUp(request(), { params: Promise.resolve({}) });
    expect(refused.status).toBe(401);
    expect((await refused.json()).error).toMatchObject({
      code: "UNAUTHENTICATED",
      message: "A card login is required.",
    });
    expect(handler).not.toHaveBeenCalled();

    const res = await residentRoute<Request, { id: string }>(handler)(request(), {
      params: Promise.resolve({ id: "d1" }),
    });
    expect(await res.json()).toEqual({ id: "r1", params: { id: "d1" }, channel: "pc" });
  });

  it("gives a login step's errors no-store and Retry-After on RATE_LIMITED", async () => {
    const res = await loginRoute(async () => {
      throw new AppError("RATE_LIMITED", { details: { retryAfterSeconds: 30 } });
    })(request());
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("30");
    expect(res.headers.get("cache-control")).toBe("no-store");
  });

  it("answers a request the client aborted with 499, not a logged 500; a database socket's reset stays a 500", async () => {
    const fail = (err: unknown) =>
      guardedRoute(async () => {
        throw err;
      });
    const controller = new AbortController();
    controller.abort();
    const aborted = new Request("http://localhost/x", { signal: controller.signal });
    expect((await fail(new Error("whatever"))(aborted)).status).toBe(499);
    const reset = Object.assign(new Error("aborted"), { code: "ECONNRESET" });
    expect((await fail(reset)(request())).status).toBe(499);
    const dbReset = Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" });
    const res = await fail(dbReset)(request());
    expect(res.status).toBe(500);
    expect((await res.json()).error.code).toBe("INTERNAL");
  });
});

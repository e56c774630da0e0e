import { describe, expect, it } from "vitest";
import { createdAtIdCursor, MAX_CURSOR_LENGTH, occurredAtSeqCursor, parseCursor } from "./keyset-cursor";

const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64url");
const ID = "0b9c7f2e-4a51-4f7e-9d55-3a0e1c2b7d11";
const AT = new Date("2026-10-01T01:02:03.456Z");

describe("createdAtIdCursor", () => {
  it("round-trips (createdAt, id) and keeps the wire form base64url(ISO|id)", () => {
    const c = createdAtIdCursor.encode({ createdAt: AT, id: ID });
    expect(c).toBe(b64(`2026-10-01T01:02:03.456Z|${ID}`));
    expect(createdAtIdCursor.decode(c)).toEqual({ createdAt: AT, id: ID });
  });

  it.each([
    ["empty", ""],
    ["not base64url", "a+b/"],
    ["padded", `${b64(`2026-10-01T01:02:03.456Z|${ID}`)}=`],
    ["no id", b64("2026-10-01T01:02:03.456Z|")],
    ["no separator", b64("2026-10-01T01:02:03.456Z")],
    ["a third part", b64(`2026-10-01T01:02:03.456Z|${ID}|x`)],
    ["an id that is not a UUID", b64("2026-10-01T01:02:03.456Z|x")],
    ["an upper-case id", b64(`2026-10-01T01:02:03.456Z|${ID.toUpperCase()}`)],
    ["36 dashes", b64(`2026-10-01T01:02:03.456Z|${"-".repeat(36)}`)],
    ["a date-only instant", b64(`2026-10-01|${ID}`)],
    ["an offset instead of Z", b64(`2026-10-01T10:02:03.456+09:00|${ID}`)],
    ["an impossible date", b64(`2026-13-45T01:02:03.456Z|${ID}`)],
    ["too long", "A".repeat(MAX_CURSOR_LENGTH + 1)],
  ])("refuses %s", (_, cursor) => {
    expect(createdAtIdCursor.decode(cursor)).toBeNull();
    expect(() => parseCursor(createdAtIdCursor, cursor)).toThrow(
      expect.objectContaining({
        code: "VALIDATION_FAILED",
        details: [{ path: "cursor", message: expect.any(String) }],
      }),
    );
  });
});

describe("occurredAtSeqCursor", () => {
  it("round-trips (occurredAt, seq) and keeps the wire form base64url(ms.seq)", () => {
    const c = occurredAtSeqCursor.encode({ occurredAt: AT, seq: 42n });
    expect(c).toBe(b64(`${AT.getTime()}.42`));
    expect(occurredAtSeqCursor.decode(c)).toEqual({ occurredAt: AT, seq: 42n });
    expect(parseCursor(occurredAtSeqCursor, c)).toEqual({ occurredAt: AT, seq: 42n });
  });

  it.each([
    ["nope", "bm9wZQ"],
    ["seq 0", b64(`${AT.getTime()}.0`)],
    ["a leading zero", b64(`0${AT.getTime()}.42`)],
    ["a negative time", b64(`-1.42`)],
    ["a time of 16 digits", b64("9999999999999999.1")],
    ["a (createdAt, id) cursor", createdAtIdCursor.encode({ createdAt: AT, id: ID })],
  ])("refuses %s", (_, cursor) => {
    expect(occurredAtSeqCursor.decode(cursor)).toBeNull();
  });

  it("a cursor of one codec is not one of the other", () => {
    expect(createdAtIdCursor.decode(occurredAtSeqCursor.encode({ occurredAt: AT, seq: 1n }))).toBeNull();
  });
});

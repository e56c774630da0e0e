import { describe, expect, it } from "vitest";
import { useTestDatabase } from "../../test/db";
import { CHALLENGE_TTL_MS, consumeChallenge, issueChallenge, newBinding } from "./challenge";

const origin = "http://localhost:3000";

describe("login challenge", () => {
  const db = useTestDatabase();

  it("issues a 32-byte nonce that can be used once by the same browser session", async () => {
    const binding = newBinding();
    const { nonce, expiresAt } = await issueChallenge(db().prisma, { binding, origin });
    expect(Buffer.from(nonce, "base64")).toHaveLength(32);
    expect(expiresAt.getTime() - Date.now()).toBeGreaterThan(CHALLENGE_TTL_MS - 5000);
    await expect(consumeChallenge(db().prisma, { nonce, binding })).resolves.toEqual({ origin });
    await expect(consumeChallenge(db().prisma, { nonce, binding })).rejects.toMatchObject({
      code: "CHALLENGE_REPLAYED",
    });
  });

  it.each([
    ["another browser session", { otherBinding: true, later: 0, nonce: undefined }, "CHALLENGE_UNKNOWN"],
    ["expired", { otherBinding: false, later: CHALLENGE_TTL_MS + 1, nonce: undefined }, "CHALLENGE_EXPIRED"],
    [
      "unknown nonce",
      { otherBinding: false, later: 0, nonce: Buffer.alloc(32, 7).toString("base64") },
      "CHALLENGE_UNKNOWN",
    ],
  ])("refuses a challenge from %s", async (_label, c, code) => {
    const binding = newBinding();
    const now = new Date("2026-11-25T00:00:00Z");
    const issued = await issueChallenge(db().prisma, { binding, origin, now });
    await expect(
      consumeChallenge(db().prisma, {
        nonce: c.nonce ?? issued.nonce,
        binding: c.otherBinding ? newBinding() : binding,
        now: new Date(now.getTime() + c.later),
      }),
    ).rejects.toMatchObject({ code });
  });

  it("lets only one of many concurrent uses of a nonce succeed", async () => {
    const binding = newBinding();
    const { nonce } = await issueChallenge(db().prisma, { binding, origin });
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () => consumeChallenge(db().prisma, { nonce, binding })),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
  });

  it("keeps purposes apart", async () => {
    const binding = newBinding();
    const { nonce } = await issueChallenge(db().prisma, { binding, origin, purpose: "binding" });
    await expect(consumeChallenge(db().prisma, { nonce, binding, purpose: "login" })).rejects.toMatchObject({
      code: "CHALLENGE_UNKNOWN",
    });
  });
});

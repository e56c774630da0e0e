import { describe, expect, it } from "vitest";
import { seedResident } from "../../prisma/seed/factories";
import { useTestDatabase } from "../../test/db";
import { finishPasskeyLogin, startPasskeyLogin, startPasskeyRegistration } from "./passkey";
import { rejectionCode as code } from "../../test/rejection-code";

// The full WebAuthn ceremony (attestation, assertion, counter) runs in Chromium's virtual
// authenticator in e2e/resident/login-passkey.spec.ts; these tests pin the server's own rules.
const ORIGIN = "http://portal.test:3000";
const BROWSER = "passkey-browser-binding-0123456789abcdef0123";

/** An assertion-shaped response answering `challenge` (the signature is never reached). */
function assertion(challenge: string, id = "bm90LXJlZ2lzdGVyZWQ") {
  const clientDataJSON = Buffer.from(
    JSON.stringify({ type: "webauthn.get", challenge, origin: ORIGIN }),
    "utf8",
  ).toString("base64url");
  return {
    id,
    rawId: id,
    type: "public-key",
    response: { clientDataJSON, authenticatorData: "AAAA", signature: "AAAA" },
    clientExtensionResults: {},
  };
}

describe("passkeys (server rules)", () => {
  const db = useTestDatabase();

  it("asks for a discoverable credential with user verification, on the portal's host as RP ID", async () => {
    const resident = await seedResident(db().prisma);
    const reg = await startPasskeyRegistration(db().prisma, {
      origin: ORIGIN,
      residentId: resident.id,
      displayName: "一枚 太郎",
      binding: BROWSER,
    });
    expect(reg.rp.id).toBe("portal.test");
    expect(reg.authenticatorSelection).toMatchObject({ residentKey: "required", userVerification: "required" });
    expect(Buffer.from(reg.user.id, "base64url").toString("utf8")).toBe(resident.id);
    expect(reg.challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const login = await startPasskeyLogin(db().prisma, { origin: ORIGIN, binding: BROWSER });
    expect(login).toMatchObject({ rpId: "portal.test", userVerification: "required", allowCredentials: [] });
  });

  it("consumes the challenge once, only in the browser it was issued to, before looking at the credential", async () => {
    const { prisma } = db();
    const { challenge } = await startPasskeyLogin(prisma, { origin: ORIGIN, binding: BROWSER });
    expect(
      await code(
        finishPasskeyLogin(prisma, {
          origin: ORIGIN,
          binding: "another-browser-0123456789abcdef012345",
          response: assertion(challenge),
        }),
      ),
    ).toBe("CHALLENGE_UNKNOWN");
    expect(
      await code(finishPasskeyLogin(prisma, { origin: ORIGIN, binding: BROWSER, response: assertion(challenge) })),
    ).toBe("CARD_UNKNOWN");
    expect(
      await code(finishPasskeyLogin(prisma, { origin: ORIGIN, binding: BROWSER, response: assertion(challenge) })),
    ).toBe("CHALLENGE_REPLAYED");
    const madeUp = Buffer.alloc(32, 7).toString("base64url");
    expect(
      await code(finishPasskeyLogin(prisma, { origin: ORIGIN, binding: BROWSER, response: assertion(madeUp) })),
    ).toBe("CHALLENGE_UNKNOWN");
    expect(
      await code(
        finishPasskeyLogin(prisma, { origin: ORIGIN, binding: BROWSER, response: { ...assertion(madeUp), type: "x" } }),
      ),
    ).toBe("VALIDATION_FAILED");
  });
});

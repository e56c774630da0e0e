import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "../../lib/errors/app-error";
import { linkPartner } from "../../lib/mailbox/link-partner";
import { useTestDatabase } from "../../test/db";
import { issueTerminalChallenge } from "../../lib/platform/eligibility/issue-terminal-challenge";
import { verifyEligibility } from "../../lib/platform/eligibility/verify-eligibility";
import { verifyIdentity } from "../../lib/platform/identity/verify-identity";
import { PORTAL, startPlatformWorld, type TPlatformWorld } from "../../test/platform/platform-world";
import { ensureSandboxResidents, sandboxResidentOrThrow, sandboxSign, sandboxTap } from "./sandbox";

describe("partner sandbox: synthetic residents, virtual cards, signer tool", () => {
  const db = useTestDatabase();
  let world: TPlatformWorld;
  let cardsDir: string;

  beforeAll(async () => {
    world = await startPlatformWorld();
    cardsDir = await mkdtemp(path.join(tmpdir(), "ichimai-sandbox-"));
  });
  afterAll(async () => {
    await world?.close();
    if (cardsDir) await rm(cardsDir, { recursive: true, force: true });
  });

  it("[SANDBOX][SIGN]: an application signed by the tool verifies through lib/platform identity verification (attached and detached)", async () => {
    const { prisma } = db();
    const residents = await ensureSandboxResidents(prisma, { jlis: world.jlis, cardsDir });
    expect(residents.map((r) => r.id)).toEqual(["sbx-1", "sbx-2", "sbx-3"]);
    expect(residents.every((r) => r.sandbox && r.registryNumber.startsWith("SANDBOX-"))).toBe(true);
    // Idempotent: the same residents and card files again.
    expect((await ensureSandboxResidents(prisma, { jlis: world.jlis, cardsDir })).map((r) => r.residentId)).toEqual(
      residents.map((r) => r.residentId),
    );
    const resident = sandboxResidentOrThrow(residents, "sbx-1");
    const insurer = await world.partner(prisma, { scopes: ["identity:verify", "identity:facts"], mode: "TEST" });
    const ctx = world.context(prisma);
    const application = new TextEncoder().encode(JSON.stringify({ type: "口座開設申込", amount: 1 }));

    const attached = await sandboxSign({ cardFile: resident.cardFile, content: application });
    const v1 = await verifyIdentity(ctx, {
      partner: insurer,
      request: { signedData: Buffer.from(attached).toString("base64"), purpose: "口座開設" },
    });
    expect(v1).toMatchObject({ status: "verified", facts: { name: "砂場\u3000一子", gender: "female" } });

    const detached = await sandboxSign({ cardFile: resident.cardFile, content: application, detached: true });
    const v2 = await verifyIdentity(ctx, {
      partner: insurer,
      request: {
        signedData: Buffer.from(detached).toString("base64"),
        content: Buffer.from(application).toString("base64"),
        purpose: "口座開設",
      },
    });
    expect(v2.status).toBe("verified");

    // Tampered content fails verification; a wrong PIN is refused before anything is signed.
    await expect(
      verifyIdentity(ctx, {
        partner: insurer,
        request: {
          signedData: Buffer.from(detached).toString("base64"),
          content: Buffer.from("tampered").toString("base64"),
          purpose: "口座開設",
        },
      }),
    ).rejects.toMatchObject({ code: "SIGNATURE_INVALID" });
    const wrong = await sandboxSign({ cardFile: resident.cardFile, content: application, pin: "WRONG999" }).catch(
      (e: unknown) => e,
    );
    expect(wrong).toBeInstanceOf(AppError);
    expect((wrong as AppError).code).toBe("PIN_INCORRECT");
  });

  it("[SANDBOX][TAP]: a challenge answered by the tool is a linked member's card tap", async () => {
    const { prisma } = db();
    const residents = await ensureSandboxResidents(prisma, { jlis: world.jlis, cardsDir });
    const resident = sandboxResidentOrThrow(residents, "sbx-2");
    const bus = await world.partner(prisma, { scopes: ["eligibility:verify"], mode: "TEST" });
    await linkPartner(prisma, { residentId: resident.residentId, partnerId: bus.partnerId, partnerRef: "SBX-BUS-2" });
    const ctx = world.context(prisma);
    const challenge = await issueTerminalChallenge(ctx, { partner: bus, request: { terminalId: "sandbox" } });
    const token = await sandboxTap({ cardFile: resident.cardFile, nonce: challenge.nonce, origin: PORTAL });
    const answer = await verifyEligibility(ctx, {
      partner: bus,
      request: { nonce: challenge.nonce, terminalBinding: challenge.terminalBinding, token },
    });
    expect(answer).toMatchObject({ eligible: true, member: { reference: "SBX-BUS-2" } });
  });
});

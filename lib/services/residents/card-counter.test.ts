import { X509Certificate } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { VirtualCard, writeVirtualCard } from "../../../card-agent/tokens/virtual-card";
import { createJlisHandler } from "../../../jlis-sim/http/http";
import { type RunningServer, startJlisServer } from "../../../jlis-sim/http/server";
import { seedResident, seedStaffMember } from "../../../prisma/seed/factories";
import { useTestDatabase } from "../../../test/db";
import { startPlatformWorld, type TPlatformWorld } from "../../../test/platform/platform-world";
import { rejectionCode as codeOf } from "../../../test/rejection-code";
import { listAccessLog } from "../../audit/list-access-log";
import { verifyAuditChain } from "../../audit/verify-audit-chain";
import type { PrismaClient } from "../../db/client";
import { createJlisClient, type TJlisClient } from "../../jlis/client";
import { unlockCardPin } from "./card-counter";
import type { TResidentsContext } from "./residents-context";

const PINS = { auth: "1234", sign: "ICHIMAI1" };

describe("card counter: PIN unlock through J-LIS's counter system (the simulator's /counter/pin-unlock)", () => {
  const db = useTestDatabase();
  let world: TPlatformWorld;
  let counterServer: RunningServer;
  let jlis: TJlisClient;
  let verifier: { id: string; secret: string };
  let cardsDir: string;

  beforeAll(async () => {
    world = await startPlatformWorld();
    cardsDir = await mkdtemp(path.join(tmpdir(), "ichimai-counter-"));
    verifier = { id: "counter-portal", secret: await world.jlis.registerVerifier("counter-portal") };
    counterServer = await startJlisServer(
      createJlisHandler(world.jlis, {
        verifierCredentials: ({ clientId, secret }) => world.jlis.checkVerifier(clientId, secret),
        counter: { cardsDir },
      }),
      { port: 0 },
    );
    jlis = createJlisClient({
      baseUrl: `${counterServer.url}/jlis`,
      verifierId: verifier.id,
      verifierSecret: verifier.secret,
    });
  });
  afterAll(async () => {
    await counterServer?.close();
    await world?.close();
    if (cardsDir) await rm(cardsDir, { recursive: true, force: true });
  });

  /** A resident with a card issued by J-LIS and written as the virtual card the agent serves. */
  async function setup(prisma: PrismaClient) {
    const ctx: TResidentsContext = { prisma, jlis };
    const clerkRow = await seedStaffMember(prisma, { roles: ["CLERK"] });
    const clerk = { staffId: clerkRow.id, roles: clerkRow.roles };
    const { resident, card } = await world.resident(prisma);
    const file = path.join(cardsDir, `${resident.registryNumber}.json`);
    await writeVirtualCard(file, {
      label: card.label,
      tokenType: "card",
      holderRef: resident.registryNumber,
      auth: { ...card.auth, pin: PINS.auth },
      sign: card.sign ? { ...card.sign, pin: PINS.sign } : undefined,
    });
    return { ctx, clerk, resident, card, file };
  }

  it("[COUNTER][PIN_UNLOCK]: three wrong auth PINs lock the card; after the identity check the clerk unlocks it at J-LIS, the right PIN then signs, and the access log shows the unlock with the document checked", async () => {
    const { prisma } = db();
    const { ctx, clerk, resident, card, file } = await setup(prisma);
    const token = await VirtualCard.open(file);
    for (const left of [2, 1, 0]) {
      expect(await token.verifyPin("auth", "9999")).toEqual({ ok: false, triesLeft: left, locked: left === 0 });
    }
    expect(await token.verifyPin("auth", PINS.auth)).toEqual({ ok: false, triesLeft: 0, locked: true });

    // Not the signing PIN: it has all its tries, so there is nothing to unlock (and nothing is audited).
    const before = await prisma.auditEvent.count({ where: { type: "resident.card_event" } });
    expect(
      await codeOf(
        unlockCardPin(ctx, {
          staff: clerk,
          residentId: resident.id,
          input: { slot: "sign", identityDocument: "DRIVERS_LICENSE" },
        }),
      ),
    ).toBe("COUNTER_PIN_NOT_LOCKED");
    // An auditor may not; an identity document outside the list is refused before J-LIS hears of it.
    expect(
      await codeOf(
        unlockCardPin(ctx, {
          staff: { staffId: clerk.staffId, roles: ["AUDITOR"] },
          residentId: resident.id,
          input: { slot: "auth", identityDocument: "DRIVERS_LICENSE" },
        }),
      ),
    ).toBe("FORBIDDEN");
    expect(
      await codeOf(
        unlockCardPin(ctx, {
          staff: clerk,
          residentId: resident.id,
          input: { slot: "auth", identityDocument: "NONE" },
        }),
        { zod: true },
      ),
    ).toBe("VALIDATION_FAILED");
    expect(await prisma.auditEvent.count({ where: { type: "resident.card_event" } })).toBe(before);
    expect(await token.verifyPin("auth", PINS.auth)).toMatchObject({ ok: false, locked: true });

    const result = await unlockCardPin(ctx, {
      staff: clerk,
      residentId: resident.id,
      input: { slot: "auth", identityDocument: "DRIVERS_LICENSE", note: "番号末尾 1234" },
    });
    expect(result).toEqual({ slot: "auth", triesLeft: 3 });

    // The same token object (the agent keeps it open) reads the counter from the card again.
    expect(await token.verifyPin("auth", PINS.auth)).toEqual({ ok: true });
    const data = new TextEncoder().encode("challenge");
    const signature = await token.sign("auth", data, "SHA-256");
    const { createVerify } = await import("node:crypto");
    const v = createVerify("sha256");
    v.update(data);
    expect(v.verify(new X509Certificate(card.auth.certificate).publicKey, Buffer.from(signature))).toBe(true);

    const log = await listAccessLog(prisma, { residentId: resident.id });
    const entry = log.items.find((i) => i.type === "resident.card_event");
    expect(entry).toMatchObject({
      actor: { type: "staff" },
      purpose: "マイナンバーカードの暗証番号のロック解除（利用者証明用電子証明書）",
      channel: "console",
    });
    const row = await prisma.auditEvent.findFirstOrThrow({
      where: { type: "resident.card_event", subjectResidentId: resident.id },
    });
    expect(row.data).toMatchObject({
      kind: "pin_unlocked",
      slot: "auth",
      identityDocument: "DRIVERS_LICENSE",
      identityDocumentLabel: "運転免許証",
      note: "番号末尾 1234",
      jlis: { triesLeft: 3 },
    });

    // Unlocked now: a second unlock has nothing to do.
    expect(
      await codeOf(
        unlockCardPin(ctx, {
          staff: clerk,
          residentId: resident.id,
          input: { slot: "auth", identityDocument: "DRIVERS_LICENSE" },
        }),
      ),
    ).toBe("COUNTER_PIN_NOT_LOCKED");
    expect((await verifyAuditChain(prisma)).ok).toBe(true);
  });

  it("[COUNTER][PIN_UNLOCK]: a locked signing PIN is unlocked and signs again; a resident without a card, a revoked card, and a simulator without a counter get stable codes", async () => {
    const { prisma } = db();
    const { ctx, clerk, resident, card, file } = await setup(prisma);
    const token = await VirtualCard.open(file);
    for (let i = 0; i < 5; i++) await token.verifyPin("sign", "WRONG1");
    expect(await token.verifyPin("sign", PINS.sign)).toEqual({ ok: false, triesLeft: 0, locked: true });
    expect(
      await unlockCardPin(ctx, {
        staff: clerk,
        residentId: resident.id,
        input: { slot: "sign", identityDocument: "MY_NUMBER_CARD_PHOTO" },
      }),
    ).toEqual({ slot: "sign", triesLeft: 5 });
    expect(await token.verifyPin("sign", PINS.sign)).toEqual({ ok: true });
    expect(Buffer.from(token.signCertificate())).toEqual(Buffer.from(card.sign!.certificate));

    // A registry resident J-LIS issued no card to.
    const noCard = await seedResident(prisma, {});
    expect(
      await codeOf(
        unlockCardPin(ctx, {
          staff: clerk,
          residentId: noCard.id,
          input: { slot: "auth", identityDocument: "PASSPORT" },
        }),
      ),
    ).toBe("COUNTER_CARD_NOT_FOUND");

    // A card J-LIS knows but whose file is not at the counter.
    const { resident: elsewhere } = await world.resident(prisma);
    expect(
      await codeOf(
        unlockCardPin(ctx, {
          staff: clerk,
          residentId: elsewhere.id,
          input: { slot: "auth", identityDocument: "PASSPORT" },
        }),
      ),
    ).toBe("COUNTER_CARD_NOT_FOUND");

    // A lost (revoked) card is not unlocked.
    for (let i = 0; i < 3; i++) await token.verifyPin("auth", "0000");
    await world.jlis.reportLost({ residentRef: resident.registryNumber });
    expect(
      await codeOf(
        unlockCardPin(ctx, {
          staff: clerk,
          residentId: resident.id,
          input: { slot: "auth", identityDocument: "PASSPORT" },
        }),
      ),
    ).toBe("JLIS_CERT_NOT_ACTIVE");

    // The portal's own J-LIS (no cards directory): the counter is not available; no credentials: 401.
    expect(
      await codeOf(
        unlockCardPin(
          { prisma, jlis: world.context(prisma).jlis },
          { staff: clerk, residentId: resident.id, input: { slot: "auth", identityDocument: "PASSPORT" } },
        ),
      ),
    ).toBe("COUNTER_UNAVAILABLE");
    const anonymous = await fetch(`${counterServer.url}/jlis/counter/pin-unlock`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ residentRef: resident.registryNumber, slot: "auth" }),
    });
    expect(anonymous.status).toBe(401);
    expect(await token.verifyPin("auth", PINS.auth)).toMatchObject({ ok: false, locked: true });
  });
});

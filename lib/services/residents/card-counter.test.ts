import { X509Certificate } from "node:crypto";
import { mkdir, mkdtemp, readFile, readdir, rm } from "node:fs/promises";
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
import { checkRevocationAtJlis } from "../../jlis/revocation";
import { parseJpkiCertificate } from "../../jpki/jpki-certificate";
import { issueCardAtCounter, unlockCardPin } from "./card-counter";
import type { TResidentsContext } from "./residents-context";

const PINS = { auth: "1234", sign: "ICHIMAI1" };

describe("card counter: card issuing and PIN unlock through J-LIS's counter system (the simulator's /counter/…)", () => {
  const db = useTestDatabase();
  let world: TPlatformWorld;
  let counterServer: RunningServer;
  let jlis: TJlisClient;
  let verifier: { id: string; secret: string };
  let root: string;
  let cardsDir: string;
  let slipsDir: string;

  beforeAll(async () => {
    world = await startPlatformWorld();
    root = await mkdtemp(path.join(tmpdir(), "ichimai-counter-"));
    cardsDir = path.join(root, "cards");
    slipsDir = path.join(root, "slips");
    await mkdir(cardsDir);
    verifier = { id: "counter-portal", secret: await world.jlis.registerVerifier("counter-portal") };
    counterServer = await startJlisServer(
      createJlisHandler(world.jlis, {
        verifierCredentials: ({ clientId, secret }) => world.jlis.checkVerifier(clientId, secret),
        counter: { cardsDir, slipsDir },
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
    if (root) await rm(root, { recursive: true, force: true });
  });

  /** A resident with a card issued by J-LIS and written as the virtual card the agent serves. */
  async function setup(prisma: PrismaClient) {
    const ctx: TResidentsContext = { prisma, jlis };
    const clerkRow = await seedStaffMember(prisma, { roles: ["CLERK"] });
    const clerk = { staffId: clerkRow.id, roles: clerkRow.roles };
    const { resident, card } = await world.resident(prisma);
    const file = path.join(cardsDir, `demo-counter-${resident.registryNumber}.json`);
    await writeVirtualCard(file, {
      label: card.label,
      tokenType: "card",
      holderRef: resident.registryNumber,
      auth: { ...card.auth, pin: PINS.auth },
      sign: card.sign ? { ...card.sign, pin: PINS.sign } : undefined,
    });
    const supervisorRow = await seedStaffMember(prisma, { roles: ["SUPERVISOR"] });
    const supervisor = { staffId: supervisorRow.id, roles: supervisorRow.roles };
    return { ctx, clerk, supervisor, resident, card, file };
  }

  /** A certificate's status through the real path: OCSP of the simulated J-LIS, then its CRL without OCSP. */
  async function statusOf(prisma: PrismaClient, cred: { certificate: Uint8Array; caCertificate: Uint8Array }) {
    // The portal's client of the same J-LIS (with the CRL path of each root).
    const platform = world.context(prisma).jlis;
    const q = { certificate: cred.certificate, issuer: cred.caCertificate, now: new Date() };
    const ocsp = await checkRevocationAtJlis(platform, q);
    const crlOnly = await checkRevocationAtJlis(
      {
        ...platform,
        ocspStatusBySerial: async () => {
          throw new Error("no OCSP");
        },
        fetch: ((input: RequestInfo | URL, init?: RequestInit) =>
          String(input instanceof Request ? input.url : input).includes("/ocsp")
            ? Promise.reject(new TypeError("fetch failed"))
            : platform.fetch(input, init)) as typeof fetch,
      },
      q,
    );
    return { ocsp: ocsp.status, crl: crlOnly.status };
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

  it("[COUNTER][CARD_ISSUE]: a supervisor issues a new card with the registry's facts; it chains to J-LIS's CA, works with the PINs of the counter's slip, the old card's certificates are revoked superseded (OCSP and CRL) and linked old → new", async () => {
    const { prisma } = db();
    const { ctx, clerk, supervisor, resident, card, file } = await setup(prisma);
    expect(await statusOf(prisma, card.auth)).toEqual({ ocsp: "good", crl: "good" });
    const input = { identityDocument: "MY_NUMBER_CARD_PHOTO", note: "交付通知書あり" };
    expect(await codeOf(issueCardAtCounter(ctx, { staff: clerk, residentId: resident.id, input }))).toBe("FORBIDDEN");
    expect(
      await codeOf(
        issueCardAtCounter(ctx, { staff: supervisor, residentId: resident.id, input: { identityDocument: "X" } }),
        { zod: true },
      ),
    ).toBe("VALIDATION_FAILED");
    expect(await statusOf(prisma, card.auth)).toEqual({ ocsp: "good", crl: "good" });

    const result = await issueCardAtCounter(ctx, { staff: supervisor, residentId: resident.id, input });
    expect(result.revoked.map((r) => [r.purpose, r.reason]).sort()).toEqual([
      ["auth", "superseded"],
      ["sign", "superseded"],
    ]);
    expect(result.signSerial).not.toBeNull();

    // The old card is collected: its file now holds the new card; the PINs are on the slip only.
    expect((await readdir(cardsDir)).filter((n) => n.includes(resident.registryNumber))).toEqual([path.basename(file)]);
    const slip = JSON.parse(await readFile(path.join(slipsDir, `${resident.registryNumber}.json`), "utf8")) as {
      authPin: string;
      signPin: string;
    };
    expect(slip.authPin).toMatch(/^\d{4}$/);
    expect(JSON.stringify(result)).not.toContain(slip.signPin);
    const token = await VirtualCard.open(file);
    expect(await token.verifyPin("auth", PINS.auth === slip.authPin ? "0000" : PINS.auth)).toMatchObject({ ok: false });
    expect(await token.verifyPin("auth", slip.authPin)).toEqual({ ok: true });
    expect(await token.verifyPin("sign", slip.signPin)).toEqual({ ok: true });
    const newAuth = token.authCertificate();
    const authX = new X509Certificate(newAuth);
    expect(authX.serialNumber.replace(/^0+/, "").toLowerCase()).toBe(result.authSerial);
    // Chains to the simulator's production auth CA, and is good at J-LIS; the signing certificate carries the registry name.
    const ca = token.caCertificate("auth");
    expect(
      world.jlis.trustAnchors({ purpose: "auth", hierarchy: "production" }).map((a) => Buffer.from(a)),
    ).toContainEqual(Buffer.from(ca));
    expect(authX.verify(new X509Certificate(ca).publicKey)).toBe(true);
    expect(await statusOf(prisma, { certificate: newAuth, caCertificate: ca })).toEqual({ ocsp: "good", crl: "good" });
    const signX = new X509Certificate(token.signCertificate());
    expect(signX.verify(new X509Certificate(token.caCertificate("sign")).publicKey)).toBe(true);
    expect(parseJpkiCertificate(token.signCertificate()).facts).toMatchObject({
      name: `${resident.familyName}\u3000${resident.givenName}`,
      address: resident.address,
    });

    // The old certificates are revoked through the real OCSP and CRL paths, and linked old → new.
    expect(await statusOf(prisma, card.auth)).toEqual({ ocsp: "revoked", crl: "revoked" });
    expect(await statusOf(prisma, card.sign!)).toEqual({ ocsp: "revoked", crl: "revoked" });
    expect((await jlis.successorOf(card.sign!.serial))?.successor).toBe(result.signSerial);

    const row = await prisma.auditEvent.findFirstOrThrow({
      where: { type: "resident.card_event", subjectResidentId: resident.id },
    });
    expect(row.purpose).toBe("マイナンバーカードの交付");
    expect(row.data).toMatchObject({
      kind: "card_issued",
      identityDocument: "MY_NUMBER_CARD_PHOTO",
      note: "交付通知書あり",
      jlis: { authSerial: result.authSerial, signSerial: result.signSerial },
    });
    expect(JSON.stringify(row.data)).not.toContain(slip.signPin);

    // A registry resident J-LIS never issued a card to gets a first card (no revocation).
    const first = await seedResident(prisma, {});
    const fresh = await issueCardAtCounter(ctx, {
      staff: supervisor,
      residentId: first.id,
      input: { identityDocument: "DRIVERS_LICENSE" },
    });
    expect(fresh.revoked).toEqual([]);
    expect(await readdir(cardsDir)).toContain(`${first.registryNumber}.json`);
  });
});

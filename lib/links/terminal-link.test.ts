import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeToken } from "../../test/auth/jpki-world";
import { useTestDatabase } from "../../test/db";
import { PORTAL, startPlatformWorld, type TPlatformWorld } from "../../test/platform/platform-world";
import { enrolledKiosk } from "../../test/platform/terminal-world";
import { linkPartner } from "../mailbox/link-partner";
import { findLinkForPurpose } from "../mailbox/link-purposes";
import { checkTerminalTap, startTerminalTap } from "../platform/terminals/terminal-tap";
import { completeTerminalLink, nonceOfStatement, startTerminalLink } from "./terminal-link";
import { rejectionCode as code } from "../../test/rejection-code";

describe("link on first tap (lib/links/terminal-link)", () => {
  const db = useTestDatabase();
  let world: TPlatformWorld;

  beforeAll(async () => {
    world = await startPlatformWorld();
  });
  afterAll(async () => {
    await world?.close();
  });

  const kiosk = async (label: string) => {
    const { prisma } = db();
    const hospital = await world.partner(prisma, { kind: "HEALTH_INSURER", scopes: ["eligibility:verify"] });
    return { hospital, device: await enrolledKiosk(prisma, { partner: hospital.partnerId, label, mode: "HOSPITAL" }) };
  };

  it("[TERMINAL][LINK]: not linked → staff enter the member number → the card signs the consent statement's hash → linked for eligibility, ledger and access log; the next tap is eligible", async () => {
    const { prisma } = db();
    const ctx = world.context(prisma);
    const { hospital, device } = await kiosk("受付L1");
    const { resident, card } = await world.resident(prisma);
    const tap = async () => {
      const c = await startTerminalTap(ctx, { device });
      return checkTerminalTap(ctx, {
        device,
        terminalBinding: c.terminalBinding,
        request: { nonce: c.nonce, token: await makeToken(card.auth, c.nonce, PORTAL) },
      });
    };
    expect(await tap()).toMatchObject({ eligible: false, reason: "RECIPIENT_NOT_LINKED" });

    const start = await startTerminalLink(ctx, { device, request: { partnerRef: "06360012-77" } });
    expect(start).toMatchObject({ partnerRef: "06360012-77", purposes: ["eligibility"], origin: PORTAL });
    const request = await prisma.linkRequest.findUniqueOrThrow({ where: { consentNonce: start.nonce } });
    // The nonce the card signs is the hash of the stored statement, which names what is consented to.
    expect(nonceOfStatement(request.consentStatement ?? "")).toBe(start.nonce);
    expect(request.consentStatement).toContain("partnerRef=06360012-77");
    expect(request.consentStatement).toContain("purposes=eligibility");
    expect(request.consentStatement).toContain(`terminal=${encodeURIComponent("受付L1")}`);

    // A plain eligibility challenge is not a link consent, nor the other way round.
    const plain = await startTerminalTap(ctx, { device });
    expect(
      await code(
        completeTerminalLink(ctx, {
          device,
          terminalBinding: plain.terminalBinding,
          request: { nonce: plain.nonce, token: await makeToken(card.auth, plain.nonce, PORTAL) },
        }),
      ),
    ).toBe("CHALLENGE_UNKNOWN");
    expect(await code(completeTerminalLink(ctx, { device, terminalBinding: undefined, request: {} }))).toBe(
      "TERMINAL_TAP_NOT_STARTED",
    );

    const result = await completeTerminalLink(ctx, {
      device,
      terminalBinding: start.terminalBinding,
      request: { nonce: start.nonce, token: await makeToken(card.auth, start.nonce, PORTAL) },
    });
    expect(result).toMatchObject({ linked: true, member: { reference: "06360012-77" } });
    expect(
      await findLinkForPurpose(prisma, {
        partnerId: hospital.partnerId,
        residentId: resident.id,
        purpose: "eligibility",
      }),
    ).toMatchObject({ partnerRef: "06360012-77", purposes: ["eligibility"] });
    const given = await prisma.auditEvent.findFirstOrThrow({
      where: { subjectResidentId: resident.id, type: "consent.given" },
    });
    expect(given).toMatchObject({ channel: "terminal", actorType: "resident" });
    expect(given.data).toMatchObject({ terminal: "受付L1", terminalDeviceId: device.id });
    expect(
      await prisma.auditEvent.count({
        where: { subjectResidentId: resident.id, type: "consent.requested", channel: "terminal" },
      }),
    ).toBe(1);
    expect(await prisma.linkRequest.findUniqueOrThrow({ where: { id: request.id } })).toMatchObject({
      status: "APPROVED",
      residentId: resident.id,
    });
    expect(await tap()).toMatchObject({ eligible: true, member: { reference: "06360012-77" } });

    // The consent challenge is single use.
    expect(
      await code(
        completeTerminalLink(ctx, {
          device,
          terminalBinding: start.terminalBinding,
          request: { nonce: start.nonce, token: await makeToken(card.auth, start.nonce, PORTAL) },
        }),
      ),
    ).toBe("CHALLENGE_REPLAYED");
  });

  it("[TERMINAL][LINK][REFUSE]: a number someone holds, an unknown card, another kiosk's challenge: stable codes, no link", async () => {
    const { prisma } = db();
    const ctx = world.context(prisma);
    const { hospital, device } = await kiosk("受付L2");
    const other = await kiosk("受付L3");
    const holder = await world.resident(prisma);
    await linkPartner(prisma, { residentId: holder.resident.id, partnerId: hospital.partnerId, partnerRef: "HELD-1" });
    expect(await code(startTerminalLink(ctx, { device, request: { partnerRef: "HELD-1" } }))).toBe("PARTNER_REF_TAKEN");

    const stranger = await world.resident(prisma, { bindAuth: false });
    const s1 = await startTerminalLink(ctx, { device, request: { partnerRef: "NEW-1" } });
    expect(
      await code(
        completeTerminalLink(ctx, {
          device,
          terminalBinding: s1.terminalBinding,
          request: { nonce: s1.nonce, token: await makeToken(stranger.card.auth, s1.nonce, PORTAL) },
        }),
      ),
    ).toBe("CARD_UNKNOWN");

    const member = await world.resident(prisma);
    const s2 = await startTerminalLink(ctx, { device, request: { partnerRef: "NEW-2" } });
    expect(
      await code(
        completeTerminalLink(ctx, {
          device: other.device,
          terminalBinding: s2.terminalBinding,
          request: { nonce: s2.nonce, token: await makeToken(member.card.auth, s2.nonce, PORTAL) },
        }),
      ),
    ).toBe("CHALLENGE_UNKNOWN");
    expect(await prisma.partnerResidentLink.count({ where: { partnerId: hospital.partnerId } })).toBe(1);
    expect(
      await prisma.auditEvent.count({ where: { subjectResidentId: member.resident.id, type: "consent.given" } }),
    ).toBe(0);
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeToken } from "../../../test/auth/jpki-world";
import { useTestDatabase } from "../../../test/db";
import { PORTAL, startPlatformWorld, type TPlatformWorld } from "../../../test/platform/platform-world";
import { AppError } from "../../errors/app-error";
import { linkPartner } from "../../mailbox/link-partner";
import { issueTerminalChallenge } from "../../platform/eligibility/issue-terminal-challenge";
import { registerTerminalDevice } from "../../platform/terminals/register-terminal-device";
import { defineBusProducts } from "./products";
import { purchaseBusTicket } from "./purchase-ticket";
import { tapBusTerminal } from "./terminal-ride";

describe("a card tap at the on-board device (tapBusTerminal)", () => {
  const db = useTestDatabase();
  let world: TPlatformWorld;
  beforeAll(async () => {
    world = await startPlatformWorld();
  });
  afterAll(async () => {
    await world?.close();
  });

  it("checks the card, takes one ride, answers the balance; a retried request (spent challenge, same tap key) gets the same ride; an unlinked card takes none", async () => {
    const { prisma } = db();
    const ctx = world.context(prisma);
    const client = await world.partner(prisma, { kind: "BANK", scopes: ["eligibility:verify"] });
    const partner = await prisma.partner.update({
      where: { id: client.partnerId },
      data: { kind: "BUS_OPERATOR", approvedScopes: ["eligibility:verify"] },
    });
    await defineBusProducts(prisma, {
      partnerId: partner.id,
      products: [
        {
          code: "BOOK-2",
          kind: "TICKET_BOOK",
          nameJa: "2回券",
          nameEn: "2 rides",
          rides: 2,
          priceYen: 400,
          fareYen: 200,
        },
      ],
    });
    const { deviceId } = await registerTerminalDevice(prisma, { partner: partner.id, label: "2号車", mode: "BUS" });
    const device = {
      id: deviceId,
      label: "2号車",
      mode: "BUS" as const,
      credentialMode: "LIVE" as const,
      partner: { id: partner.id, name: partner.name, nameEn: partner.nameEn },
    };
    const { resident, card } = await world.resident(prisma);
    await linkPartner(prisma, { residentId: resident.id, partnerId: partner.id, partnerRef: "BUS-T-1" });
    await purchaseBusTicket(
      { prisma },
      { residentId: resident.id, partnerId: partner.id, productCode: "BOOK-2", issuedBy: "operator" },
    );
    const bus = { prisma };
    const tap = async (tapKey: string, auth = card.auth) => {
      const c = await issueTerminalChallenge(ctx, {
        partner: { partnerId: partner.id },
        request: { terminalId: device.label },
      });
      const request = { nonce: c.nonce, token: await makeToken(auth, c.nonce, PORTAL), tapKey };
      return { request, binding: c.terminalBinding };
    };

    const first = await tap("tap-key-0000000001");
    // No receipt key registered: the ride stands, its receipt waits ("pending").
    const answer = await tapBusTerminal(ctx, bus, { device, terminalBinding: first.binding, request: first.request });
    expect(answer).toMatchObject({
      eligible: true,
      member: { reference: "BUS-T-1" },
      bus: {
        ride: { status: "CHARGED", replayed: false },
        balance: { ridesRemaining: 1, passValidUntil: null },
        receipt: "pending",
      },
    });
    // The same request again: the challenge is spent, the tap key answers with the first ride.
    const again = await tapBusTerminal(ctx, bus, { device, terminalBinding: first.binding, request: first.request });
    expect(again.bus?.ride).toMatchObject({ rideId: answer.bus?.ride?.rideId, replayed: true });
    expect(again.bus?.balance.ridesRemaining).toBe(1);
    // A new tap key with the spent challenge is refused.
    await expect(
      tapBusTerminal(ctx, bus, {
        device,
        terminalBinding: first.binding,
        request: { ...first.request, tapKey: "tap-key-0000000002" },
      }),
    ).rejects.toMatchObject({ code: "CHALLENGE_REPLAYED" });
    // The last ride, then an empty book: a stable code and nothing taken.
    const second = await tap("tap-key-0000000003");
    await tapBusTerminal(ctx, bus, { device, terminalBinding: second.binding, request: second.request });
    const third = await tap("tap-key-0000000004");
    const empty = await tapBusTerminal(ctx, bus, { device, terminalBinding: third.binding, request: third.request });
    expect(empty).toMatchObject({
      eligible: true,
      bus: { ride: null, refused: "BUS_BOOK_EMPTY", balance: { ridesRemaining: 0 } },
    });
    expect(await prisma.busRide.count({ where: { residentId: resident.id } })).toBe(2);

    const stranger = await world.resident(prisma);
    const s = await tap("tap-key-0000000005", stranger.card.auth);
    const refused = await tapBusTerminal(ctx, bus, { device, terminalBinding: s.binding, request: s.request });
    expect(refused).toMatchObject({ eligible: false, reason: "RECIPIENT_NOT_LINKED" });
    expect(refused.bus).toBeUndefined();
    // A hospital device may not take rides.
    await expect(
      tapBusTerminal(ctx, bus, {
        device: { ...device, mode: "HOSPITAL" },
        terminalBinding: s.binding,
        request: s.request,
      }),
    ).rejects.toBeInstanceOf(AppError);
  });
});

import { describe, expect, it } from "vitest";
import { makeToken } from "../../../test/auth/jpki-world";
import { linkPartner } from "../../mailbox/link-partner";
import { useTestDatabase } from "../../../test/db";
import { PORTAL, usePlatformWorld } from "../../../test/platform/platform-world";
import { issueTerminalChallenge } from "./issue-terminal-challenge";
import { verifyEligibility } from "./verify-eligibility";
import { rejectionCode as code } from "../../../test/rejection-code";

describe("eligibility verification (資格確認): terminal challenge, card tap, member reference", () => {
  const db = useTestDatabase();
  const world = usePlatformWorld();

  it("[ELIGIBILITY][MEMBER]: a linked resident's card tap answers with the partner's own member reference, no facts; the access log names the terminal", async () => {
    const { prisma } = db();
    const ctx = world().context(prisma);
    const hospital = await world().partner(prisma, { kind: "HEALTH_INSURER", scopes: ["eligibility:verify"] });
    const { resident, card } = await world().resident(prisma);
    await linkPartner(prisma, {
      residentId: resident.id,
      partnerId: hospital.partnerId,
      partnerRef: "保険者番号06360012-記号1-番号23",
    });
    const challenge = await issueTerminalChallenge(ctx, { partner: hospital, request: { terminalId: "受付1" } });
    expect(challenge.origin).toBe(PORTAL);
    const answer = await verifyEligibility(ctx, {
      partner: hospital,
      request: {
        nonce: challenge.nonce,
        terminalBinding: challenge.terminalBinding,
        token: await makeToken(card.auth, challenge.nonce, PORTAL),
      },
    });
    expect(answer).toMatchObject({ eligible: true, member: { reference: "保険者番号06360012-記号1-番号23" } });
    expect(JSON.stringify(answer)).not.toContain(resident.familyName);
    const audit = await prisma.auditEvent.findFirstOrThrow({
      where: { subjectResidentId: resident.id, type: "partner.api_access" },
    });
    expect(audit).toMatchObject({ channel: "terminal", purpose: "資格確認" });
    expect(audit.data).toMatchObject({ terminal: "受付1", eligible: true });
    // Single use.
    expect(
      await code(
        verifyEligibility(ctx, {
          partner: hospital,
          request: {
            nonce: challenge.nonce,
            terminalBinding: challenge.terminalBinding,
            token: await makeToken(card.auth, challenge.nonce, PORTAL),
          },
        }),
      ),
    ).toBe("CHALLENGE_REPLAYED");
  });

  it("[ELIGIBILITY][NOT_MEMBER]: an unlinked resident is not eligible; a card not bound to any resident is CARD_UNKNOWN", async () => {
    const { prisma } = db();
    const ctx = world().context(prisma);
    const bus = await world().partner(prisma, { kind: "BANK", scopes: ["eligibility:verify"] });
    const tap = async (cred: Parameters<typeof makeToken>[0]) => {
      const c = await issueTerminalChallenge(ctx, { partner: bus, request: { terminalId: "bus-12" } });
      return verifyEligibility(ctx, {
        partner: bus,
        request: { nonce: c.nonce, terminalBinding: c.terminalBinding, token: await makeToken(cred, c.nonce, PORTAL) },
      });
    };
    const linkedElsewhere = await world().resident(prisma);
    expect(await tap(linkedElsewhere.card.auth)).toMatchObject({ eligible: false, reason: "RECIPIENT_NOT_LINKED" });
    const stranger = await world().resident(prisma, { bindAuth: false });
    expect(await tap(stranger.card.auth)).toMatchObject({ eligible: false, reason: "CARD_UNKNOWN" });
  });

  it("[ELIGIBILITY][PURPOSE]: a link given only for delivery does not answer eligibility checks (LINK_PURPOSE_NOT_ALLOWED); with eligibility it does", async () => {
    const { prisma } = db();
    const ctx = world().context(prisma);
    const insurer = await world().partner(prisma, { kind: "HEALTH_INSURER", scopes: ["eligibility:verify"] });
    const tap = async (cred: Parameters<typeof makeToken>[0]) => {
      const c = await issueTerminalChallenge(ctx, { partner: insurer, request: { terminalId: "受付2" } });
      return verifyEligibility(ctx, {
        partner: insurer,
        request: { nonce: c.nonce, terminalBinding: c.terminalBinding, token: await makeToken(cred, c.nonce, PORTAL) },
      });
    };
    const { resident, card } = await world().resident(prisma);
    await linkPartner(prisma, {
      residentId: resident.id,
      partnerId: insurer.partnerId,
      partnerRef: "P-1",
      purposes: ["deliver"],
    });
    const refused = await tap(card.auth);
    expect(refused).toMatchObject({ eligible: false, reason: "LINK_PURPOSE_NOT_ALLOWED" });
    expect(refused.member).toBeUndefined();
    await linkPartner(prisma, {
      residentId: resident.id,
      partnerId: insurer.partnerId,
      partnerRef: "P-1",
      purposes: ["deliver", "eligibility"],
    });
    expect(await tap(card.auth)).toMatchObject({ eligible: true, member: { reference: "P-1" } });
  });

  it("[ELIGIBILITY][REJECT]: expired, another partner's or another terminal's challenge; signing certificate; wrong origin; lost card", async () => {
    const { prisma } = db();
    const ctx = world().context(prisma);
    const a = await world().partner(prisma, { scopes: ["eligibility:verify"] });
    const b = await world().partner(prisma, { scopes: ["eligibility:verify"] });
    const { resident, card } = await world().resident(prisma);
    await linkPartner(prisma, { residentId: resident.id, partnerId: a.partnerId, partnerRef: "M-1" });
    const attempt = async (o: {
      partner?: typeof a;
      binding?: string;
      cred?: Parameters<typeof makeToken>[0];
      origin?: string;
      later?: number;
    }) => {
      const c = await issueTerminalChallenge(ctx, { partner: a, request: { terminalId: "t" } });
      const at = world().context(prisma);
      if (o.later) at.now = () => new Date(Date.now() + o.later!);
      return code(
        verifyEligibility(at, {
          partner: o.partner ?? a,
          request: {
            nonce: c.nonce,
            terminalBinding: o.binding ?? c.terminalBinding,
            token: await makeToken(o.cred ?? card.auth, c.nonce, o.origin ?? PORTAL),
          },
        }),
      );
    };
    expect(await attempt({ later: 3 * 60_000 })).toBe("CHALLENGE_EXPIRED");
    expect(await attempt({ partner: b })).toBe("CHALLENGE_UNKNOWN");
    expect(await attempt({ binding: "x".repeat(43) })).toBe("CHALLENGE_UNKNOWN");
    expect(await attempt({ cred: card.sign! })).toBe("CERT_WRONG_PURPOSE");
    expect(await attempt({ origin: "https://evil.example" })).toBe("SIGNATURE_INVALID");
    await world().jlis.reportLost({ residentRef: resident.registryNumber });
    expect(await attempt({})).toBe("CERT_REVOKED");
  });
});

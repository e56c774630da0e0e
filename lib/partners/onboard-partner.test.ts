import "reflect-metadata";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import * as x509 from "@peculiar/x509";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateRsaKeyPair, RSA_SHA256 } from "@/jlis-sim/ca/ca";
import { openPartnerCa } from "@/jlis-sim/partner-ca/partner-ca";
import { servePartnerIssue } from "@/jlis-sim/partner-ca/serve-partner-issue";
import { seedPartner, seedStaffMember } from "@/prisma/seed/factories";
import { serveV1ForTest } from "@/test/api/serve-v1-for-test";
import { useTestDatabase } from "@/test/db";
import { basicAuth, seedCred } from "@/test/mailbox/mailbox-world";
import { smtpTransport, startSmtp, waitForMail } from "@/test/notifications/smtp-server";
import { secretsEncryptionKey } from "../crypto/secret-box";
import { env } from "../env";
import { validateChain } from "../jpki/chain";
import { readOrganizationIdentity } from "../jpki/organization-certificate";
import { corporateNumberCheckDigit, isValidCorporateNumber } from "./corporate-number";
import {
  acceptPartnerInvitation,
  findPartnerInvitation,
  PARTNER_INVITATION_TTL_MS,
  registerPartner,
  setPartnerActive,
} from "./onboard-partner";
import { createPartnerCaClient, partnerCaIssueToken } from "./partner-ca-client";
import { loginPartnerUser } from "./partner-user-login";
import { decideScopeRequest, requestPartnerScopes } from "./scope-requests";

x509.cryptoProvider.set(globalThis.crypto);

/** 国税庁's own 法人番号, and one more made valid by its check digit. */
const NTA = "7000012050002";
const OTHER = `${corporateNumberCheckDigit("010401012345")}010401012345`;
const PORTAL = "https://portal.example.jp";

async function csrPem(keys?: CryptoKeyPair): Promise<{ pem: string; keys: CryptoKeyPair }> {
  const k = keys ?? (await generateRsaKeyPair());
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: "CN=ignored by the CA",
    keys: k,
    signingAlgorithm: RSA_SHA256,
  });
  return { pem: csr.toString("pem"), keys: k };
}

describe("法人番号 check digit", () => {
  it("accepts 国税庁's number and refuses a changed digit, a wrong length and letters", () => {
    expect(isValidCorporateNumber(NTA)).toBe(true);
    expect(isValidCorporateNumber(OTHER)).toBe(true);
    expect(isValidCorporateNumber("8000012050002")).toBe(false);
    expect(isValidCorporateNumber("7000012050003")).toBe(false);
    expect(isValidCorporateNumber("700001205000")).toBe(false);
    expect(isValidCorporateNumber("70000120500O2")).toBe(false);
  });
});

describe("partner onboarding by staff", () => {
  const db = useTestDatabase();
  let caDir: string;
  let officerId: string;
  let clerkId: string;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  const partnerCa = () =>
    createPartnerCaClient({
      baseUrl: "http://partner-ca.test/partner-ca",
      token: partnerCaIssueToken(secretsEncryptionKey(env())),
      // The simulator's real handler, without a server in between.
      fetch: async (input, init) => servePartnerIssue(new Request(input, init), { dir: caDir }),
    });
  const deps = () => ({
    partnerCa: partnerCa(),
    mailer: { transport: smtpTransport(smtp.port), from: "ichimai <no-reply@ichimai.test>" },
    portalOrigin: PORTAL,
  });

  beforeAll(async () => {
    caDir = await fs.mkdtemp(path.join(os.tmpdir(), "ichimai-partner-ca-"));
    smtp = await startSmtp();
    officerId = (await seedStaffMember(db().prisma, { roles: ["PARTNER_OFFICER"] })).id;
    clerkId = (await seedStaffMember(db().prisma, { roles: ["CLERK", "AUDITOR"] })).id;
  });
  afterAll(async () => {
    await smtp?.close();
    await fs.rm(caDir, { recursive: true, force: true });
  });

  it("registers a partner with a certificate valid under the partner CA, mails the owner a one-time invitation into the console", async () => {
    const p = db().prisma;
    const { pem, keys } = await csrPem();
    const before = smtp.mails.length;
    const out = await registerPartner(
      p,
      {
        staffId: officerId,
        slug: "hoshizora-bank",
        name: "ほしぞら銀行株式会社",
        nameEn: "Hoshizora Bank",
        kind: "BANK",
        corporateNumber: `${NTA.slice(0, 4)}-${NTA.slice(4)}`,
        ownerName: "星空 太郎",
        ownerEmail: "Owner@Hoshizora.example.jp",
        csr: pem,
      },
      deps(),
    );
    // The certificate: chains to the partner root, names the partner, certifies the CSR's key.
    const root = (await openPartnerCa(caDir)).certificate;
    expect(out.certificate).not.toBeNull();
    const chain = await validateChain({ leaf: out.certificate!.der, trustAnchors: [root], time: new Date() });
    expect(chain.valid).toBe(true);
    const identity = readOrganizationIdentity(out.certificate!.der);
    expect(identity).toMatchObject({ partnerSlug: "hoshizora-bank", organizationName: "ほしぞら銀行株式会社" });
    const spki = new Uint8Array(await globalThis.crypto.subtle.exportKey("spki", keys.publicKey));
    expect(Buffer.from(new x509.X509Certificate(new Uint8Array(out.certificate!.der)).publicKey.rawData)).toEqual(
      Buffer.from(spki),
    );
    // Stored: the registration and an OWNER who cannot log in before accepting.
    const reg = await p.partnerRegistration.findUniqueOrThrow({ where: { partnerId: out.partnerId } });
    expect(reg).toMatchObject({
      corporateNumber: NTA,
      ownerEmail: "owner@hoshizora.example.jp",
      certificateSerial: out.certificate!.serialHex,
      registeredById: officerId,
    });
    expect(await p.partner.findUniqueOrThrow({ where: { id: out.partnerId } })).toMatchObject({
      active: true,
      approvedScopes: [],
      kind: "BANK",
    });
    await expect(
      loginPartnerUser(p, { email: "owner@hoshizora.example.jp", password: "x".repeat(12) }),
    ).rejects.toMatchObject({
      code: "PARTNER_LOGIN_INVALID",
    });

    // The e-mail, through a real SMTP server: the link, never stored in clear.
    expect(out.mailed).toBe(true);
    await waitForMail(smtp.mails, before);
    const mail = smtp.mails.at(-1)!;
    expect(mail.to).toMatchObject({ text: "owner@hoshizora.example.jp" });
    expect(mail.text).toContain(out.invitationUrl);
    const token = out.invitationUrl.split("/").at(-1)!;
    expect(out.invitationUrl).toBe(`${PORTAL}/partner/invitation/${token}`);
    const stored = await p.partnerInvitation.findFirstOrThrow({ where: { partnerUserId: out.ownerUserId } });
    expect(stored.tokenHash).not.toContain(token);
    expect(stored.expiresAt.getTime() - stored.createdAt.getTime()).toBe(PARTNER_INVITATION_TTL_MS);

    // The owner follows it: sets a password, then logs in; the link works once.
    expect(await findPartnerInvitation(p, token)).toMatchObject({ email: "owner@hoshizora.example.jp" });
    await expect(acceptPartnerInvitation(p, { token, password: "short" })).rejects.toThrow();
    const accepted = await acceptPartnerInvitation(p, { token, password: "hoshizora-owner-pass" });
    expect(accepted.email).toBe("owner@hoshizora.example.jp");
    const session = await loginPartnerUser(p, {
      email: "owner@hoshizora.example.jp",
      password: "hoshizora-owner-pass",
    });
    expect(session).toMatchObject({ partnerId: out.partnerId, role: "OWNER" });
    expect(await findPartnerInvitation(p, token)).toBeNull();
    await expect(acceptPartnerInvitation(p, { token, password: "another-password-1" })).rejects.toMatchObject({
      code: "PARTNER_INVITATION_INVALID",
    });

    // The new owner asks for scopes in the console; the partner officer approves them.
    const req = await requestPartnerScopes(p, {
      partnerId: out.partnerId,
      partnerUser: { id: out.ownerUserId, role: "OWNER" },
      scopes: ["documents:deliver"],
      reason: "口座振替のお知らせを届けるため",
    });
    await decideScopeRequest(p, { requestId: req.id, staffId: officerId, decision: "APPROVE" });
    expect((await p.partner.findUniqueOrThrow({ where: { id: out.partnerId } })).approvedScopes).toEqual([
      "documents:deliver",
    ]);

    const events = await p.auditEvent.findMany({
      where: { type: { in: ["partner.registered", "partner.invitation_sent", "partner.invitation_accepted"] } },
      orderBy: { seq: "asc" },
    });
    expect(events.map((e) => [e.type, e.actorType])).toEqual([
      ["partner.registered", "staff"],
      ["partner.invitation_sent", "staff"],
      ["partner.invitation_accepted", "partner"],
    ]);
    expect(events[0]!.data).toMatchObject({ corporateNumber: NTA, certificateSerial: out.certificate!.serialHex });
    expect(JSON.stringify(events.map((e) => e.data))).not.toContain(token);
  });

  it("refuses a wrong check digit, a bad CSR, a taken 法人番号 / slug / e-mail and staff without the role, writing nothing", async () => {
    const p = db().prisma;
    const base = {
      staffId: officerId,
      slug: "minato-clinic",
      name: "みなと医院",
      nameEn: "Minato Clinic",
      kind: "HOSPITAL" as const,
      corporateNumber: OTHER,
      ownerName: "港 花子",
      ownerEmail: "owner@minato.example.jp",
    };
    const count = async () => ({ partners: await p.partner.count(), events: await p.auditEvent.count() });
    const before = await count();
    await expect(registerPartner(p, { ...base, corporateNumber: "8000012050002" }, deps())).rejects.toMatchObject({
      code: "PARTNER_CORPORATE_NUMBER_INVALID",
    });
    await expect(
      registerPartner(
        p,
        { ...base, csr: "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----" },
        deps(),
      ),
    ).rejects.toMatchObject({
      code: "PARTNER_CSR_INVALID",
    });
    // A CSR whose signature does not match its key (tampered).
    const { pem } = await csrPem();
    const der = Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ""), "base64");
    der.writeUInt8(der.readUInt8(der.length - 5) ^ 0xff, der.length - 5);
    await expect(registerPartner(p, { ...base, csr: der.toString("base64") }, deps())).rejects.toMatchObject({
      code: "PARTNER_CSR_INVALID",
    });
    await expect(registerPartner(p, { ...base, corporateNumber: NTA }, deps())).rejects.toMatchObject({
      code: "PARTNER_ALREADY_REGISTERED",
    });
    await expect(registerPartner(p, { ...base, slug: "hoshizora-bank" }, deps())).rejects.toMatchObject({
      code: "PARTNER_ALREADY_REGISTERED",
    });
    await expect(
      registerPartner(p, { ...base, ownerEmail: "OWNER@hoshizora.example.jp" }, deps()),
    ).rejects.toMatchObject({
      code: "PARTNER_USER_EMAIL_TAKEN",
    });
    await expect(registerPartner(p, { ...base, staffId: clerkId }, deps())).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    // The CA refuses a portal that does not hold the key: nothing is registered.
    const wrongToken = createPartnerCaClient({
      baseUrl: "http://partner-ca.test/partner-ca",
      token: "x".repeat(43),
      fetch: async (input, init) => servePartnerIssue(new Request(input, init), { dir: caDir }),
    });
    await expect(registerPartner(p, { ...base, csr: pem }, { ...deps(), partnerCa: wrongToken })).rejects.toMatchObject(
      { code: "PARTNER_CA_UNAVAILABLE" },
    );
    expect(await count()).toEqual(before);

    // Without SMTP the link is handed back to staff instead.
    const out = await registerPartner(p, base, { portalOrigin: PORTAL });
    expect(out).toMatchObject({ mailed: false, certificate: null });
    expect(await findPartnerInvitation(p, out.invitationUrl.split("/").at(-1)!)).toMatchObject({
      email: "owner@minato.example.jp",
    });
  });

  it("suspension refuses the partner's API credentials over HTTP with PARTNER_INACTIVE; reactivation restores them", async () => {
    const p = db().prisma;
    const partner = await seedPartner(p, { kind: "HEALTH_INSURER" });
    const cred = await seedCred(p, partner.id, { scopes: ["links:write"], mode: "LIVE" });
    const { origin, close } = await serveV1ForTest({ prisma: p });
    const probe = () =>
      fetch(`${origin}/api/v1/link-requests/00000000-0000-4000-8000-000000000000`, {
        headers: { authorization: basicAuth(cred) },
      });
    try {
      expect((await probe()).status).toBe(404);
      await expect(
        setPartnerActive(p, { staffId: officerId, partnerId: partner.id, active: false }),
      ).rejects.toMatchObject({
        code: "VALIDATION_FAILED",
      });
      await expect(
        setPartnerActive(p, { staffId: clerkId, partnerId: partner.id, active: false, reason: "x" }),
      ).rejects.toMatchObject({ code: "FORBIDDEN" });
      expect(
        await setPartnerActive(p, {
          staffId: officerId,
          partnerId: partner.id,
          active: false,
          reason: "契約違反の調査中",
        }),
      ).toEqual({ changed: true });
      const refused = await probe();
      expect(refused.status).toBe(403);
      expect(await refused.json()).toMatchObject({ error: { code: "PARTNER_INACTIVE" } });
      expect(
        await setPartnerActive(p, { staffId: officerId, partnerId: partner.id, active: false, reason: "again" }),
      ).toEqual({ changed: false });
      expect(await setPartnerActive(p, { staffId: officerId, partnerId: partner.id, active: true })).toEqual({
        changed: true,
      });
      expect((await probe()).status).toBe(404);
      const events = await p.auditEvent.findMany({
        where: { type: "partner.status_changed" },
        orderBy: { seq: "asc" },
      });
      expect(events.map((e) => e.data)).toEqual([
        { partnerId: partner.id, active: false, reason: "契約違反の調査中" },
        { partnerId: partner.id, active: true, reason: null },
      ]);
    } finally {
      await close();
    }
  });

  it("a suspended partner's pending invitation stops working", async () => {
    const p = db().prisma;
    const out = await registerPartner(
      p,
      {
        staffId: officerId,
        slug: "yuhi-bus",
        name: "夕日バス株式会社",
        nameEn: "Yuhi Bus",
        kind: "BUS_OPERATOR",
        corporateNumber: `${corporateNumberCheckDigit("011101099999")}011101099999`,
        ownerName: "夕日 次郎",
        ownerEmail: "owner@yuhi.example.jp",
      },
      { portalOrigin: PORTAL },
    );
    await setPartnerActive(p, {
      staffId: officerId,
      partnerId: out.partnerId,
      active: false,
      reason: "登録内容の確認",
    });
    const token = out.invitationUrl.split("/").at(-1)!;
    await expect(acceptPartnerInvitation(p, { token, password: "yuhi-owner-password" })).rejects.toMatchObject({
      code: "PARTNER_INVITATION_INVALID",
    });
    expect(await p.partnerRegistration.findUniqueOrThrow({ where: { partnerId: out.partnerId } })).toMatchObject({
      suspendedReason: "登録内容の確認",
    });
  });
});

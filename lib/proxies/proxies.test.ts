import { beforeAll, describe, expect, it } from "vitest";
import { seedPartner, seedResident } from "@/prisma/seed/factories";
import { listAccessLog } from "../audit/list-access-log";
import { deliverDocument } from "../mailbox/deliver-document";
import { linkPartner } from "../mailbox/link-partner";
import { listDocuments } from "../mailbox/list-documents";
import {
  createTestPartnerCa,
  issueOrgSigner,
  lifeInsurancePayload,
  noticePayload,
  signPayload,
  type TOrgSigner,
} from "../../test/mailbox/mailbox-world";
import { useTestDatabase } from "../../test/db";
import { archiveProxyDocument } from "./archive-proxy-document";
import { verifyCms } from "@/lib/jpki";
import { sha256Hex } from "@/lib/crypto/sha256";
import { canonicalJsonBytes } from "@/lib/mailbox/canonical-json";
import { renderDocumentPdf } from "@/lib/mailbox/render-pdf";
import { signedBundleOfDetail } from "@/lib/mailbox/signed-bundle";
import { processNotificationOutbox } from "@/lib/notifications/process-notification-outbox";
import { setNotificationPreference } from "@/lib/notifications/set-notification-preference";
import { smtpTransport, startSmtp } from "@/test/notifications/smtp-server";
import { getProxyDocumentOrThrow } from "./get-proxy-document";
import { grantProxy } from "./grant-proxy";
import { listProxyDocuments } from "./list-proxy-documents";
import { listProxyGrants } from "./list-proxy-grants";
import { listProxyPrincipals } from "./list-proxy-principals";
import { revokeProxyGrant } from "./revoke-proxy-grant";
import { setProxyProtection } from "./set-proxy-protection";

type TPerson = { id: string; registryNumber: string; dateOfBirth: Date };
const dob = (r: TPerson) => r.dateOfBirth.toISOString().slice(0, 10);
const day = (d: Date) => new Date(d.getTime() + 9 * 3_600_000).toISOString().slice(0, 10);

describe("proxies: authorization matrix (lib/proxies)", () => {
  const db = useTestDatabase();
  let trust: Uint8Array[];
  let sakuraSigner: TOrgSigner;
  let townSigner: TOrgSigner;
  let sakura: { id: string; slug: string; name: string };
  let town: { id: string; slug: string; name: string };
  /** Principal with an insurance document and a notice. */
  let principal: TPerson;
  /** Another resident with documents of their own. */
  let stranger: TPerson;
  let proxy: TPerson;
  let principalInsuranceDoc: string;
  let principalNoticeDoc: string;
  let strangerNoticeDoc: string;
  const ctx = { channel: "pc" as const };

  const deliverNotice = async (to: TPerson, title: string) => {
    const payload = noticePayload(title);
    const r = await deliverDocument(db().prisma, {
      partnerId: town.id,
      request: {
        type: "notice",
        recipient: { registryNumber: to.registryNumber },
        payload,
        signature: await signPayload(townSigner, payload),
      },
      trustAnchors: trust,
    });
    return r.receipt.id;
  };

  beforeAll(async () => {
    const p = db().prisma;
    const ca = await createTestPartnerCa();
    trust = [ca.certificate];
    sakura = await seedPartner(p, { slug: "sakura-life", name: "さくら生命保険株式会社", kind: "LIFE_INSURER" });
    town = await seedPartner(p, { slug: "ichimai-town", name: "一枚町役場", kind: "GOVERNMENT" });
    [sakuraSigner, townSigner] = await Promise.all([issueOrgSigner(ca, sakura), issueOrgSigner(ca, town)]);
    principal = await seedResident(p);
    stranger = await seedResident(p);
    proxy = await seedResident(p);
    await linkPartner(p, { residentId: principal.id, partnerId: sakura.id, partnerRef: "POL-P" });
    const payload = lifeInsurancePayload();
    principalInsuranceDoc = (
      await deliverDocument(p, {
        partnerId: sakura.id,
        request: {
          type: "life-insurance-deduction-certificate",
          recipient: { partnerRef: "POL-P" },
          payload,
          signature: await signPayload(sakuraSigner, payload),
        },
        trustAnchors: trust,
      })
    ).receipt.id;
    principalNoticeDoc = await deliverNotice(principal, "健康診断のお知らせ");
    strangerNoticeDoc = await deliverNotice(stranger, "他人のお知らせ");
  });

  it("[PROXY][GRANT]: finds the proxy only by registry number AND date of birth; refuses self, bad dates; audited", async () => {
    const p = db().prisma;
    const now = new Date("2026-11-25T03:00:00Z");
    const input = {
      registryNumber: proxy.registryNumber,
      dateOfBirth: dob(proxy),
      access: "READ" as const,
      domains: ["notice" as const],
      endsOn: "2026-12-31",
    };
    const audit = await p.auditEvent.count();
    await expect(
      grantProxy(p, { principalId: principal.id, input: { ...input, dateOfBirth: "1900-01-01" }, now, ...ctx }),
    ).rejects.toMatchObject({ code: "PROXY_CANDIDATE_NOT_FOUND" });
    await expect(
      grantProxy(p, { principalId: principal.id, input: { ...input, registryNumber: "0000-NOPE" }, now, ...ctx }),
    ).rejects.toMatchObject({ code: "PROXY_CANDIDATE_NOT_FOUND" });
    await expect(
      grantProxy(p, {
        principalId: principal.id,
        input: { ...input, registryNumber: principal.registryNumber, dateOfBirth: dob(principal) },
        now,
        ...ctx,
      }),
    ).rejects.toMatchObject({ code: "PROXY_SELF_GRANT" });
    for (const endsOn of ["2026-11-24", "2035-01-01"]) {
      await expect(
        grantProxy(p, { principalId: principal.id, input: { ...input, endsOn }, now, ...ctx }),
      ).rejects.toMatchObject({
        code: "VALIDATION_FAILED",
      });
    }
    await expect(
      grantProxy(p, { principalId: principal.id, input: { ...input, domains: [] }, now, ...ctx }),
    ).rejects.toMatchObject({ code: "VALIDATION_FAILED" });
    expect(await p.auditEvent.count()).toBe(audit);
    expect(await p.proxyGrant.count()).toBe(0);

    const { grantId } = await grantProxy(p, { principalId: principal.id, input, now, ...ctx });
    const grant = await p.proxyGrant.findUniqueOrThrow({ where: { id: grantId } });
    // Works through 2026-12-31 in Japan: it stops at 2027-01-01 00:00 JST.
    expect(grant.endsAt.toISOString()).toBe("2026-12-31T15:00:00.000Z");
    expect(grant).toMatchObject({ proxyId: proxy.id, access: "READ", domains: ["notice"] });
    const event = await p.auditEvent.findFirstOrThrow({ where: { type: "proxy.granted" } });
    expect(event).toMatchObject({ actorType: "resident", actorId: principal.id, subjectResidentId: principal.id });
    await revokeProxyGrant(p, { principalId: principal.id, grantId, ...ctx });
  });

  it("the owner's inbox and the proxy's view of it accept and refuse the same cursors", async () => {
    const p = db().prisma;
    const { grantId } = await grantProxy(p, {
      principalId: principal.id,
      input: {
        registryNumber: proxy.registryNumber,
        dateOfBirth: dob(proxy),
        access: "READ",
        domains: ["notice"],
        endsOn: day(new Date(Date.now() + 3 * 86_400_000)),
      },
      ...ctx,
    });
    const owner = (cursor: string) => listDocuments(p, { residentId: principal.id, filter: {}, cursor, ...ctx });
    const viaProxy = (cursor: string) =>
      listProxyDocuments(p, { proxyId: proxy.id, principalId: principal.id, cursor, ...ctx });
    const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64url");
    const id = "0b9c7f2e-4a51-4f7e-9d55-3a0e1c2b7d11";
    const refused = [
      "bm9wZQ",
      b64(`2026-10-01T01:00:00.000Z|x`),
      b64(`2026-10-01T01:00:00.000Z|${id.toUpperCase()}`),
      b64(`2026-10-01|${id}`),
      b64(`2026-10-01T01:00:00.000Z|${id}|more`),
      `${b64(`2026-10-01T01:00:00.000Z|${id}`)}=`,
      "x".repeat(201),
    ];
    for (const cursor of refused) {
      await expect(owner(cursor), cursor).rejects.toMatchObject({ code: "VALIDATION_FAILED" });
      await expect(viaProxy(cursor), cursor).rejects.toMatchObject({ code: "VALIDATION_FAILED" });
    }
    // A cursor either list issues is one the other takes.
    const issued = b64(`2026-10-01T01:00:00.000Z|${id}`);
    await expect(owner(issued)).resolves.toMatchObject({ items: expect.any(Array) });
    await expect(viaProxy(issued)).resolves.toMatchObject({ items: expect.any(Array) });
    await revokeProxyGrant(p, { principalId: principal.id, grantId, ...ctx });
  });

  it("[PROXY][SCOPE]: a proxy sees only the granted domains, and only until the end date", async () => {
    const p = db().prisma;
    const now = new Date();
    const { grantId } = await grantProxy(p, {
      principalId: principal.id,
      input: {
        registryNumber: proxy.registryNumber,
        dateOfBirth: dob(proxy),
        access: "READ",
        domains: ["notice"],
        endsOn: day(new Date(now.getTime() + 3 * 86_400_000)),
      },
      now,
      ...ctx,
    });
    const list = await listProxyDocuments(p, { proxyId: proxy.id, principalId: principal.id, ...ctx });
    expect(list.items.map((i) => i.id)).toEqual([principalNoticeDoc]);
    expect(list.domains).toEqual(["notice"]);
    expect(list.canAct).toBe(false);
    const doc = await getProxyDocumentOrThrow(p, {
      proxyId: proxy.id,
      principalId: principal.id,
      documentId: principalNoticeDoc,
      ...ctx,
    });
    expect(doc.subject.ja).toContain("健康診断");
    expect(doc.fields.ja.length).toBeGreaterThan(0);
    // The principal's unread mark stays theirs.
    expect((await p.mailboxDocument.findUniqueOrThrow({ where: { id: principalNoticeDoc } })).readAt).toBeNull();
    // Outside the scope, or another resident's document: NOT_FOUND, like a missing one.
    for (const documentId of [principalInsuranceDoc, strangerNoticeDoc, "00000000-0000-4000-8000-000000000000", "x"]) {
      await expect(
        getProxyDocumentOrThrow(p, { proxyId: proxy.id, principalId: principal.id, documentId, ...ctx }),
      ).rejects.toMatchObject({ code: "NOT_FOUND" });
    }
    // A read grant cannot act.
    await expect(
      archiveProxyDocument(p, {
        proxyId: proxy.id,
        principalId: principal.id,
        documentId: principalNoticeDoc,
        archived: true,
        ...ctx,
      }),
    ).rejects.toMatchObject({ code: "PROXY_READ_ONLY" });
    // Four days later the grant has ended.
    const later = new Date(now.getTime() + 4 * 86_400_000);
    await expect(
      listProxyDocuments(p, { proxyId: proxy.id, principalId: principal.id, now: later, ...ctx }),
    ).rejects.toMatchObject({ code: "PROXY_NOT_AUTHORIZED" });
    await expect(
      getProxyDocumentOrThrow(p, {
        proxyId: proxy.id,
        principalId: principal.id,
        documentId: principalNoticeDoc,
        now: later,
        ...ctx,
      }),
    ).rejects.toMatchObject({ code: "PROXY_NOT_AUTHORIZED" });
    expect(await listProxyPrincipals(p, { proxyId: proxy.id, now: later })).toEqual([]);
    expect(
      (await listProxyGrants(p, { principalId: principal.id, now: later, ...ctx })).grants.find(
        (g) => g.grantId === grantId,
      )?.status,
    ).toBe("expired");
    await revokeProxyGrant(p, { principalId: principal.id, grantId, ...ctx });
  });

  it("[PROXY][DOWNLOAD]: a proxy downloads the signed original (JSON) and the PDF within its scope; audited, principal notified", async () => {
    const p = db().prisma;
    const { grantId } = await grantProxy(p, {
      principalId: principal.id,
      input: {
        registryNumber: proxy.registryNumber,
        dateOfBirth: dob(proxy),
        access: "READ",
        domains: ["notice"],
        endsOn: day(new Date(Date.now() + 30 * 86_400_000)),
      },
      ...ctx,
    });
    await p.proxyNotice.deleteMany({});
    const doc = await getProxyDocumentOrThrow(p, {
      proxyId: proxy.id,
      principalId: principal.id,
      documentId: principalNoticeDoc,
      purpose: "download",
      format: "pdf",
      ...ctx,
    });
    // The original as delivered: its signature verifies over the canonical payload.
    const bundle = signedBundleOfDetail(doc);
    const report = await verifyCms({
      signedData: new Uint8Array(Buffer.from(bundle.signature.value, "base64")),
      detachedContent: canonicalJsonBytes(bundle.payload),
      trustAnchors: trust,
    });
    expect(report.valid).toBe(true);
    expect(bundle.payloadHash.value).toBe(sha256Hex(canonicalJsonBytes(bundle.payload)));
    const pdf = await renderDocumentPdf(doc, { locale: "ja" });
    expect(Buffer.from(pdf.subarray(0, 5)).toString("latin1")).toBe("%PDF-");
    const notices = await p.proxyNotice.findMany({ where: { principalId: principal.id } });
    expect(notices).toEqual([expect.objectContaining({ action: "downloaded", documentId: principalNoticeDoc })]);
    const last = await p.auditEvent.findFirstOrThrow({ orderBy: { seq: "desc" } });
    expect(last).toMatchObject({
      type: "document.read",
      actorType: "proxy",
      actorId: proxy.id,
      subjectResidentId: principal.id,
      purpose: "代理人による書類のダウンロード",
      data: expect.objectContaining({ action: "downloaded", format: "pdf", documentId: principalNoticeDoc }),
    });
    // Outside the scope: NOT_FOUND, nothing recorded, nothing notified.
    const before = await p.auditEvent.count();
    await expect(
      getProxyDocumentOrThrow(p, {
        proxyId: proxy.id,
        principalId: principal.id,
        documentId: principalInsuranceDoc,
        purpose: "download",
        ...ctx,
      }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await p.auditEvent.count()).toBe(before);
    expect(await p.proxyNotice.count({ where: { principalId: principal.id } })).toBe(1);
    await revokeProxyGrant(p, { principalId: principal.id, grantId, ...ctx });
  });

  it("[PROXY][MAIL]: proxy actions e-mail the principal through the outbox (kind of action and who, never the document); their choice applies", async () => {
    const p = db().prisma;
    const smtp = await startSmtp();
    const send = () =>
      processNotificationOutbox(p, {
        transport: smtpTransport(smtp.port),
        from: "ichimai <no-reply@ichimai.test>",
        portalOrigin: "http://portal.test",
      });
    try {
      await p.resident.update({ where: { id: principal.id }, data: { email: "principal@example.test" } });
      await send(); // earlier tests' queued mails out of the way (and their listings, which coalesce)
      await p.notificationOutbox.deleteMany({ where: { residentId: principal.id } });
      const { grantId } = await grantProxy(p, {
        principalId: principal.id,
        input: {
          registryNumber: proxy.registryNumber,
          dateOfBirth: dob(proxy),
          access: "READ",
          domains: ["notice"],
          endsOn: day(new Date(Date.now() + 30 * 86_400_000)),
        },
        ...ctx,
      });
      const before = smtp.mails.length;
      // Two listings within the hour are one mail; the read is another.
      await listProxyDocuments(p, { proxyId: proxy.id, principalId: principal.id, ...ctx });
      await listProxyDocuments(p, { proxyId: proxy.id, principalId: principal.id, ...ctx });
      await getProxyDocumentOrThrow(p, {
        proxyId: proxy.id,
        principalId: principal.id,
        documentId: principalNoticeDoc,
        ...ctx,
      });
      expect(await send()).toEqual({ sent: 2, skipped: 0, retried: 0, dead: 0 });
      const mails = smtp.mails.slice(before);
      expect(mails.map((m) => (m.to && "text" in m.to ? m.to.text : ""))).toEqual([
        "principal@example.test",
        "principal@example.test",
      ]);
      const proxyRow = await p.resident.findUniqueOrThrow({ where: { id: proxy.id } });
      const proxyName = `${proxyRow.familyName} ${proxyRow.givenName}`;
      expect(mails.map((m) => m.subject)).toEqual([
        `【ichimai】代理人の${proxyName}さんがあなたの書類の一覧を見ました`,
        `【ichimai】代理人の${proxyName}さんがあなたの書類を1件開きました`,
      ]);
      for (const m of mails) {
        const all = `${m.subject}\n${m.text}`;
        for (const secret of ["健康診断", principalNoticeDoc, "お問い合わせ", "notice"])
          expect(all).not.toContain(secret);
        expect(m.text).toContain("http://portal.test/settings/proxies");
      }
      // The principal turns proxy-action mails off: the next action is queued but skipped.
      await setNotificationPreference(p, {
        residentId: principal.id,
        input: { documentType: "proxy-actions", email: false },
        ...ctx,
      });
      await getProxyDocumentOrThrow(p, {
        proxyId: proxy.id,
        principalId: principal.id,
        documentId: principalNoticeDoc,
        purpose: "download",
        ...ctx,
      });
      expect(await send()).toEqual({ sent: 0, skipped: 1, retried: 0, dead: 0 });
      expect(smtp.mails.length).toBe(before + 2);
      await setNotificationPreference(p, {
        residentId: principal.id,
        input: { documentType: "proxy-actions", email: true },
        ...ctx,
      });
      await revokeProxyGrant(p, { principalId: principal.id, grantId, ...ctx });
    } finally {
      await p.resident.update({ where: { id: principal.id }, data: { email: null } });
      await smtp.close();
    }
  });

  it("[PROXY][AUDIT]: every proxy action is audited with actor proxy and notifies the principal", async () => {
    const p = db().prisma;
    const { grantId } = await grantProxy(p, {
      principalId: principal.id,
      input: {
        registryNumber: proxy.registryNumber,
        dateOfBirth: dob(proxy),
        access: "READ_ACT",
        domains: ["insurance", "notice"],
        endsOn: day(new Date(Date.now() + 30 * 86_400_000)),
      },
      ...ctx,
    });
    await p.proxyNotice.deleteMany({});
    const list = await listProxyDocuments(p, { proxyId: proxy.id, principalId: principal.id, ...ctx });
    expect(list.items.map((i) => i.id).sort()).toEqual([principalInsuranceDoc, principalNoticeDoc].sort());
    expect(list.canAct).toBe(true);
    await getProxyDocumentOrThrow(p, {
      proxyId: proxy.id,
      principalId: principal.id,
      documentId: principalInsuranceDoc,
      ...ctx,
    });
    await archiveProxyDocument(p, {
      proxyId: proxy.id,
      principalId: principal.id,
      documentId: principalInsuranceDoc,
      archived: true,
      ...ctx,
    });
    expect(
      (await p.mailboxDocument.findUniqueOrThrow({ where: { id: principalInsuranceDoc } })).archivedAt,
    ).not.toBeNull();
    await archiveProxyDocument(p, {
      proxyId: proxy.id,
      principalId: principal.id,
      documentId: principalInsuranceDoc,
      archived: false,
      ...ctx,
    });

    const overview = await listProxyGrants(p, { principalId: principal.id, ...ctx });
    expect(overview.notices.map((n) => n.action)).toEqual(["restored", "archived", "read", "listed"]);
    expect(overview.notices[0]).toMatchObject({ documentId: principalInsuranceDoc });
    expect(overview.grants.find((g) => g.grantId === grantId)).toMatchObject({ status: "active", access: "READ_ACT" });
    const events = await p.auditEvent.findMany({ where: { actorType: "proxy" }, orderBy: { seq: "asc" } });
    expect(events.slice(-4).map((e) => e.type)).toEqual([
      "document.listed",
      "document.read",
      "document.archived",
      "document.archived",
    ]);
    for (const e of events) expect(e).toMatchObject({ actorId: proxy.id, subjectResidentId: principal.id });
    // The principal's access log names the proxy.
    const log = await listAccessLog(p, { residentId: principal.id, limit: 10 });
    expect(log.items.find((i) => i.type === "document.read")?.actor).toMatchObject({
      type: "proxy",
      isSelf: false,
      label: expect.any(String),
    });
    // The proxy's principals list shows the principal with the union of domains.
    expect(await listProxyPrincipals(p, { proxyId: proxy.id })).toEqual([
      expect.objectContaining({ principalId: principal.id, domains: ["insurance", "notice"], canAct: true }),
    ]);
    await revokeProxyGrant(p, { principalId: principal.id, grantId, ...ctx });
  });

  it("[PROXY][FROZEN]: the protected-person setting stops every grant and new grants; lifting it restores them", async () => {
    const p = db().prisma;
    const { grantId } = await grantProxy(p, {
      principalId: principal.id,
      input: {
        registryNumber: proxy.registryNumber,
        dateOfBirth: dob(proxy),
        access: "READ_ACT",
        domains: ["notice"],
        endsOn: day(new Date(Date.now() + 30 * 86_400_000)),
      },
      ...ctx,
    });
    await setProxyProtection(p, { residentId: principal.id, frozen: true, ...ctx });
    const notices = await p.proxyNotice.count();
    await expect(listProxyDocuments(p, { proxyId: proxy.id, principalId: principal.id, ...ctx })).rejects.toMatchObject(
      { code: "PROXY_NOT_AUTHORIZED" },
    );
    await expect(
      getProxyDocumentOrThrow(p, {
        proxyId: proxy.id,
        principalId: principal.id,
        documentId: principalNoticeDoc,
        ...ctx,
      }),
    ).rejects.toMatchObject({ code: "PROXY_NOT_AUTHORIZED" });
    await expect(
      archiveProxyDocument(p, {
        proxyId: proxy.id,
        principalId: principal.id,
        documentId: principalNoticeDoc,
        archived: true,
        ...ctx,
      }),
    ).rejects.toMatchObject({ code: "PROXY_NOT_AUTHORIZED" });
    await expect(
      grantProxy(p, {
        principalId: principal.id,
        input: {
          registryNumber: proxy.registryNumber,
          dateOfBirth: dob(proxy),
          access: "READ",
          domains: ["tax"],
          endsOn: day(new Date(Date.now() + 86_400_000)),
        },
        ...ctx,
      }),
    ).rejects.toMatchObject({ code: "PROXY_PRINCIPAL_PROTECTED" });
    expect(await listProxyPrincipals(p, { proxyId: proxy.id })).toEqual([]);
    expect(await p.proxyNotice.count()).toBe(notices);
    expect((await listProxyGrants(p, { principalId: principal.id, ...ctx })).frozen).toBe(true);
    expect(
      await p.auditEvent.count({ where: { type: "proxy.protection_changed", subjectResidentId: principal.id } }),
    ).toBe(1);

    await setProxyProtection(p, { residentId: principal.id, frozen: false, ...ctx });
    await expect(
      listProxyDocuments(p, { proxyId: proxy.id, principalId: principal.id, ...ctx }),
    ).resolves.toMatchObject({ domains: ["notice"] });
    await revokeProxyGrant(p, { principalId: principal.id, grantId, ...ctx });
  });

  it("[PROXY][REVOKED]: a revoked grant stops at once; revoking is the principal's only; strangers get stable codes and nothing", async () => {
    const p = db().prisma;
    const { grantId } = await grantProxy(p, {
      principalId: principal.id,
      input: {
        registryNumber: proxy.registryNumber,
        dateOfBirth: dob(proxy),
        access: "READ_ACT",
        domains: ["notice", "insurance"],
        endsOn: day(new Date(Date.now() + 30 * 86_400_000)),
      },
      ...ctx,
    });
    // Neither the proxy nor a stranger can revoke it.
    for (const who of [proxy.id, stranger.id]) {
      await expect(revokeProxyGrant(p, { principalId: who, grantId, ...ctx })).rejects.toMatchObject({
        code: "NOT_FOUND",
      });
    }
    // The proxy has no grant from the stranger, or from themself, or for a made-up id.
    const before = { audit: await p.auditEvent.count(), notices: await p.proxyNotice.count() };
    for (const principalId of [stranger.id, proxy.id, "00000000-0000-4000-8000-000000000000", "../etc"]) {
      await expect(listProxyDocuments(p, { proxyId: proxy.id, principalId, ...ctx })).rejects.toMatchObject({
        code: "PROXY_NOT_AUTHORIZED",
      });
      await expect(
        getProxyDocumentOrThrow(p, { proxyId: proxy.id, principalId, documentId: strangerNoticeDoc, ...ctx }),
      ).rejects.toMatchObject({ code: "PROXY_NOT_AUTHORIZED" });
    }
    // The stranger is nobody's proxy: the principal's documents stay closed to them.
    await expect(
      getProxyDocumentOrThrow(p, {
        proxyId: stranger.id,
        principalId: principal.id,
        documentId: principalNoticeDoc,
        ...ctx,
      }),
    ).rejects.toMatchObject({ code: "PROXY_NOT_AUTHORIZED" });
    // Asking the principal's mailbox for the stranger's document through a valid grant: NOT_FOUND.
    await expect(
      getProxyDocumentOrThrow(p, {
        proxyId: proxy.id,
        principalId: principal.id,
        documentId: strangerNoticeDoc,
        ...ctx,
      }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(
      archiveProxyDocument(p, {
        proxyId: proxy.id,
        principalId: principal.id,
        documentId: strangerNoticeDoc,
        archived: true,
        ...ctx,
      }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await p.mailboxDocument.findUniqueOrThrow({ where: { id: strangerNoticeDoc } })).archivedAt).toBeNull();
    expect({ audit: await p.auditEvent.count(), notices: await p.proxyNotice.count() }).toEqual(before);

    await revokeProxyGrant(p, { principalId: principal.id, grantId, ...ctx });
    await revokeProxyGrant(p, { principalId: principal.id, grantId, ...ctx });
    expect(
      await p.auditEvent.count({ where: { type: "proxy.revoked", data: { path: ["grantId"], equals: grantId } } }),
    ).toBe(1);
    await expect(listProxyDocuments(p, { proxyId: proxy.id, principalId: principal.id, ...ctx })).rejects.toMatchObject(
      { code: "PROXY_NOT_AUTHORIZED" },
    );
    await expect(
      getProxyDocumentOrThrow(p, {
        proxyId: proxy.id,
        principalId: principal.id,
        documentId: principalNoticeDoc,
        ...ctx,
      }),
    ).rejects.toMatchObject({ code: "PROXY_NOT_AUTHORIZED" });
    const err = await listProxyDocuments(p, { proxyId: proxy.id, principalId: principal.id, ...ctx }).catch(
      (e: unknown) => e,
    );
    expect(JSON.stringify(err)).not.toContain("健康診断");
  });
});

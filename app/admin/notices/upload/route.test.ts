import { NextRequest } from "next/server";
import { beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createPartnerRootCa, issueOrganizationCertificate } from "../../../../jlis-sim/partner-ca/partner-ca";
import { generateRsaKeyPair } from "../../../../jlis-sim/ca/ca";
import { seedPartner, seedResident, seedStaffMember } from "../../../../prisma/seed/factories";
import { useTestDatabase } from "../../../../test/db";
import type { TBulkNoticesContext } from "@/lib/bulk-notices/context";

const session = vi.hoisted(() => ({ requireStaff: vi.fn() }));
const notices = vi.hoisted(() => ({ ctx: undefined as TBulkNoticesContext | undefined }));
vi.mock("@/app/_server/session", () => session);
vi.mock("@/lib/bulk-notices/context", async (original) => ({
  ...(await original<object>()),
  getBulkNoticesContext: async () => notices.ctx,
}));

const { POST } = await import("./route");

const ORIGIN = "http://localhost:3000";

function upload(o: { csv?: string; title?: string; origin?: string; json?: boolean; length?: number }) {
  const form = new FormData();
  form.set("title", o.title ?? "お知らせ");
  form.set("body", "本文");
  if (o.csv !== undefined) form.set("csv", new File([o.csv], "n.csv", { type: "text/csv" }));
  const headers = new Headers({ origin: o.origin ?? ORIGIN });
  if (o.json !== false) headers.set("accept", "application/json");
  const request = new NextRequest(`${ORIGIN}/admin/notices/upload`, { method: "POST", body: form, headers });
  if (o.length !== undefined) request.headers.set("content-length", String(o.length));
  return POST(request);
}

describe("POST /admin/notices/upload", () => {
  const db = useTestDatabase();
  let registryNumber: string;

  beforeAll(async () => {
    const { prisma } = db();
    const now = Date.now();
    const ca = await createPartnerRootCa({
      notBefore: new Date(now - 86_400_000),
      notAfter: new Date(now + 86_400_000),
    });
    const town = await seedPartner(prisma, { slug: "ichimai-town", name: "一枚町役場", kind: "GOVERNMENT" });
    const keys = await generateRsaKeyPair();
    const certificate = await issueOrganizationCertificate({
      ca,
      subjectPublicKey: keys.publicKey,
      serialNumber: 7n,
      organizationName: town.name,
      partnerSlug: town.slug,
      notBefore: new Date(now - 3_600_000),
      notAfter: new Date(now + 86_400_000),
    });
    notices.ctx = {
      prisma,
      issuerTrustAnchors: async () => [ca.certificate],
      townSigner: async () => ({
        partnerSlug: town.slug,
        municipality: "徳島県一枚町",
        certificate,
        privateKey: keys.privateKey,
      }),
    };
    registryNumber = (await seedResident(prisma)).registryNumber;
    const clerk = await seedStaffMember(prisma, { roles: ["CLERK"] });
    session.requireStaff.mockResolvedValue({ staffId: clerk.id, displayName: "職員", roles: ["CLERK"] });
  });
  beforeEach(async () => {
    const { prisma } = db();
    const clerk = await prisma.staffMember.findFirstOrThrow({ where: { roles: { has: "CLERK" } } });
    session.requireStaff.mockResolvedValue({ staffId: clerk.id, displayName: "職員", roles: ["CLERK"] });
  });

  it("registers a batch (201 JSON), answers the same upload with its batch (200), and redirects a form posted without JavaScript", async () => {
    const csv = `registryNumber\n${registryNumber}\n`;
    const first = await upload({ csv });
    expect(first.status).toBe(201);
    const body = (await first.json()) as { batchId: string; existing: boolean };
    expect(body.existing).toBe(false);
    const again = await upload({ csv });
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ batchId: body.batchId, existing: true });
    const plain = await upload({ csv, json: false });
    expect(plain.status).toBe(303);
    expect(plain.headers.get("location")).toBe(`/admin/notices?batch=${body.batchId}&existing=1`);
  });

  it("refuses another origin, a missing file, an oversized body and staff without a sending role, each with its code", async () => {
    const code = async (res: Response) => [res.status, ((await res.json()) as { error: { code: string } }).error.code];
    expect(await code(await upload({ csv: "registryNumber\nA-1\n", origin: "https://evil.example" }))).toEqual([
      401,
      "ORIGIN_MISMATCH",
    ]);
    expect(await code(await upload({}))).toEqual([422, "VALIDATION_FAILED"]);
    expect(await code(await upload({ csv: "x", length: 3 * 1024 * 1024 }))).toEqual([413, "NOTICE_CSV_TOO_LARGE"]);
    expect(await code(await upload({ csv: "name\nA-1\n" }))).toEqual([422, "NOTICE_CSV_INVALID"]);
    session.requireStaff.mockResolvedValue({ staffId: "x", displayName: "監査", roles: ["AUDITOR"] });
    expect(await code(await upload({ csv: "registryNumber\nA-1\n" }))).toEqual([403, "FORBIDDEN"]);
    session.requireStaff.mockResolvedValue(null);
    expect(await code(await upload({ csv: "registryNumber\nA-1\n" }))).toEqual([401, "UNAUTHENTICATED"]);
  });
});

import { beforeEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { AppError } from "@/lib/errors/app-error";
import { ZSafeText } from "@/lib/http/safe-text";

const session = vi.hoisted(() => ({
  requireResident: vi.fn(),
  requireCardResident: vi.fn(),
  requireStaff: vi.fn(),
  requirePartner: vi.fn(),
}));
const revalidatePath = vi.hoisted(() => vi.fn());
const assertPartnerRole = vi.hoisted(() => vi.fn());
const redirect = vi.hoisted(() =>
  vi.fn((to: string) => {
    throw new Error(`NEXT_REDIRECT ${to}`);
  }),
);

vi.mock("./session", () => session);
vi.mock("next/cache", () => ({ revalidatePath }));
vi.mock("next/navigation", () => ({ redirect }));
vi.mock("next/headers", () => ({
  headers: async () => new Headers({ "user-agent": "Mozilla/5.0 (iPhone)", "x-forwarded-for": "192.0.2.7" }),
}));
vi.mock("@/lib/db/client", () => ({ getDb: async () => ({}) }));
vi.mock("@/lib/partners/partner-roles", () => ({ assertPartnerRole }));

const { anonymousAction, formRefusal, partnerConsoleAction, residentAction, residentOrLogin, staffAction } =
  await import("./action");

const RESIDENT = { residentId: "r1", displayName: "一枚 花子", assurance: "card", authTime: Date.now() };
const PARTNER = {
  partnerId: "p1",
  partnerUserId: "u1",
  role: "DEVELOPER",
  displayName: "dev",
  partnerName: "x",
  partnerNameEn: "x",
  approvedScopes: [],
};

describe("server action wrappers", () => {
  beforeEach(() => {
    vi.clearAllMocks();
    session.requireResident.mockResolvedValue(RESIDENT);
    session.requireCardResident.mockResolvedValue(null);
    session.requirePartner.mockResolvedValue(PARTNER);
    session.requireStaff.mockResolvedValue(null);
  });

  it("answers UNAUTHENTICATED without the person (stepUp asks for a fresh card login) and never runs the body", async () => {
    const body = vi.fn();
    const state = await residentAction(body, { stepUp: true });
    expect(state).toMatchObject({ ok: false, code: "UNAUTHENTICATED" });
    expect(state.at).toBeTypeOf("number");
    expect(await staffAction(body)).toMatchObject({ ok: false, code: "UNAUTHENTICATED" });
    expect(body).not.toHaveBeenCalled();
  });

  it("gives the body the resident with the channel and request metadata, and revalidates after it returned", async () => {
    const state = await residentAction(
      async (r) => {
        expect(r.resident.residentId).toBe("r1");
        expect(r.channel).toBe("phone");
        return { ok: true, subject: r.requestMetadata.userAgent ?? "" };
      },
      { revalidate: "/settings/proxies" },
    );
    expect(state).toMatchObject({ ok: true, subject: "Mozilla/5.0 (iPhone)" });
    expect(revalidatePath).toHaveBeenCalledWith("/settings/proxies");
  });

  it("turns an AppError into its code (with the field errors of that code) and a zod failure into VALIDATION_FAILED, without revalidating", async () => {
    const taken = await partnerConsoleAction(
      async () => {
        throw new AppError("PARTNER_USER_EMAIL_TAKEN");
      },
      {
        revalidate: "/partner/users",
        fieldErrorsOf: (e) => (e.code === "PARTNER_USER_EMAIL_TAKEN" ? { email: "emailTaken" } : undefined),
      },
    );
    expect(taken).toMatchObject({ ok: false, code: "PARTNER_USER_EMAIL_TAKEN", fieldErrors: { email: "emailTaken" } });
    const invalid = await partnerConsoleAction(async () => ({ ok: true, subject: z.uuid().parse("nope") }));
    expect(invalid).toMatchObject({ ok: false, code: "VALIDATION_FAILED" });
    expect(invalid.fieldErrors).toBeUndefined();
    expect(revalidatePath).not.toHaveBeenCalled();
  });

  it("checks the partner user's role before the body and rethrows what is not an AppError", async () => {
    assertPartnerRole.mockRejectedValueOnce(new AppError("PARTNER_ROLE_FORBIDDEN"));
    const body = vi.fn();
    expect(await partnerConsoleAction(body, { role: "user.manage" })).toMatchObject({
      ok: false,
      code: "PARTNER_ROLE_FORBIDDEN",
    });
    expect(body).not.toHaveBeenCalled();
    expect(assertPartnerRole.mock.calls[0]?.[1]).toMatchObject({
      partnerId: "p1",
      partnerUser: { id: "u1", role: "DEVELOPER" },
      action: "user.manage",
    });
    await expect(
      partnerConsoleAction(async () => {
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
  });

  it("refuses a staff member without one of the required roles", async () => {
    session.requireStaff.mockResolvedValue({ staffId: "s1", displayName: "職員", roles: ["CLERK"] });
    expect(await staffAction(async () => ({ ok: true }), { roles: ["ADMIN"] })).toMatchObject({ code: "FORBIDDEN" });
    expect(await staffAction(async ({ staff }) => ({ ok: true, subject: staff.staffId }))).toMatchObject({
      ok: true,
      subject: "s1",
    });
  });

  it("sends a form action without the resident to the login page it names", async () => {
    session.requireResident.mockResolvedValue(null);
    await expect(residentOrLogin({ login: "/login?next=/settings/notifications" })).rejects.toThrow(
      "NEXT_REDIRECT /login?next=/settings/notifications",
    );
    session.requireResident.mockResolvedValue(RESIDENT);
    expect((await residentOrLogin()).resident.residentId).toBe("r1");
  });

  it("formRefusal: a form's own field check answers TEXT_CHARACTER_FORBIDDEN naming the field for a NUL, else VALIDATION_FAILED", () => {
    const schema = z.object({ displayName: ZSafeText.min(1, "displayNameRequired") });
    const nul = schema.safeParse({ displayName: "a\u0000b" }).error;
    expect(formRefusal({ displayName: "invalid" }, nul)).toEqual({
      ok: false,
      code: "TEXT_CHARACTER_FORBIDDEN",
      message: "displayName",
      fieldErrors: { displayName: "invalid" },
    });
    const empty = schema.safeParse({ displayName: "" }).error;
    expect(formRefusal({ displayName: "displayNameRequired" }, empty)).toEqual({
      ok: false,
      code: "VALIDATION_FAILED",
      fieldErrors: { displayName: "displayNameRequired" },
    });
    expect(formRefusal({ confirmPassword: "passwordMismatch" })).toMatchObject({ code: "VALIDATION_FAILED" });
  });
  it("anonymousAction reads no session, gives the body the request metadata and answers an AppError by its code", async () => {
    const ok = await anonymousAction(async ({ requestMetadata }) => ({ ok: true, subject: requestMetadata.ip }));
    expect(ok).toMatchObject({ ok: true, subject: "192.0.2.7" });
    const refused = await anonymousAction(async () => {
      throw new AppError("PARTNER_INVITATION_INVALID");
    });
    expect(refused).toMatchObject({ ok: false, code: "PARTNER_INVITATION_INVALID" });
    for (const fn of Object.values(session)) expect(fn).not.toHaveBeenCalled();
  });
});

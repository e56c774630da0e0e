import { beforeEach, describe, expect, it, vi } from "vitest";
import { AppError } from "@/lib/errors/app-error";

const requireResident = vi.hoisted(() => vi.fn());
vi.mock("./session", async (importOriginal) => ({ ...(await importOriginal<object>()), requireResident }));
vi.mock("next-intl/server", () => ({
  getTranslations: async (ns?: string) => (key: string) => `${ns}.${key}`,
  getLocale: async () => "fr",
}));
vi.mock("next/headers", () => ({ headers: async () => new Headers({ "user-agent": "Mozilla/5.0 (Android)" }) }));
vi.mock("next-auth", () => ({ getServerSession: vi.fn() }));

const { orRefusal, residentPage, tvPage } = await import("./page-context");
const { STEP_UP_MAX_AGE_MS } = await import("./session");

describe("page context", () => {
  beforeEach(() => requireResident.mockReset());

  it("gives a resident page its translator, locale (ja for an unknown one), resident, fresh card login and channel", async () => {
    const resident = { residentId: "r1", displayName: "x", assurance: "card", authTime: Date.now() };
    requireResident.mockResolvedValue(resident);
    const page = await residentPage("mailbox");
    expect(page.t("title")).toBe("mailbox.title");
    expect(page).toMatchObject({ locale: "ja", resident, card: resident, channel: "phone" });

    const stale = { ...resident, authTime: Date.now() - STEP_UP_MAX_AGE_MS - 1000 };
    requireResident.mockResolvedValue(stale);
    expect(await residentPage("mailbox")).toMatchObject({ resident: stale, card: null });
    requireResident.mockResolvedValue({ ...resident, assurance: "passkey" });
    expect((await residentPage()).card).toBeNull();
  });

  it("gives a TV page the resident page's context with every audit row on channel tv", async () => {
    const resident = { residentId: "r1", displayName: "x", assurance: "card", authTime: Date.now() };
    requireResident.mockResolvedValue(resident);
    const page = await tvPage();
    expect(page.t("title")).toBe("tv.title");
    expect(page).toMatchObject({ resident, channel: "tv" });
    requireResident.mockResolvedValue(null);
    expect(await tvPage()).toMatchObject({ resident: null, channel: "tv" });
  });

  it("turns the listed refusals into their code and throws the rest", async () => {
    expect(await orRefusal(Promise.resolve(1), ["NOT_FOUND"])).toEqual([1, null]);
    expect(await orRefusal(Promise.reject(new AppError("NOT_FOUND")), ["NOT_FOUND"])).toEqual([null, "NOT_FOUND"]);
    await expect(orRefusal(Promise.reject(new AppError("FORBIDDEN")), ["NOT_FOUND"])).rejects.toThrow(AppError);
  });
});

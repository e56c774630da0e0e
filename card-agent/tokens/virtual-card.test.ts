import { mkdtempSync, promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { webcrypto } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { AppError } from "../../lib/errors/app-error";
import { makeCardFixture, type TCardFixture } from "../test/card-fixture";
import { SoftBackend } from "./soft-backend";
import { isPinFormatValid, resetPinTries, VIRTUAL_CARD_FORMAT, VirtualCard, writeVirtualCard } from "./virtual-card";

let fx: TCardFixture;
const dir = mkdtempSync(path.join(os.tmpdir(), "ichimai-vcard-"));
const data = new TextEncoder().encode("hash(origin) || hash(nonce)");

async function write(name: string, authPin = "1234", signPin = "ABC123") {
  const file = path.join(dir, name);
  await writeVirtualCard(file, {
    label: "JPKIAPICCTOKEN2",
    tokenType: "card",
    displayName: "Test Taro",
    auth: { ...fx.auth, pin: authPin },
    sign: { ...fx.sign, pin: signPin },
  });
  return file;
}

beforeAll(async () => {
  fx = await makeCardFixture();
});

describe("PIN formats (docs/jpki.md#pins-and-lock-counts)", () => {
  it.each([
    ["auth", "1234", true],
    ["auth", "123", false],
    ["auth", "12345", false],
    ["auth", "12a4", false],
    ["sign", "ABC123", true],
    ["sign", "A1A1A1A1A1A1A1A1", true],
    ["sign", "A1A1A1A1A1A1A1A1A", false],
    ["sign", "ABCDEF", false],
    ["sign", "123456", false],
    ["sign", "abc123", false],
    ["sign", "AB12", false],
  ] as const)("%s PIN %s → %s", (slot, pin, ok) => {
    expect(isPinFormatValid(slot, pin)).toBe(ok);
  });

  it("writeVirtualCard refuses a bad PIN with PIN_FORMAT_INVALID", async () => {
    await expect(write("bad-auth.json", "12345")).rejects.toMatchObject({ code: "PIN_FORMAT_INVALID" });
    await expect(write("bad-sign.json", "1234", "abcdef1")).rejects.toMatchObject({ code: "PIN_FORMAT_INVALID" });
  });

  it("refuses a key that does not match its certificate, and a label of another token type", async () => {
    const file = path.join(dir, "mismatch.json");
    await expect(
      writeVirtualCard(file, {
        label: "JPKIAPICCTOKEN2",
        tokenType: "card",
        auth: { ...fx.auth, privateKey: fx.sign.privateKey, pin: "1234" },
      }),
    ).rejects.toMatchObject({ code: "VIRTUAL_CARD_INVALID" });
    await expect(
      writeVirtualCard(file, { label: "JPKIAPICCTOKEN2", tokenType: "android", auth: { ...fx.auth, pin: "1234" } }),
    ).rejects.toBeInstanceOf(AppError);
  });
});

describe("VirtualCard", () => {
  it("stores no key in the clear and reads the auth certificate without a PIN", async () => {
    const file = await write("a.json");
    const text = await fs.readFile(file, "utf8");
    expect(JSON.parse(text).format).toBe(VIRTUAL_CARD_FORMAT);
    const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey("pkcs8", fx.auth.privateKey)).toString("base64");
    expect(text).not.toContain(pkcs8.slice(40, 100));
    // The sign certificate is sealed, as EF 0001 needs the signing PIN.
    expect(text).not.toContain(Buffer.from(fx.sign.certificate).toString("base64").slice(0, 200));
    const card = await VirtualCard.open(file);
    expect(card.label).toBe("JPKIAPICCTOKEN2");
    expect(card.tokenType).toBe("card");
    expect(card.displayName).toBe("Test Taro");
    expect(Buffer.from(card.authCertificate())).toEqual(Buffer.from(fx.auth.certificate));
    expect(() => card.signCertificate()).toThrow(AppError);
    await expect(card.sign("auth", data, "SHA-256")).rejects.toMatchObject({ code: "PIN_NOT_VERIFIED" });
  });

  it("signs after the right PIN with a signature that verifies, and not after logout", async () => {
    const card = await VirtualCard.open(await write("b.json"));
    expect(await card.verifyPin("auth", "1234")).toEqual({ ok: true });
    const sig = await card.sign("auth", data, "SHA-256");
    expect(await webcrypto.subtle.verify("RSASSA-PKCS1-v1_5", fx.auth.publicKey, sig, data)).toBe(true);
    expect(await webcrypto.subtle.verify("RSASSA-PKCS1-v1_5", fx.sign.publicKey, sig, data)).toBe(false);
    card.logout("auth");
    await expect(card.sign("auth", data, "SHA-256")).rejects.toMatchObject({ code: "PIN_NOT_VERIFIED" });
    expect(await card.verifyPin("sign", "ABC123")).toEqual({ ok: true });
    expect(Buffer.from(card.signCertificate())).toEqual(Buffer.from(fx.sign.certificate));
  });

  it("counts wrong auth PINs, resets on success, locks at 0 and persists the counter", async () => {
    const file = await write("c.json");
    const card = await VirtualCard.open(file);
    expect(await card.verifyPin("auth", "0000")).toEqual({ ok: false, triesLeft: 2, locked: false });
    expect(await card.verifyPin("auth", "1234")).toEqual({ ok: true });
    expect(card.triesLeft("auth")).toBe(3);
    expect(await card.verifyPin("auth", "0000")).toEqual({ ok: false, triesLeft: 2, locked: false });
    // A second process sees the counter in the file.
    expect((await VirtualCard.open(file)).triesLeft("auth")).toBe(2);
    expect(await card.verifyPin("auth", "0001")).toEqual({ ok: false, triesLeft: 1, locked: false });
    expect(await card.verifyPin("auth", "0002")).toEqual({ ok: false, triesLeft: 0, locked: true });
    expect(await card.verifyPin("auth", "1234")).toEqual({ ok: false, triesLeft: 0, locked: true });
    const again = await VirtualCard.open(file);
    expect(await again.verifyPin("auth", "1234")).toEqual({ ok: false, triesLeft: 0, locked: true });
    // The sign slot has its own counter of 5.
    expect(again.triesLeft("sign")).toBe(5);
    expect(await again.verifyPin("sign", "XYZ999")).toEqual({ ok: false, triesLeft: 4, locked: false });
    expect((await fs.readdir(dir)).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("a PIN reset at the counter (resetPinTries on the file) reaches a card the agent keeps open: its token's PIN status and the right PIN work again", async () => {
    const cardsDir = path.join(dir, "agent-cards");
    await fs.mkdir(cardsDir, { recursive: true });
    const file = path.join(cardsDir, "locked.json");
    await fs.copyFile(await write("locked-src.json"), file);
    const backend = new SoftBackend(cardsDir);
    const auth = (await backend.scan()).find((t) => t.pinSlot === "auth");
    expect(auth).toBeDefined();
    for (let i = 0; i < 3; i++) await auth!.login("0000");
    expect(await auth!.pinStatus()).toEqual({ triesLeft: 0, maxTries: 3 });
    expect(await resetPinTries(file, "auth")).toEqual({ before: 0, after: 3 });
    expect(await auth!.pinStatus()).toEqual({ triesLeft: 3, maxTries: 3 });
    expect(await auth!.login("1234")).toEqual({ ok: true });
    await expect(resetPinTries(file, "sign")).resolves.toEqual({ before: 5, after: 5 });
  });

  it("does not spend a try on a malformed PIN, and serialises concurrent checks", async () => {
    const card = await VirtualCard.open(await write("d.json"));
    expect(await card.verifyPin("auth", "12")).toEqual({ ok: false, triesLeft: 3, locked: false });
    const results = await Promise.all([card.verifyPin("auth", "0000"), card.verifyPin("auth", "0001")]);
    expect(results.map((r) => (r.ok ? -1 : r.triesLeft)).sort()).toEqual([1, 2]);
  });

  it("rejects a tampered or foreign file with VIRTUAL_CARD_INVALID", async () => {
    const file = path.join(dir, "junk.json");
    await fs.writeFile(file, JSON.stringify({ format: "something-else" }));
    await expect(VirtualCard.open(file)).rejects.toMatchObject({ code: "VIRTUAL_CARD_INVALID" });
    const good = JSON.parse(await fs.readFile(await write("e.json"), "utf8"));
    const other = JSON.parse(await fs.readFile(await write("f.json"), "utf8"));
    // Same PIN, but the sealed key comes from another card: the AAD binds each blob to its card and slot.
    good.slots.auth.sealedKey = other.slots.auth.sealedKey;
    good.slots.auth.kdf = other.slots.auth.kdf;
    await fs.writeFile(file, JSON.stringify(good));
    const card = await VirtualCard.open(file);
    expect(await card.verifyPin("auth", "1234")).toEqual({ ok: false, triesLeft: 2, locked: false });
    other.slots.auth.sealedKey = good.slots.auth.sealedKey;
    const flipped = Buffer.from(other.slots.sign.sealedKey.data, "base64");
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    other.slots.sign.sealedKey.data = flipped.toString("base64");
    await fs.writeFile(file, JSON.stringify(other));
    expect(await (await VirtualCard.open(file)).verifyPin("sign", "ABC123")).toMatchObject({ ok: false });
  });
});

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { VirtualCard, writeVirtualCard } from "../card-agent/tokens/virtual-card";
import { generateRsaKeyPair } from "./ca/ca";
import { DEMO_MUNICIPALITY, reissueSignOnVirtualCards } from "./demo-cards";
import { SimulatedJlis } from "./jlis";
import { MemoryJlisStore } from "./store";

describe("reissueSignOnVirtualCards (the counter's new signing certificate, simulated)", () => {
  it("writes J-LIS's re-issued signing key onto the holder's card only; the auth slot stays", async () => {
    const pool = await Promise.all(Array.from({ length: 9 }, () => generateRsaKeyPair()));
    let next = 0;
    const jlis = await SimulatedJlis.initialize(new MemoryJlisStore(), {
      keyPool: pool,
      testHierarchy: false,
      generateKeyPair: async () => pool[next++ % pool.length]!,
    });
    const facts = {
      name: "阿波\u3000太郎",
      address: "徳島県一枚町中央一丁目2番3号",
      dateOfBirth: "1980-04-02",
      gender: "male" as const,
    };
    const token = await jlis.issueCard({ residentRef: "r-1", facts, municipality: DEMO_MUNICIPALITY });
    const other = await jlis.issueCard({
      residentRef: "r-2",
      facts: { ...facts, name: "阿波\u3000花子" },
      municipality: DEMO_MUNICIPALITY,
    });
    const dir = await mkdtemp(path.join(tmpdir(), "cards-"));
    try {
      const write = (file: string, t: typeof token, holderRef: string) =>
        writeVirtualCard(path.join(dir, file), {
          label: t.label,
          tokenType: "card",
          holderRef,
          auth: { ...t.auth, pin: "1234" },
          sign: t.sign ? { ...t.sign, pin: "OLDPIN1" } : undefined,
        });
      await write("a.json", token, "r-1");
      await write("b.json", other, "r-2");
      const moved = await jlis.changeFacts({ residentRef: "r-1", facts: { address: "徳島県一枚町栄町二丁目2番地" } });
      const rewritten = await reissueSignOnVirtualCards({
        cardsDir: dir,
        residentRef: "r-1",
        sign: moved.sign!,
        signPin: "NEWPIN2",
      });
      expect(rewritten).toEqual([path.join(dir, "a.json")]);

      const card = await VirtualCard.open(path.join(dir, "a.json"));
      expect(await card.verifyPin("sign", "OLDPIN1")).toMatchObject({ ok: false });
      expect(await card.verifyPin("sign", "NEWPIN2")).toEqual({ ok: true });
      expect(Buffer.from(card.signCertificate()).equals(Buffer.from(moved.sign!.certificate))).toBe(true);
      expect(await card.verifyPin("auth", "1234")).toEqual({ ok: true });
      expect(Buffer.from(card.authCertificate()).equals(Buffer.from(token.auth.certificate))).toBe(true);
      const untouched = await VirtualCard.open(path.join(dir, "b.json"));
      expect(await untouched.verifyPin("sign", "OLDPIN1")).toEqual({ ok: true });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import * as x509 from "@peculiar/x509";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { VirtualCard } from "../card-agent/tokens/virtual-card";
import { canonicalSerial } from "../lib/jpki/serial";
import { runTsxScript, type TScriptRun } from "../test/run-script";

const run = promisify(execFile);
let dir: string;

function jpki(...args: string[]): Promise<TScriptRun> {
  return runTsxScript("scripts/jpki.ts", args, {
    env: { JLIS_DATA_DIR: path.join(dir, "jlis"), CARD_AGENT_CARDS_DIR: path.join(dir, "cards") },
  });
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "jpki-cli-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("npm run jpki", () => {
  let authSerial: string;
  let signSerial: string;

  it("init creates the roots, trust anchors and a verifier; a second init is refused", async () => {
    const init = await jpki("init");
    expect(init.code).toBe(0);
    expect(init.stdout).toContain("root production auth generation 2");
    expect(init.stdout).toContain("root test sign generation 1");
    const anchor = await readFile(path.join(dir, "jlis/ca/production-sign-02.cer"));
    expect(new x509.X509Certificate(new Uint8Array(anchor)).subject).toContain("OU=JPKI for digital signature");
    const again = await jpki("init");
    expect([again.code, again.stderr]).toEqual([1, expect.stringContaining("already initialized")]);
  });

  it("issue writes a virtual card the card agent opens, with the certificates J-LIS recorded", async () => {
    const out = path.join(dir, "cards/taro.json");
    const issued = await jpki(
      "issue",
      "--resident",
      "taro",
      "--name",
      "山田\u3000太郎",
      "--address",
      "東京都清瀬市中里五丁目８４２番地",
      "--dob",
      "1990-01-02",
      "--gender",
      "male",
      "--municipality",
      "13221",
      "--out",
      out,
      "--sign-pin",
      "PASS1234",
      "--consent",
    );
    expect(issued.code).toBe(0);
    authSerial = /auth serial: ([0-9a-f]+)/.exec(issued.stdout)![1]!;
    signSerial = /sign serial: +([0-9a-f]+)/.exec(issued.stdout)![1]!;
    const card = await VirtualCard.open(out);
    expect(canonicalSerial(new x509.X509Certificate(new Uint8Array(card.authCertificate())).serialNumber)).toBe(
      authSerial,
    );
    expect((await card.verifyPin("sign", "PASS1234")).ok).toBe(true);
    expect(new x509.X509Certificate(new Uint8Array(card.signCertificate())).subject).toContain("L=Kiyose-shi");
  });

  it("inspect prints the four facts in Japanese and English", async () => {
    const state = JSON.parse(await readFile(path.join(dir, "jlis/state.json"), "utf8"));
    const file = path.join(dir, "sign.cer");
    await import("node:fs/promises").then((fs) =>
      fs.writeFile(file, Buffer.from(state.certificates[signSerial].certificate, "base64")),
    );
    const { stdout, code } = await jpki("inspect", file);
    expect(code).toBe(0);
    expect(stdout).toContain("種別 / Kind: 署名用電子証明書 / digital signature certificate");
    expect(stdout).toContain("生年月日 / Date of birth: 1990-01-02 (平成2年 / Heisei 2) [419900102]");
    expect(stdout).toContain("発行元ルート / Issuing root: production sign (第2世代 / generation 2)");
  });

  it("change-facts revokes the sign certificate, rewrites the card, and the /jlis route reports it", async () => {
    const moved = await jpki(
      "change-facts",
      "--resident",
      "taro",
      "--address",
      "北海道札幌市中央区",
      "--municipality",
      "01100",
    );
    expect(moved.code).toBe(0);
    expect(moved.stdout).toContain(`revoked sign ${signSerial} (card): affiliationChanged`);
    const card = await VirtualCard.open(path.join(dir, "cards/taro.json"));
    expect((await card.verifyPin("sign", "PASS1234")).ok).toBe(true);
    expect(new x509.X509Certificate(new Uint8Array(card.signCertificate())).subject).toContain("L=Sapporo-shi");

    // The Next route handler over the same data directory, as `npm run dev` serves it.
    process.env.JLIS_DATA_DIR = path.join(dir, "jlis");
    const { GET } = await import("../app/jlis/[...path]/route");
    const creds = JSON.parse(await readFile(path.join(dir, "jlis/verifier-credentials.json"), "utf8"));
    const auth = `Basic ${Buffer.from(`${creds.clientId}:${creds.secret}`).toString("base64")}`;
    const successor = await GET(
      new Request(`http://localhost/jlis/link/successor/${signSerial}`, { headers: { authorization: auth } }),
    );
    expect(await successor.json()).toMatchObject({
      serial: signSerial,
      successor: expect.stringMatching(/^[0-9a-f]+$/),
    });
    const facts = await GET(
      new Request(`http://localhost/jlis/facts/${signSerial}`, { headers: { authorization: auth } }),
    );
    expect(await facts.json()).toMatchObject({
      facts: { address: "北海道札幌市中央区" },
      municipality: { code: "01100" },
    });
    const denied = await GET(new Request(`http://localhost/jlis/crl/sign.crl`));
    expect(denied.status).toBe(401);
  });

  it("bad input fails with a stable code", async () => {
    const r = await jpki("revoke", "--serial", "zz", "--reason", "keyCompromise");
    expect([r.code, r.stderr]).toEqual([1, expect.stringContaining("VALIDATION_FAILED")]);
  });
});

describe("npm run jpki -- issue --softhsm", () => {
  it("also writes the card into two SoftHSM2 tokens holding the J-LIS certificates", async () => {
    const { createSoftHsmConfig } = await import("../card-agent/tokens/softhsm-provision");
    const conf = await createSoftHsmConfig(path.join(dir, "softhsm"));
    const jlisDir = path.join(dir, "jlis-hsm");
    const env = { ...process.env, JLIS_DATA_DIR: jlisDir, SOFTHSM2_CONF: conf };
    await run(process.execPath, ["--import", "tsx", "scripts/jpki.ts", "init", "--no-test-hierarchy"], { env });
    const { stdout } = await run(
      process.execPath,
      [
        "--import",
        "tsx",
        "scripts/jpki.ts",
        "issue",
        "--resident",
        "hanako",
        "--name",
        "阿波\u3000花子",
        "--address",
        "徳島県一枚町中央１丁目１番１号",
        "--dob",
        "1985-03-03",
        "--gender",
        "female",
        "--municipality",
        "36999",
        "--prefecture-romaji",
        "Tokushima-ken",
        "--municipality-romaji",
        "Ichimai-cho",
        "--out",
        path.join(dir, "cards/hanako.json"),
        "--softhsm",
      ],
      { env },
    );
    expect(stdout).toMatch(/SoftHSM2 tokens: auth "JPKI[^"]*"/);
    expect(stdout).toMatch(/sign "JPKI[^"]*"/);
    // Read the tokens back through PKCS#11 in a separate process (the module is per process).
    const probe = `
      const graphene = require("graphene-pk11");
      const mod = graphene.Module.load("/usr/lib/softhsm/libsofthsm2.so");
      mod.initialize();
      const out = [];
      const slots = mod.getSlots(true);
      for (let i = 0; i < slots.length; i++) {
        const slot = slots.items(i);
        if (!(slot.getToken().flags & graphene.TokenFlag.TOKEN_INITIALIZED)) continue;
        const session = slot.open(graphene.SessionFlag.SERIAL_SESSION);
        const certs = session.find({ class: graphene.ObjectClass.CERTIFICATE });
        out.push({ label: slot.getToken().label.trim(), certs: certs.length });
        session.close();
      }
      mod.finalize();
      console.log(JSON.stringify(out));`;
    const listed = await run(process.execPath, ["-e", probe], { env });
    const tokens = JSON.parse(listed.stdout) as { label: string; certs: number }[];
    const initialized = tokens.filter((t) => t.label.startsWith("JPKI"));
    expect(initialized).toHaveLength(2);
    for (const t of initialized) expect(t.certs).toBeGreaterThanOrEqual(1);
  });
});

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readOrganizationIdentity } from "../../lib/jpki/organization-certificate";
import { loadTownSigner } from "../../lib/services/applications/town-signer";
import { useTestDatabase } from "../../test/db";
import { createTestPartnerCa } from "../../test/mailbox/mailbox-world";
import { ensureTownSigner } from "./demo-applications";
import { seedPartner } from "./factories";

describe("demo applications", () => {
  const db = useTestDatabase();

  it("writes the town's signer once: an ichimai-town organisation certificate from the partner CA with its key", async () => {
    const prisma = db().prisma;
    await seedPartner(prisma, { slug: "ichimai-town", name: "一枚町役場", kind: "GOVERNMENT" });
    const partnerCa = await createTestPartnerCa();
    const dir = await mkdtemp(path.join(tmpdir(), "town-signer-"));
    try {
      expect(await ensureTownSigner({ prisma, partnerCa }, dir)).toBe(true);
      expect(await ensureTownSigner({ prisma, partnerCa }, dir)).toBe(false);
      const signer = await loadTownSigner(dir);
      expect(signer).toMatchObject({ partnerSlug: "ichimai-town", municipality: "徳島県一枚町" });
      expect(readOrganizationIdentity(signer.certificate).partnerSlug).toBe("ichimai-town");
      const data = new Uint8Array([1, 2, 3]);
      const sig = await crypto.subtle.sign({ name: "RSASSA-PKCS1-v1_5" }, signer.privateKey, data);
      expect(sig.byteLength).toBe(256);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

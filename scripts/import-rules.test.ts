import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runTsxScript } from "../test/run-script";
import { checkFileImports, domainOf, findDomainCycles, resolveSpecifier } from "./import-rules";

describe("import rules", () => {
  it("resolves the @/ alias and relative paths to the same room", () => {
    expect(resolveSpecifier("@/jlis-sim/jlis", "lib/auth/x.ts").path).toBe("jlis-sim/jlis");
    expect(resolveSpecifier("../../jlis-sim/jlis", "lib/auth/x.ts").path).toBe("jlis-sim/jlis");
    expect(resolveSpecifier("@prisma/client/runtime", "app/x.tsx").pkg).toBe("@prisma/client");
  });

  it.each([
    ["lib/mailbox/a.ts", 'import { openPartnerCa } from "@/jlis-sim/partner-ca/partner-ca";'],
    ["lib/auth/a.ts", 'const m = await import("../../jlis-sim/http/process-jlis");'],
    ["lib/auth/a.ts", 'import { issueDemoCard } from "../../card-agent/tokens/virtual-card";'],
    ["lib/platform/a.ts", 'import { seed } from "../../prisma/seed/demo";'],
    ["lib/platform/a.ts", 'import { world } from "../../test/platform/platform-world";'],
    ["lib/platform/a.ts", 'export * from "../../scripts/sandbox/sandbox";'],
    ["app/(resident)/page.tsx", 'import { createPlatformWorld } from "@/test/platform/platform-world";'],
    ["app/api/v1/x/route.ts", 'import { SimulatedJlis } from "@/jlis-sim/jlis";'],
    ["app/(resident)/mailbox/search.tsx", '"use client";\nimport { getDb } from "@/lib/db/client";'],
    ["app/partner/form.tsx", "'use client'\nimport { env } from '@/lib/env';"],
    ["card-agent/server.ts", 'import { SimulatedJlis } from "../jlis-sim/jlis";'],
    // A route folder never reaches into a sibling route folder.
    ["app/(resident)/settings/proxies/page.tsx", 'import { StepUpNotice } from "../consents/step-up-notice";'],
    ["app/(resident)/settings/access-log/page.tsx", 'import { x } from "../../mailbox/request-context";'],
    ["app/(resident)/layout.tsx", 'import { LogoutButton } from "@/app/(public)/login/logout-button";'],
    ["app/partner/api-docs/page.tsx", 'import { OPERATIONS } from "@/app/api/v1/_lib/openapi";'],
    ["app/api/v1/watches/schema.ts", 'import { PARTNER_AUTH_ERRORS } from "../identity-verifications/schema";'],
    ["app/partner/_lib/parts.tsx", 'import { x } from "@/app/admin/partners/actions";'],
  ])("refuses %s: %s", (file, source) => {
    expect(checkFileImports(file, source)).toHaveLength(1);
  });

  it.each([
    ["lib/mailbox/a.test.ts", 'import { openPartnerCa } from "@/jlis-sim/partner-ca/partner-ca";'],
    ["app/jlis/[...path]/route.ts", 'import { getProcessJlisHandler } from "@/jlis-sim/http/process-jlis";'],
    ["app/(resident)/mailbox/page.tsx", 'import { getDb } from "@/lib/db/client";'],
    ["jlis-sim/jlis.ts", 'import { parseCertificate } from "../lib/jpki/certificate";'],
    ["e2e/fixtures/card-world.ts", 'import { SimulatedJlis } from "../../jlis-sim/jlis";'],
    ["lib/jlis/client.ts", 'import { parseCertificate } from "../jpki/certificate";'],
    // Its own folder and below, the folders above, and private folders on the way up.
    ["app/(resident)/mailbox/page.tsx", 'import { Filters } from "./filters-form";'],
    ["app/(resident)/mailbox/[id]/page.tsx", 'import { parseSearch } from "../search-params";'],
    ["app/(resident)/mailbox/page.tsx", 'import { DocumentData } from "./[id]/document-data";'],
    ["app/(resident)/settings/proxies/page.tsx", 'import { residentPage } from "@/app/_server/page-context";'],
    ["app/(resident)/settings/proxies/page.tsx", 'import { Table } from "../../../_components/ui/table";'],
    ["app/partner/users/actions.ts", 'import { x } from "../_lib/console-form-parts";'],
    ["app/api/v1/watches/route.ts", 'import { withPartner } from "../_lib/with-partner";'],
    ["app/api/v1/_lib/openapi.ts", 'import { listSharesMeta } from "../shares/schema";'],
    ["app/_components/shell/app-shell.tsx", 'import { SkipLink } from "../ui/skip-link";'],
    ["app/layout.tsx", 'import "./globals.css";'],
    ["app/api/card/bind/route.test.ts", 'import { handler } from "../challenge/handler";'],
  ])("allows %s: %s", (file, source) => {
    expect(checkFileImports(file, source)).toEqual([]);
  });

  describe("cycles between lib/ domains", () => {
    const file = (f: string, ...imports: string[]) => ({
      file: f,
      source: imports.map((i) => `import { x } from "${i}";`).join("\n"),
    });

    it("names the domain of a lib/ path", () => {
      expect(domainOf("lib/mailbox/deliver-document.ts")).toBe("mailbox");
      expect(domainOf("lib/env.ts")).toBeUndefined();
      expect(domainOf("app/x/page.tsx")).toBeUndefined();
    });

    it("finds two domains that import each other, with the file of each arrow", () => {
      const cycles = findDomainCycles([
        file("lib/mailbox/deliver-document.ts", "@/lib/notifications/enqueue", "../db/client"),
        file("lib/notifications/compose.ts", "../mailbox/document-types/registry"),
        file("lib/db/client.ts", "./prisma"),
      ]);
      expect(cycles).toEqual([
        {
          domains: ["mailbox", "notifications"],
          arrows: [
            {
              from: "mailbox",
              to: "notifications",
              file: "lib/mailbox/deliver-document.ts",
              specifier: "@/lib/notifications/enqueue",
            },
            {
              from: "notifications",
              to: "mailbox",
              file: "lib/notifications/compose.ts",
              specifier: "../mailbox/document-types/registry",
            },
          ],
        },
      ]);
    });

    it("finds a longer loop (jobs → platform → partners → jobs)", () => {
      const cycles = findDomainCycles([
        file("lib/jobs/a.ts", "../platform/b"),
        file("lib/platform/b.ts", "@/lib/partners/c"),
        file("lib/partners/c.ts", "../jobs/a"),
      ]);
      expect(cycles.map((c) => c.domains)).toEqual([["jobs", "partners", "platform"]]);
    });

    it("leaves out tests, one-way arrows and the views over the composition root (lib/runtime)", () => {
      expect(
        findDomainCycles([
          file("lib/mailbox/a.test.ts", "../notifications/b"),
          file("lib/notifications/b.ts", "../mailbox/a"),
          file("lib/db/client.ts", "../runtime/runtime"),
          file("lib/runtime/runtime.ts", "../db/prisma", "../mailbox/a"),
        ]),
      ).toEqual([]);
    });
  });

  describe("npm run lint:imports", () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(path.join(os.tmpdir(), "import-rules-"));
      await mkdir(path.join(dir, "lib/mailbox"), { recursive: true });
      await mkdir(path.join(dir, "app/x"), { recursive: true });
      await writeFile(path.join(dir, "lib/mailbox/ok.ts"), 'import { z } from "zod";\nexport const a = z;\n');
      await writeFile(
        path.join(dir, "lib/mailbox/trust.ts"),
        'import { openPartnerCa } from "../../jlis-sim/partner-ca/partner-ca";\nexport const b = openPartnerCa;\n',
      );
      await writeFile(path.join(dir, "app/x/form.tsx"), '"use client";\nimport { getDb } from "@/lib/db/client";\n');
      await mkdir(path.join(dir, "lib/notifications"), { recursive: true });
      await writeFile(
        path.join(dir, "lib/mailbox/deliver.ts"),
        'import { q } from "../notifications/queue";\nexport const c = q;\n',
      );
      await writeFile(
        path.join(dir, "lib/notifications/queue.ts"),
        'import { t } from "@/lib/mailbox/types";\nexport const q = t;\n',
      );
    });
    afterAll(() => rm(dir, { recursive: true, force: true }));

    it("fails on deliberate violations (rules and a domain cycle) and names the file and the import", async () => {
      const r = await runTsxScript("scripts/check-imports.ts", [dir]);
      expect(r.code).toBe(1);
      expect(r.stdout).toContain('lib/mailbox/trust.ts: import "../../jlis-sim/partner-ca/partner-ca"');
      expect(r.stdout).toContain('app/x/form.tsx: import "@/lib/db/client"');
      expect(r.stdout).toContain(
        'lib/mailbox/deliver.ts: import "../notifications/queue" — lib/mailbox → lib/notifications closes a cycle between the lib/ domains mailbox, notifications',
      );
      expect(r.stdout).toContain('lib/notifications/queue.ts: import "@/lib/mailbox/types"');
      expect(r.stdout).toContain("5 files, 4 violation(s)");
    });

    it("passes on this repository", async () => {
      const r = await runTsxScript("scripts/check-imports.ts");
      expect(r.stdout).toMatch(/0 violation\(s\)/);
      expect(r.code).toBe(0);
    });
  });
});

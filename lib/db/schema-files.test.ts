import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { useTestDatabase } from "../../test/db";
import { parseDatamodel } from "../../test/db/drift";
import { diffDatamodels } from "./schema-engine";
import { readSchemaFiles, SCHEMA_SNAPSHOT_PATH, schemaSnapshot } from "./schema-files";

describe("the multi-file schema (prisma/schema/)", () => {
  const db = useTestDatabase();

  it("reads the .prisma files of a folder and its subfolders in path order, nothing else", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "ichimai-schema-files-"));
    const rel = (p: string) => path.relative(dir, p).split(path.sep).join("/");
    try {
      await mkdir(path.join(dir, "sub"));
      await writeFile(path.join(dir, "b.prisma"), "// b\n");
      await writeFile(path.join(dir, "a.prisma"), "// a\n");
      await writeFile(path.join(dir, "sub", "c.prisma"), "// c\n");
      await writeFile(path.join(dir, "notes.md"), "not a schema\n");
      const files = await readSchemaFiles(dir);
      expect(files.map((f) => rel(f.path))).toEqual(["a.prisma", "b.prisma", "sub/c.prisma"]);
      expect(files.map((f) => f.content)).toEqual(["// a\n", "// b\n", "// c\n"]);
      await mkdir(path.join(dir, "empty"));
      await expect(readSchemaFiles(path.join(dir, "empty"))).rejects.toThrow(/No \.prisma files/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("keeps the generator and the datasource in schema.prisma, and every model in one file", async () => {
    const files = await readSchemaFiles();
    expect(files.map((f) => f.path)).toContain("prisma/schema/schema.prisma");
    for (const f of files) {
      const blocks = f.content.match(/^(generator|datasource) \w+/gm) ?? [];
      expect([f.path, blocks]).toEqual([
        f.path,
        f.path === "prisma/schema/schema.prisma" ? ["generator client", "datasource db"] : [],
      ]);
    }
    const models = parseDatamodel(files).datamodel.models.map((m) => m.name);
    expect(new Set(models).size).toBe(models.length);
    expect(models).toEqual(expect.arrayContaining(["Resident", "MailboxDocument", "Partner", "AuditEvent"]));
  });

  it("the snapshot of the last migration parses to the same models, and no migration is pending", async () => {
    const files = await readSchemaFiles();
    const snapshot = await readFile(SCHEMA_SNAPSHOT_PATH, "utf8");
    const names = (datamodel: string | typeof files) =>
      parseDatamodel(datamodel)
        .datamodel.models.map((m) => m.name)
        .sort();
    expect(names(snapshot)).toEqual(names(files));
    expect(names(schemaSnapshot(files))).toEqual(names(files));
    // What `npm run db:migration:new` would write: a schema change without its migration fails here.
    const sql = await diffDatamodels(db().url, [{ path: SCHEMA_SNAPSHOT_PATH, content: snapshot }], files);
    expect(sql.trim()).toMatch(/^(-- This is an empty migration\.?)?$/);
  });
});

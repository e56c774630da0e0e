import { readdir, readFile } from "node:fs/promises";
import path from "node:path";

/** The Prisma schema: a folder of `.prisma` files, one domain each (prisma.config.ts `schema`). */
export const SCHEMA_DIR = "prisma/schema";

/** One file of a multi-file Prisma schema; `path` is relative to the working directory. */
export type TSchemaFile = { path: string; content: string };

/**
 * Every `.prisma` file under `dir` (subfolders too, as the Prisma CLI reads a schema folder),
 * sorted by path so that the order never depends on the file system.
 */
export async function readSchemaFiles(dir: string = SCHEMA_DIR): Promise<TSchemaFile[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const paths = entries
    .filter((e) => e.isFile() && e.name.endsWith(".prisma"))
    .map((e) => path.join(e.parentPath, e.name).split(path.sep).join("/"))
    .sort();
  if (paths.length === 0) throw new Error(`No .prisma files in ${dir}`);
  return Promise.all(paths.map(async (p) => ({ path: p, content: await readFile(p, "utf8") })));
}

/** Path of the schema as of the last migration, kept by `npm run db:migration:new`. */
export const SCHEMA_SNAPSHOT_PATH = "prisma/migrations/.schema-snapshot.prisma";

/**
 * The text of the snapshot file: the schema files concatenated in path order, each under a
 * `// ---- <path> ----` line. One file, so the migrations folder holds no folder without a
 * migration.sql.
 */
export function schemaSnapshot(files: readonly TSchemaFile[]): string {
  const header =
    "// The schema (prisma/schema/) as of the last migration, its files concatenated: written by\n" +
    "// `npm run db:migration:new`, the starting point of the next migration's diff. Do not edit.\n";
  return [header, ...files.map((f) => `// ---- ${f.path} ----\n\n${f.content.replace(/\n*$/, "\n")}`)].join("\n");
}

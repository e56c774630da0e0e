import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import { PrismaPg } from "@prisma/adapter-pg";
import type { TSchemaFile } from "./schema-files";

/**
 * Prisma's own schema engine, compiled to wasm, loaded the way `@prisma/internals` does.
 * Used offline to write migration SQL (`diff` between two datamodels needs no database);
 * the native engine cannot be downloaded here (docs/stack.md#prisma-without-the-schema-engine).
 */
type SchemaEngineWasm = {
  diff(params: unknown): Promise<unknown>;
};

export async function loadSchemaEngine(connectionString: string): Promise<SchemaEngineWasm> {
  const require = createRequire(import.meta.url);
  const bgPath = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
  const runtime = (await import("@prisma/schema-engine-wasm/schema_engine_bg")) as Record<string, unknown> & {
    __wbg_set_wasm(w: unknown): void;
    SchemaEngine: { new: (o: unknown, cb: (s: string) => void, a: unknown) => Promise<SchemaEngineWasm> };
  };
  const wasmBytes = await readFile(bgPath.replace(/schema_engine_bg\.js$/, "schema_engine_bg.wasm"));
  const { instance } = await WebAssembly.instantiate(wasmBytes, { "./schema_engine_bg.js": runtime } as never);
  runtime.__wbg_set_wasm(instance.exports);
  (instance.exports as { __wbindgen_start?: () => void }).__wbindgen_start?.();
  // The engine connects on start even though a datamodel-to-datamodel diff reads nothing from it.
  const adapter = bindMigrationAwareSqlAdapterFactory(new PrismaPg({ connectionString }));
  return runtime.SchemaEngine.new({ datamodels: [["schema.prisma", ""]] }, () => {}, adapter);
}

/** SQL that turns the `from` datamodel (or an empty database) into the `to` datamodel (each one or more files). */
export async function diffDatamodels(
  connectionString: string,
  from: readonly TSchemaFile[] | null,
  to: readonly TSchemaFile[],
): Promise<string> {
  const engine = await loadSchemaEngine(connectionString);
  let script = "";
  const result = (await engine.diff({
    from: from === null ? { tag: "empty" } : { tag: "schemaDatamodel", files: from },
    to: { tag: "schemaDatamodel", files: to },
    script: true,
    shadowDatabaseUrl: null,
    exitCode: null,
    filters: { externalTables: [], externalEnums: [] },
  })) as { stdout?: string };
  script = result.stdout ?? "";
  return script.replace(/^-- CreateSchema\nCREATE SCHEMA IF NOT EXISTS "public";\n\n/, "");
}

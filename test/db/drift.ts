import { type GetDMMFError, getDMMF } from "@prisma/get-dmmf";
import pg from "pg";
import type { TSchemaFile } from "../../lib/db/schema-files";

/**
 * Drift check: does the migrated database match the Prisma schema (the files of prisma/schema/)?
 *
 * The native schema engine (and so `prisma migrate diff --from-migrations`) is not available
 * offline (docs/stack.md#prisma-without-the-schema-engine, #what-does-not-work-offline), so this compares Prisma's own parsed schema (the DMMF from the
 * wasm `getDMMF`) with the PostgreSQL catalogs. A migration that forgets a column, a type, a
 * NOT NULL, a unique index or a foreign key shows up as one readable line per problem.
 *
 * Checked: tables and columns (both directions, `_prisma_migrations` ignored), column type
 * (scalar defaults, native types, enums, arrays, `timestamp(3)` precision), nullability,
 * primary keys, unique indexes (single-column and `@@unique`), `@@index`es, one validated FK per relation,
 * enum types and their values. Not checked: column defaults, FK actions, index sort order.
 */

type TDmmfDocument = Exclude<ReturnType<typeof getDMMF>, GetDMMFError>;
type TDmmfModel = TDmmfDocument["datamodel"]["models"][number];
type TDmmfField = TDmmfModel["fields"][number];

/** One column as PostgreSQL reports it. */
export type TDbColumn = {
  table: string;
  column: string;
  /** `format_type(atttypid, atttypmod)`, e.g. `timestamp(3) without time zone`, `text[]`. */
  formattedType: string;
  /** Type name of the element for arrays, else of the column (unquoted, e.g. `Gender`). */
  baseTypeName: string;
  baseIsEnum: boolean;
  isArray: boolean;
  notNull: boolean;
};

export type TDbIndex = {
  table: string;
  name: string;
  columns: string[];
  unique: boolean;
  primary: boolean;
  /** Expression or partial indexes cannot come from the Prisma schema; they are never "extra". */
  expressionOrPartial: boolean;
};

export type TDbForeignKey = {
  table: string;
  name: string;
  columns: string[];
  referencedTable: string;
  referencedColumns: string[];
  /** False for a constraint added NOT VALID and not yet validated (`pg_constraint.convalidated`). */
  validated: boolean;
};

/** What the drift check reads from the database. */
export type TDatabaseSnapshot = {
  tables: string[];
  columns: TDbColumn[];
  indexes: TDbIndex[];
  foreignKeys: TDbForeignKey[];
  enums: { name: string; values: string[] }[];
};

export type DetectSchemaDriftOptions = {
  /** The schema: its files (`readSchemaFiles()`), or one schema text. */
  datamodel: string | readonly TSchemaFile[];
  connectionString: string;
  /** PostgreSQL schema to inspect. */
  schema?: string;
};

const IGNORED_TABLES = new Set(["_prisma_migrations"]);

/**
 * Compare the Prisma schema with the migrated database.
 * @returns one sentence per problem, sorted; empty when they agree.
 */
export async function detectSchemaDrift(options: DetectSchemaDriftOptions): Promise<string[]> {
  const client = new pg.Client({ connectionString: options.connectionString });
  await client.connect();
  try {
    const snapshot = await readDatabaseSnapshot(client, options.schema ?? "public");
    return compareSchemaWithDatabase(parseDatamodel(options.datamodel), snapshot);
  } finally {
    await client.end();
  }
}

/**
 * Prisma's DMMF of a schema (its files, or one schema text); throws with Prisma's validation message
 * when it does not parse.
 */
export function parseDatamodel(datamodel: string | readonly TSchemaFile[]): TDmmfDocument {
  const result = getDMMF({
    datamodel: typeof datamodel === "string" ? datamodel : datamodel.map((f): [string, string] => [f.path, f.content]),
  });
  if ("error" in result) throw new Error(`the Prisma schema does not parse: ${String(result.error)}`);
  return result;
}

type TQueryable = { query<R extends pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<pg.QueryResult<R>> };

/** Read tables, columns, indexes, FKs and enums of one PostgreSQL schema. */
export async function readDatabaseSnapshot(db: TQueryable, schema: string): Promise<TDatabaseSnapshot> {
  const tables = await db.query<{ name: string }>(
    `SELECT c.relname::text AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') ORDER BY 1`,
    [schema],
  );
  const columns = await db.query<TDbColumn>(
    `SELECT c.relname::text AS "table", a.attname::text AS "column",
            format_type(a.atttypid, a.atttypmod) AS "formattedType",
            COALESCE(et.typname, t.typname)::text AS "baseTypeName",
            (COALESCE(et.typtype, t.typtype) = 'e') AS "baseIsEnum",
            (t.typcategory = 'A') AS "isArray",
            a.attnotnull AS "notNull"
       FROM pg_attribute a
       JOIN pg_class c ON c.oid = a.attrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_type t ON t.oid = a.atttypid
       LEFT JOIN pg_type et ON et.oid = t.typelem AND t.typcategory = 'A'
      WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY 1, a.attnum`,
    [schema],
  );
  // array_agg(attname) would be name[], which node-pg does not parse: cast to text (docs/stack.md#drift-test).
  const indexes = await db.query<TDbIndex>(
    `SELECT c.relname::text AS "table", ic.relname::text AS name,
            ARRAY(SELECT a.attname::text FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(attnum, ord)
                    JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                   ORDER BY k.ord) AS columns,
            i.indisunique AS unique, i.indisprimary AS primary,
            (i.indexprs IS NOT NULL OR i.indpred IS NOT NULL OR 0 = ANY(i.indkey::int2[])) AS "expressionOrPartial"
       FROM pg_index i
       JOIN pg_class c ON c.oid = i.indrelid
       JOIN pg_class ic ON ic.oid = i.indexrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1
      ORDER BY 1, 2`,
    [schema],
  );
  const foreignKeys = await db.query<TDbForeignKey>(
    `SELECT c.relname::text AS "table", con.conname::text AS name,
            ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(attnum, ord)
                    JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum ORDER BY k.ord) AS columns,
            rc.relname::text AS "referencedTable",
            ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY k(attnum, ord)
                    JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum ORDER BY k.ord)
              AS "referencedColumns",
            con.convalidated AS validated
       FROM pg_constraint con
       JOIN pg_class c ON c.oid = con.conrelid
       JOIN pg_class rc ON rc.oid = con.confrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND con.contype = 'f'
      ORDER BY 1, 2`,
    [schema],
  );
  const enums = await db.query<{ name: string; values: string[] }>(
    `SELECT t.typname::text AS name, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS values
       FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace
      WHERE n.nspname = $1 GROUP BY t.typname ORDER BY 1`,
    [schema],
  );
  return {
    tables: tables.rows.map((r) => r.name),
    columns: columns.rows,
    indexes: indexes.rows,
    foreignKeys: foreignKeys.rows,
    enums: enums.rows,
  };
}

/** Pure comparison of a DMMF document with a database snapshot. */
export function compareSchemaWithDatabase(dmmf: TDmmfDocument, db: TDatabaseSnapshot): string[] {
  const problems: string[] = [];
  const { models, enums, indexes } = dmmf.datamodel;
  const modelByName = new Map(models.map((m) => [m.name, m]));
  const tableOf = (m: TDmmfModel) => m.dbName ?? m.name;
  const columnOf = (f: TDmmfField) => f.dbName ?? f.name;
  const enumDbName = new Map(enums.map((e) => [e.name, e.dbName ?? e.name]));

  // Implicit many-to-many relations live in a join table `_<RelationName>` with columns A and B.
  const implicitJoinTables = new Set<string>();
  for (const m of models) {
    for (const f of m.fields) {
      if (f.kind === "object" && f.isList && f.relationName && (f.relationFromFields ?? []).length === 0) {
        const other = modelByName.get(f.type)?.fields.find((o) => o.relationName === f.relationName && o !== f);
        if (other?.isList) implicitJoinTables.add(`_${f.relationName}`);
      }
    }
  }

  const dbTables = new Set(db.tables.filter((t) => !IGNORED_TABLES.has(t)));
  const columnsByTable = new Map<string, Map<string, TDbColumn>>();
  for (const c of db.columns) {
    if (!columnsByTable.has(c.table)) columnsByTable.set(c.table, new Map());
    columnsByTable.get(c.table)!.set(c.column, c);
  }

  for (const t of dbTables) {
    if (!models.some((m) => tableOf(m) === t) && !implicitJoinTables.has(t)) {
      problems.push(`table ${t} exists in database but not in schema`);
    }
  }
  for (const t of implicitJoinTables) {
    if (!dbTables.has(t)) problems.push(`table ${t} (implicit many-to-many) is missing in database`);
  }

  for (const m of models) {
    const table = tableOf(m);
    if (!dbTables.has(table)) {
      problems.push(`table ${table} (model ${m.name}) is missing in database`);
      continue;
    }
    const dbColumns = columnsByTable.get(table) ?? new Map<string, TDbColumn>();
    const scalarFields = m.fields.filter((f) => f.kind !== "object");
    const expectedColumns = new Set(scalarFields.map(columnOf));
    for (const name of dbColumns.keys()) {
      if (!expectedColumns.has(name)) problems.push(`${table}.${name} exists in database but not in schema`);
    }
    for (const f of scalarFields) {
      const column = columnOf(f);
      const actual = dbColumns.get(column);
      if (!actual) {
        problems.push(`${table}.${column} is missing in database`);
        continue;
      }
      problems.push(...compareColumnType(table, f, actual, enumDbName));
      // Prisma creates list columns without NOT NULL (they default to an empty array), so a list
      // field's nullability is not part of the contract.
      if (!f.isList) {
        if (f.isRequired && !actual.notNull) {
          problems.push(`${table}.${column} is NOT NULL in schema but nullable in database`);
        } else if (!f.isRequired && actual.notNull) {
          problems.push(`${table}.${column} is nullable in schema but NOT NULL in database`);
        }
      }
    }
  }

  // A missing table is reported once, not once more for each of its keys and indexes.
  const present = models.filter((m) => dbTables.has(tableOf(m)));
  problems.push(...compareIndexes(present, indexes, db.indexes, tableOf, columnOf));
  problems.push(...compareForeignKeys(present, modelByName, db.foreignKeys, tableOf, columnOf));

  const dbEnums = new Map(db.enums.map((e) => [e.name, e.values]));
  for (const e of enums) {
    const name = e.dbName ?? e.name;
    const actual = dbEnums.get(name);
    if (!actual) {
      problems.push(`enum ${name} is missing in database`);
      continue;
    }
    const expected = e.values.map((v) => v.dbName ?? v.name);
    for (const v of expected) if (!actual.includes(v)) problems.push(`enum ${name} lacks value ${v} in database`);
    for (const v of actual)
      if (!expected.includes(v)) problems.push(`enum ${name} has value ${v} in database but not in schema`);
  }
  for (const name of dbEnums.keys()) {
    if (!enums.some((e) => (e.dbName ?? e.name) === name)) {
      problems.push(`enum ${name} exists in database but not in schema`);
    }
  }
  return problems.sort();
}

function compareColumnType(table: string, f: TDmmfField, actual: TDbColumn, enumDbName: Map<string, string>): string[] {
  const where = `${table}.${f.dbName ?? f.name}`;
  if (f.kind === "enum") {
    const expectedEnum = enumDbName.get(f.type) ?? f.type;
    if (!actual.baseIsEnum || actual.baseTypeName !== expectedEnum || actual.isArray !== f.isList) {
      const expected = `enum ${expectedEnum}${f.isList ? "[]" : ""}`;
      return [`${where} has type ${actual.formattedType} in database but ${expected} in schema`];
    }
    return [];
  }
  const base = expectedPgType(f);
  if (base === null) {
    return [`${where} has a type the drift check does not know (${f.type} ${JSON.stringify(f.nativeType)})`];
  }
  const expected = f.isList ? `${base}[]` : base;
  return actual.formattedType === expected
    ? []
    : [`${where} has type ${actual.formattedType} in database but ${expected} in schema`];
}

/** Default PostgreSQL type of each Prisma scalar (Prisma's PostgreSQL connector). */
const SCALAR_DEFAULTS: Record<string, string> = {
  String: "text",
  Int: "integer",
  BigInt: "bigint",
  Float: "double precision",
  Decimal: "numeric(65,30)",
  Boolean: "boolean",
  DateTime: "timestamp(3) without time zone",
  Json: "jsonb",
  Bytes: "bytea",
};

/** `format_type()` spelling of a field's column type, or null for a type this check does not know. */
export function expectedPgType(f: Pick<TDmmfField, "type" | "nativeType">): string | null {
  const native = f.nativeType as readonly [string, readonly string[]] | null | undefined;
  if (!native) return SCALAR_DEFAULTS[f.type] ?? null;
  const [name, args] = native;
  const arg = args.length > 0 ? `(${args.join(",")})` : "";
  switch (name) {
    case "Text":
      return "text";
    case "Uuid":
      return "uuid";
    case "Date":
      return "date";
    case "Integer":
      return "integer";
    case "SmallInt":
      return "smallint";
    case "BigInt":
      return "bigint";
    case "Oid":
      return "oid";
    case "Real":
      return "real";
    case "DoublePrecision":
      return "double precision";
    case "Money":
      return "money";
    case "Boolean":
      return "boolean";
    case "Inet":
      return "inet";
    case "Citext":
      return "citext";
    case "Xml":
      return "xml";
    case "Json":
      return "json";
    case "JsonB":
      return "jsonb";
    case "ByteA":
      return "bytea";
    case "VarChar":
      return `character varying${arg}`;
    case "Char":
      return `character${arg}`;
    case "Bit":
      return `bit${arg}`;
    case "VarBit":
      return `bit varying${arg}`;
    case "Decimal":
      return `numeric${arg}`;
    // Without an argument the bare type is created; PostgreSQL formats its default precision (6)
    // without a number.
    case "Timestamp":
      return `timestamp${arg} without time zone`;
    case "Timestamptz":
      return `timestamp${arg} with time zone`;
    case "Time":
      return `time${arg} without time zone`;
    case "Timetz":
      return `time${arg} with time zone`;
    default:
      return null;
  }
}

function compareIndexes(
  models: readonly TDmmfModel[],
  expected: TDmmfDocument["datamodel"]["indexes"],
  actual: TDbIndex[],
  tableOf: (m: TDmmfModel) => string,
  columnOf: (f: TDmmfField) => string,
): string[] {
  const problems: string[] = [];
  const key = (table: string, kind: string, columns: readonly string[]) => `${table}|${kind}|${columns.join(",")}`;
  const label = (kind: string, table: string, columns: readonly string[]) =>
    kind === "primary"
      ? `primary key on ${table}(${columns.join(", ")})`
      : `${kind} index on ${table}(${columns.join(", ")})`;
  const modelByName = new Map(models.map((m) => [m.name, m]));
  const expectedKeys = new Set<string>();
  const actualKeys = new Set(
    actual.map((i) => key(i.table, i.primary ? "primary" : i.unique ? "unique" : "normal", i.columns)),
  );
  for (const idx of expected) {
    const model = modelByName.get(idx.model);
    if (!model) continue;
    const table = tableOf(model);
    const columns = idx.fields.map((f) => {
      const field = model.fields.find((x) => x.name === f.name);
      return field ? columnOf(field) : f.name;
    });
    const kind =
      idx.type === "id" ? "primary" : idx.type === "unique" ? "unique" : idx.type === "normal" ? "normal" : null;
    if (kind === null) continue; // fulltext indexes are MySQL-only
    const k = key(table, kind, columns);
    expectedKeys.add(k);
    if (!actualKeys.has(k)) problems.push(`${label(kind, table, columns)} is missing in database`);
  }
  const tables = new Set(models.map(tableOf));
  for (const i of actual) {
    if (!tables.has(i.table) || i.expressionOrPartial) continue;
    const kind = i.primary ? "primary" : i.unique ? "unique" : "normal";
    // Extra plain indexes are harmless tuning; an extra unique index or key changes behaviour.
    if (kind !== "normal" && !expectedKeys.has(key(i.table, kind, i.columns))) {
      problems.push(`${label(kind, i.table, i.columns)} exists in database but not in schema`);
    }
  }
  return problems;
}

function compareForeignKeys(
  models: readonly TDmmfModel[],
  modelByName: Map<string, TDmmfModel>,
  actual: TDbForeignKey[],
  tableOf: (m: TDmmfModel) => string,
  columnOf: (f: TDmmfField) => string,
): string[] {
  const problems: string[] = [];
  const key = (t: string, cols: readonly string[], rt: string, rcols: readonly string[]) =>
    `${t}(${cols.join(", ")}) -> ${rt}(${rcols.join(", ")})`;
  const actualKeys = new Set(actual.map((fk) => key(fk.table, fk.columns, fk.referencedTable, fk.referencedColumns)));
  const expectedKeys = new Set<string>();
  for (const m of models) {
    for (const f of m.fields) {
      const from = f.relationFromFields ?? [];
      if (f.kind !== "object" || from.length === 0) continue;
      const target = modelByName.get(f.type);
      if (!target) continue;
      const columnNamed = (model: TDmmfModel, name: string) => {
        const field = model.fields.find((x) => x.name === name);
        return field ? columnOf(field) : name;
      };
      const cols = from.map((n) => columnNamed(m, n));
      const rcols = (f.relationToFields ?? []).map((n) => columnNamed(target, n));
      const k = key(tableOf(m), cols, tableOf(target), rcols);
      expectedKeys.add(k);
      if (!actualKeys.has(k)) problems.push(`foreign key ${k} (${m.name}.${f.name}) is missing in database`);
    }
  }
  for (const fk of actual) {
    if (!fk.validated) {
      const k = key(fk.table, fk.columns, fk.referencedTable, fk.referencedColumns);
      problems.push(`foreign key ${k} is NOT VALID in database (a migration must VALIDATE CONSTRAINT "${fk.name}")`);
    }
  }
  const tables = new Set(models.map(tableOf));
  for (const fk of actual) {
    const k = key(fk.table, fk.columns, fk.referencedTable, fk.referencedColumns);
    if (tables.has(fk.table) && !expectedKeys.has(k))
      problems.push(`foreign key ${k} exists in database but not in schema`);
  }
  return problems;
}

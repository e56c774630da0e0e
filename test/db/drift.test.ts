import pg from "pg";
import { describe, expect, it } from "vitest";
import { readSchemaFiles } from "../../lib/db/schema-files";
import { createTestDatabase, useTestDatabase } from "../db";
import { compareSchemaWithDatabase, detectSchemaDrift, parseDatamodel, readDatabaseSnapshot } from "./drift";

async function run(url: string, sql: string[]): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    for (const s of sql) await c.query(s);
  } finally {
    await c.end();
  }
}

/** A fresh migrated database, changed by `sql`, checked against the schema (prisma/schema/). */
async function driftAfter(sql: string[]): Promise<string[]> {
  const db = await createTestDatabase();
  await db.prisma.$disconnect();
  await run(db.url, sql);
  return detectSchemaDrift({ datamodel: await readSchemaFiles(), connectionString: db.url });
}

describe("schema drift (prisma/schema/ vs. the migrated database)", () => {
  const db = useTestDatabase();

  it("finds no drift on the freshly migrated database", async () => {
    const problems = await detectSchemaDrift({
      datamodel: await readSchemaFiles(),
      connectionString: db().url,
    });
    expect(problems).toEqual([]);
  });

  it("reports a column that exists only in the database", async () => {
    expect(await driftAfter([`ALTER TABLE "District" ADD COLUMN extra text`])).toEqual([
      "District.extra exists in database but not in schema",
    ]);
  });

  it("reports a dropped NOT NULL", async () => {
    expect(await driftAfter([`ALTER TABLE "Resident" ALTER COLUMN "postalCode" DROP NOT NULL`])).toEqual([
      "Resident.postalCode is NOT NULL in schema but nullable in database",
    ]);
  });

  it("reports a missing column, a wrong type, timestamp precision and a native type", async () => {
    expect(
      await driftAfter([
        `ALTER TABLE "Partner" DROP COLUMN "nameEn"`,
        `ALTER TABLE "PartnerCredential" ALTER COLUMN "expiresAt" TYPE timestamp(6)`,
        `ALTER TABLE "PartnerCredential" ALTER COLUMN "rateLimit" TYPE bigint`,
        `ALTER TABLE "Resident" ALTER COLUMN "dateOfBirth" TYPE timestamp(3)`,
      ]),
    ).toEqual([
      "Partner.nameEn is missing in database",
      "PartnerCredential.expiresAt has type timestamp(6) without time zone in database but timestamp(3) without time zone in schema",
      "PartnerCredential.rateLimit has type bigint in database but integer in schema",
      "Resident.dateOfBirth has type timestamp(3) without time zone in database but date in schema",
    ]);
  });

  it("reports enum, array, unique index, composite unique, FK and table drift", async () => {
    expect(
      await driftAfter([
        `ALTER TYPE "StaffRole" ADD VALUE 'JANITOR'`,
        `ALTER TABLE "Resident" ALTER COLUMN "gender" TYPE text`,
        `ALTER TABLE "Partner" ALTER COLUMN "approvedScopes" TYPE text USING array_to_string("approvedScopes", ',')`,
        `DROP INDEX "Partner_slug_key"`,
        `DROP INDEX "CertificateBinding_issuerDn_serialNumber_key"`,
        `ALTER TABLE "Household" DROP CONSTRAINT "Household_districtId_fkey"`,
        `CREATE TABLE "Stray" (id int)`,
      ]),
    ).toEqual([
      "Partner.approvedScopes has type text in database but text[] in schema",
      "Resident.gender has type text in database but enum Gender in schema",
      "enum StaffRole has value JANITOR in database but not in schema",
      "foreign key Household(districtId) -> District(id) (Household.district) is missing in database",
      "table Stray exists in database but not in schema",
      "unique index on CertificateBinding(issuerDn, serialNumber) is missing in database",
      "unique index on Partner(slug) is missing in database",
    ]);
  });

  it("reports a foreign key added NOT VALID and never validated", async () => {
    expect(
      await driftAfter([
        `ALTER TABLE "Household" DROP CONSTRAINT "Household_districtId_fkey"`,
        `ALTER TABLE "Household" ADD CONSTRAINT "Household_districtId_fkey" FOREIGN KEY ("districtId") REFERENCES "District"("id") NOT VALID`,
      ]),
    ).toEqual([
      'foreign key Household(districtId) -> District(id) is NOT VALID in database (a migration must VALIDATE CONSTRAINT "Household_districtId_fkey")',
    ]);
  });

  it("reports an extra unique index and a missing table", async () => {
    expect(
      await driftAfter([
        `CREATE UNIQUE INDEX "District_name_key" ON "District"("name")`,
        `CREATE INDEX "District_nameKana_idx" ON "District"("nameKana")`,
        `ALTER TABLE "StaffMember" RENAME TO "Staff"`,
      ]),
    ).toEqual([
      // ScopeRequest.decidedBy and ServiceApplication.decidedBy refer to StaffMember, so the
      // rename moves those foreign keys too (and those of the evacuation orders and the SSO clients).
      "foreign key EvacuationOrder(issuedById) -> Staff(id) exists in database but not in schema",
      "foreign key EvacuationOrder(issuedById) -> StaffMember(id) (EvacuationOrder.issuedBy) is missing in database",
      "foreign key EvacuationOrderEvent(staffId) -> Staff(id) exists in database but not in schema",
      "foreign key EvacuationOrderEvent(staffId) -> StaffMember(id) (EvacuationOrderEvent.staff) is missing in database",
      "foreign key OidcClient(createdByStaffId) -> Staff(id) exists in database but not in schema",
      "foreign key OidcClient(createdByStaffId) -> StaffMember(id) (OidcClient.createdBy) is missing in database",
      "foreign key ScopeRequest(decidedById) -> Staff(id) exists in database but not in schema",
      "foreign key ScopeRequest(decidedById) -> StaffMember(id) (ScopeRequest.decidedBy) is missing in database",
      "foreign key ServiceApplication(decidedById) -> Staff(id) exists in database but not in schema",
      "foreign key ServiceApplication(decidedById) -> StaffMember(id) (ServiceApplication.decidedBy) is missing in database",
      "table Staff exists in database but not in schema",
      "table StaffMember (model StaffMember) is missing in database",
      "unique index on District(name) exists in database but not in schema",
    ]);
  });

  it("checks a schema with mapped names, composite keys and native types against a snapshot", async () => {
    const dmmf = parseDatamodel(`
      datasource db {
        provider = "postgresql"
      }
      enum Color {
        RED
        GREEN
        @@map("colour")
      }
      model A {
        x String @db.VarChar(20)
        y Int
        c Color[]
        at DateTime @db.Timestamptz(6) @map("at_time")
        @@id([x, y])
        @@map("a_table")
      }`);
    const snapshot = {
      tables: ["a_table", "_prisma_migrations"],
      columns: [
        col("a_table", "x", "character varying(20)", "varchar", false, false, true),
        col("a_table", "y", "integer", "int4", false, false, true),
        col("a_table", "c", '"colour"[]', "colour", true, true, false),
        col("a_table", "at_time", "timestamp(6) with time zone", "timestamptz", false, false, true),
      ],
      indexes: [
        {
          table: "a_table",
          name: "a_pkey",
          columns: ["x", "y"],
          unique: true,
          primary: true,
          expressionOrPartial: false,
        },
      ],
      foreignKeys: [],
      enums: [{ name: "colour", values: ["RED", "GREEN"] }],
    };
    expect(compareSchemaWithDatabase(dmmf, snapshot)).toEqual([]);
    snapshot.indexes = [];
    snapshot.enums = [{ name: "colour", values: ["RED"] }];
    expect(compareSchemaWithDatabase(dmmf, snapshot)).toEqual([
      "enum colour lacks value GREEN in database",
      "primary key on a_table(x, y) is missing in database",
    ]);
  });

  it("reads the snapshot's composite unique columns in index order", async () => {
    const c = new pg.Client({ connectionString: db().url });
    await c.connect();
    try {
      const snap = await readDatabaseSnapshot(c, "public");
      expect(snap.indexes.find((i) => i.name === "CertificateBinding_issuerDn_serialNumber_key")?.columns).toEqual([
        "issuerDn",
        "serialNumber",
      ]);
      expect(snap.tables).toContain("_prisma_migrations");
    } finally {
      await c.end();
    }
  });
});

function col(
  table: string,
  column: string,
  formattedType: string,
  baseTypeName: string,
  baseIsEnum: boolean,
  isArray: boolean,
  notNull: boolean,
) {
  return { table, column, formattedType, baseTypeName, baseIsEnum, isArray, notNull };
}

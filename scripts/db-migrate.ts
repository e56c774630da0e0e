/**
 * npm run db:migrate — apply the pending migrations of prisma/migrations to DATABASE_URL, or to
 * the embedded PostgreSQL (EMBEDDED_PG_DIR, EMBEDDED_PG_PORT) when it is unset, as the app does at
 * start (lib/db/connection.ts, lib/db/migrate.ts: recorded in `_prisma_migrations` as
 * `prisma migrate deploy` does). Prints `applied <name>` per migration as it commits, then a
 * summary; exits 0 when every migration is applied, 1 when one fails (those before it stay
 * applied; the failed one is rolled back) or the database cannot be reached or configured.
 */
import { connectDatabase, MIGRATIONS_DIR, safeHost } from "../lib/db/connection";
import { migrate } from "../lib/db/migrate";
import { EnvError, env } from "../lib/env";
import { AppError } from "../lib/errors/app-error";

async function main(): Promise<number> {
  const db = await connectDatabase(env());
  try {
    console.log(`Migrating ${safeHost(db.url)}${db.embedded ? " (embedded)" : ""}`);
    const result = await migrate(db.url, MIGRATIONS_DIR, { onApplied: (name) => console.log(`applied ${name}`) });
    console.log(
      result.applied.length === 0
        ? `Nothing to apply: all ${result.alreadyApplied.length} migrations were applied before.`
        : `${result.applied.length} applied, ${result.alreadyApplied.length} applied before.`,
    );
    return 0;
  } finally {
    await db.embedded?.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof AppError || e instanceof EnvError ? `✖ ${e.message}` : e);
    process.exit(1);
  },
);

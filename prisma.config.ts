import { defineConfig } from "prisma/config";

// Used by the Prisma CLI (generate/validate/format, and `migrate deploy` where the engines exist).
// The app never reads this file: lib/db applies migrations itself.
export default defineConfig({
  schema: "prisma/schema",
  migrations: { path: "prisma/migrations" },
  datasource: {
    url: process.env.DATABASE_URL || "postgresql://placeholder@localhost:5432/placeholder",
  },
});

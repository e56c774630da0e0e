/**
 * Row ids are PostgreSQL `uuid` columns: a lookup by anything else would make the database refuse
 * the query (a 500), so a path id that is not a UUID is simply not found. One test for every lookup.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True when `id` can name a row (a UUID in its canonical text form, any case). */
export function isUuid(id: string): boolean {
  return UUID.test(id);
}

/** Joins class names, dropping empty ones. Kept dependency-free so primitives stay server-safe. */
export function cn(...names: Array<string | false | null | undefined>): string {
  return names.filter(Boolean).join(" ");
}

/** What this module reads of a zod error (or of its `issues`): zod 3 and 4 issues both fit. */
export type TIssues = { readonly issues: readonly TIssue[] } | readonly TIssue[];
type TIssue = { readonly path: readonly PropertyKey[]; readonly code: string; readonly message: string };

/** One failed check: the dotted path of the field (`""` for the whole value), zod's issue code, its message. */
export type TIssueDetail = { field: string; code: string; message: string };

function issuesOf(issues: TIssues): readonly TIssue[] {
  return "issues" in issues ? issues.issues : issues;
}

/**
 * The one mapping of zod issues to details: each issue's path joined with dots (under `prefix`,
 * the path of the part that was parsed on its own), its code and message.
 */
export function issueDetails(issues: TIssues, prefix: readonly string[] = []): TIssueDetail[] {
  return issuesOf(issues).map((i) => ({
    field: [...prefix, ...i.path.map(String)].join("."),
    code: i.code,
    message: i.message,
  }));
}

/** The `details` of a VALIDATION_FAILED error on the wire (the public API's shape): `{ path, message }` per issue. */
export function validationDetails(
  issues: TIssues,
  prefix: readonly string[] = [],
): { path: string; message: string }[] {
  return issueDetails(issues, prefix).map((d) => ({ path: d.field, message: d.message }));
}

/**
 * A form's field errors: per top-level field (the path's first part; `form` for the whole
 * value), the first issue's message — the forms' schemas use message keys as messages — passed
 * through `key` (e.g. to replace keys the form has no text for).
 */
export function fieldErrorsOf(issues: TIssues, key: (message: string) => string = (m) => m): Record<string, string> {
  const out: Record<string, string> = {};
  for (const i of issuesOf(issues)) out[String(i.path[0] ?? "form")] ??= key(i.message);
  return out;
}

/**
 * The one outcome of a server action that answers its form (useActionState), for every audience:
 * resident, staff and partner console. Types only, so client components import it too.
 */
export type TActionState = {
  ok: boolean;
  /** The stable error code of a refusal (lib/errors/codes.ts), e.g. UNAUTHENTICATED, VALIDATION_FAILED. */
  code?: string;
  /** When it happened (so the same outcome twice still re-renders). */
  at?: number;
  /** A message for the form, when the code alone does not say it. */
  message?: string;
  /** Per form field, the reason it was refused (a message key of the form's namespace). */
  fieldErrors?: Record<string, string>;
  /** Shown once: a freshly issued secret with its id. */
  secret?: { id: string; value: string };
  /** What the action acted on, for the status message. */
  subject?: string;
  /** A URL the action made (a one-time share link), shown once. */
  url?: string;
  /** A small structured result the form renders (e.g. the audit integrity check's outcome). */
  report?: Record<string, string | number | boolean | null>;
};

/** What an action's body returns: the state without its time, which the wrapper adds. */
export type TActionResult = Omit<TActionState, "at">;

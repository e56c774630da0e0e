/**
 * The audience wrappers of server actions. Each resolves the signed-in person (app/_server/session.ts;
 * none: UNAUTHENTICATED), runs the action's body and turns what it throws into the one
 * {@link TActionState}: an AppError into its code, a zod failure into VALIDATION_FAILED; anything
 * else (and Next's redirect) is rethrown. `revalidate` is revalidated after the body returned.
 * A body refuses by returning `{ ok: false, … }` (the page is still revalidated) or by throwing an
 * AppError (it is not).
 *
 * Form actions that answer with a redirect instead of a state use {@link residentOrLogin}.
 */
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import type { TRequestMetadata } from "@/lib/audit/schemas";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { unsafeTextFieldOf } from "@/lib/http/safe-text";
import { assertPartnerRole, type TPartnerAction } from "@/lib/partners/partner-roles";
import type { TActionResult, TActionState } from "./action-state";
import { currentRequestMetadata, residentRequest, type TResidentRequest } from "./request-context";
import { requirePartner, requireStaff, type TPartnerSession, type TStaffSession } from "./session";

export type { TActionResult, TActionState } from "./action-state";
export type { TResidentRequest } from "./request-context";

type TActionOptions = {
  /** A path to revalidate once the body returned (not after it threw). */
  revalidate?: string;
  /** Field errors of a refusal, per its code (e.g. PARTNER_USER_EMAIL_TAKEN on the e-mail field). */
  fieldErrorsOf?: (err: AppError) => Record<string, string> | undefined;
};

/**
 * A form's own refusal of its fields (the action checked them itself to mark each one): with the
 * field errors, TEXT_CHARACTER_FORBIDDEN naming the field when `error` refused a text character
 * — as the wrappers answer a thrown zod error — else VALIDATION_FAILED.
 */
export function formRefusal(fieldErrors: Record<string, string>, error?: z.ZodError): TActionResult {
  const field = error ? unsafeTextFieldOf(error) : undefined;
  return field
    ? { ok: false, code: "TEXT_CHARACTER_FORBIDDEN", message: field, fieldErrors }
    : { ok: false, code: "VALIDATION_FAILED", fieldErrors };
}

/**
 * The common part of every wrapper: who (null: UNAUTHENTICATED), the body, the errors. The place
 * where a per-request (logging) context for server actions would be established.
 */
async function runAction<TWho>(
  who: () => Promise<TWho | null>,
  body: (who: TWho) => Promise<TActionResult>,
  options: TActionOptions = {},
): Promise<TActionState> {
  const at = Date.now();
  const person = await who();
  if (!person) return { ok: false, code: "UNAUTHENTICATED", at };
  try {
    const result = await body(person);
    if (options.revalidate) revalidatePath(options.revalidate);
    return { ...result, at };
  } catch (err) {
    if (err instanceof AppError) {
      const fieldErrors = options.fieldErrorsOf?.(err);
      return { ok: false, code: err.code, at, ...(fieldErrors ? { fieldErrors } : {}) };
    }
    if (err instanceof z.ZodError) {
      // NUL or a lone surrogate in a field: the stable code and the field, never a 500 further on.
      const field = unsafeTextFieldOf(err);
      if (field) return { ok: false, code: "TEXT_CHARACTER_FORBIDDEN", message: field, at };
      return { ok: false, code: "VALIDATION_FAILED", at };
    }
    throw err;
  }
}

/**
 * A resident's action. `stepUp`: only after a card login within STEP_UP_MAX_AGE_MS
 * (requireCardResident), as the personal-data pages that post it.
 */
export function residentAction(
  body: (r: TResidentRequest) => Promise<TActionResult>,
  options: TActionOptions & { stepUp?: boolean } = {},
): Promise<TActionState> {
  return runAction(() => residentRequest(options.stepUp ?? false), body, options);
}

/**
 * The resident of a form action that answers with a redirect: the login page (`login`) when
 * nobody (or, with `stepUp`, no fresh card login) is signed in.
 */
export async function residentOrLogin(options: { stepUp?: boolean; login?: string } = {}): Promise<TResidentRequest> {
  const r = await residentRequest(options.stepUp ?? false);
  if (!r) redirect(options.login ?? "/login");
  return r;
}

/**
 * An action anyone may post, before any login (a partner owner's invitation link): no session is
 * read; lib checks what the form carries (a one-time token). With the request metadata for the audit rows.
 */
export function anonymousAction(
  body: (s: { requestMetadata: TRequestMetadata }) => Promise<TActionResult>,
  options: TActionOptions = {},
): Promise<TActionState> {
  return runAction(
    async () => ({}),
    async () => body({ requestMetadata: await currentRequestMetadata() }),
    options,
  );
}

/** A staff member's action (admin console), with the request metadata for the audit rows. */
export function staffAction(
  body: (s: { staff: TStaffSession; requestMetadata: TRequestMetadata }) => Promise<TActionResult>,
  options: TActionOptions & {
    /** Roles of which the staff member must hold one (else FORBIDDEN); lib checks its own as well. */
    roles?: readonly string[];
  } = {},
): Promise<TActionState> {
  return runAction(
    requireStaff,
    async (staff) => {
      if (options.roles && !staff.roles.some((r) => options.roles?.includes(r))) throw new AppError("FORBIDDEN");
      return body({ staff, requestMetadata: await currentRequestMetadata() });
    },
    options,
  );
}

/** A partner console user and what lib needs to act as them. */
export type TPartnerConsoleRequest = {
  partner: TPartnerSession;
  /** The acting user, as lib's partner functions take it. */
  partnerUser: { id: string; role: TPartnerSession["role"] };
  requestMetadata: TRequestMetadata;
};

/**
 * A partner console action. With `role`, the user's role is checked (and a refusal audited)
 * before the body even reads the form, so a DEVELOPER posting by hand gets
 * PARTNER_ROLE_FORBIDDEN whatever the body; lib checks it again.
 */
export function partnerConsoleAction(
  body: (p: TPartnerConsoleRequest) => Promise<TActionResult>,
  options: TActionOptions & { role?: TPartnerAction } = {},
): Promise<TActionState> {
  return runAction(
    requirePartner,
    async (partner) => {
      const partnerUser = { id: partner.partnerUserId, role: partner.role };
      const requestMetadata = await currentRequestMetadata();
      if (options.role) {
        await assertPartnerRole(await getDb(), {
          partnerId: partner.partnerId,
          partnerUser,
          action: options.role,
          requestMetadata,
        });
      }
      return body({ partner, partnerUser, requestMetadata });
    },
    options,
  );
}

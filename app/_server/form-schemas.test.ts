import { describe, expect, it } from "vitest";
import { z } from "zod";
import * as residentMailbox from "@/app/(resident)/mailbox/forms";
import * as proxyMailbox from "@/app/(resident)/proxy/[principalId]/mailbox/forms";
import * as consents from "@/app/(resident)/settings/consents/forms";
import * as adminPartners from "@/app/admin/partners/forms";
import * as credentials from "@/app/partner/credentials/forms";
import * as password from "@/app/partner/password/forms";
import * as users from "@/app/partner/users/forms";
import * as webhooks from "@/app/partner/webhooks/forms";
import { SAFE_TEXT_MESSAGE, unsafeTextFieldOf } from "@/lib/http/safe-text";
import { ZDocumentMetadata } from "@/lib/mailbox/schemas";
import { ZPartnerPassword } from "@/lib/partners/partner-password";
import { ZCreateWebhookEndpointRequest } from "@/lib/platform/schemas";
import { ZGrantProxyInput } from "@/lib/proxies/schemas";

/**
 * Every string field of every form that enters through a server action (and of the lib schemas
 * those actions hand their fields to) refuses U+0000 and a lone surrogate: as a zod issue on that
 * field — which the action wrappers answer as TEXT_CHARACTER_FORBIDDEN naming it — never as a
 * value that reaches PostgreSQL (a 500). The walk finds the fields itself, so a new free-text
 * field without ZSafeText fails here.
 */
const FORM_MODULES: Record<string, Record<string, unknown>> = {
  "(resident)/mailbox": residentMailbox,
  "(resident)/proxy/[principalId]/mailbox": proxyMailbox,
  "(resident)/settings/consents": consents,
  "admin/partners": adminPartners,
  "partner/credentials": credentials,
  "partner/password": password,
  "partner/users": users,
  "partner/webhooks": webhooks,
  "lib ZGrantProxyInput": { ZGrantProxyInput },
  "lib ZCreateWebhookEndpointRequest": { ZCreateWebhookEndpointRequest },
  "lib ZDocumentMetadata": { ZDocumentMetadata },
};

type TSchema = z.core.$ZodType;

/** The schema under optional / default / pipe / refinement wrappers (zod 4 defs). */
function unwrap(s: TSchema): TSchema {
  const def = s._zod.def as { type: string; innerType?: TSchema; in?: TSchema };
  if ((def.type === "optional" || def.type === "default" || def.type === "nullable") && def.innerType) {
    return unwrap(def.innerType);
  }
  if (def.type === "pipe" && def.in) return unwrap(def.in);
  return s;
}

/** Paths (and the value to put there) of every string field of an object schema, arrays included. */
function stringFields(schema: TSchema, path: string[] = []): { path: string[]; array: boolean }[] {
  const s = unwrap(schema);
  const def = s._zod.def as { type: string; shape?: Record<string, TSchema>; element?: TSchema };
  if (def.type === "object" && def.shape) {
    return Object.entries(def.shape).flatMap(([k, v]) => stringFields(v, [...path, k]));
  }
  if (def.type === "array" && def.element && unwrap(def.element)._zod.def.type === "string") {
    return [{ path, array: true }];
  }
  if (def.type === "string") return [{ path, array: false }];
  return [];
}

function objectSchemas(): { name: string; schema: z.ZodType }[] {
  return Object.entries(FORM_MODULES).flatMap(([module, exports]) =>
    Object.entries(exports)
      .filter(([name, v]) => name.startsWith("Z") && v instanceof z.ZodType)
      .map(([name, v]) => ({ name: `${module} ${name}`, schema: v as z.ZodType })),
  );
}

describe("server-action forms: every string field goes through the safe-text refinement", () => {
  it("[INPUT][FORM_TEXT]: the walk finds the forms' fields (it is not vacuous)", () => {
    const all = objectSchemas().flatMap((s) => stringFields(s.schema).map((f) => `${s.name}.${f.path.join(".")}`));
    for (const expected of [
      "admin/partners ZDecideForm.note",
      "partner/credentials ZScopeRequestForm.reason",
      "partner/users ZAddUserForm.displayName",
      "partner/users ZAddUserForm.email",
      "partner/webhooks ZIds.deliveryId",
      "(resident)/mailbox ZShareForm.partnerId",
      "lib ZCreateWebhookEndpointRequest ZCreateWebhookEndpointRequest.description",
      "lib ZGrantProxyInput ZGrantProxyInput.registryNumber",
      "lib ZDocumentMetadata ZDocumentMetadata.labels",
    ]) {
      expect(all).toContain(expected);
    }
  });

  for (const bad of [
    { name: "U+0000", value: "abc\u0000def" },
    { name: "a lone high surrogate", value: "abc\ud800def" },
    { name: "a lone low surrogate", value: "abc\udc00" },
  ]) {
    it(`[INPUT][FORM_TEXT]: ${bad.name} in any string field is an issue on that field`, () => {
      for (const { name, schema } of objectSchemas()) {
        for (const field of stringFields(schema)) {
          const input: Record<string, unknown> = {};
          let at = input;
          field.path.slice(0, -1).forEach((k) => {
            at[k] = {};
            at = at[k] as Record<string, unknown>;
          });
          at[field.path.at(-1)!] = field.array ? [bad.value] : bad.value;
          const parsed = schema.safeParse(input);
          const where = `${name}.${field.path.join(".")}`;
          expect(parsed.success, where).toBe(false);
          const onField = parsed.error!.issues.filter((i) => field.path.every((k, n) => String(i.path[n]) === k));
          expect(onField.length, where).toBeGreaterThan(0);
        }
      }
    });
  }

  it("[INPUT][FORM_TEXT]: free-text fields are refused by the safe-text rule itself, which names the field", () => {
    const note = adminPartners.ZDecideForm.safeParse({
      id: "00000000-0000-4000-8000-000000000001",
      decision: "REJECT",
      note: "理由\u0000",
    });
    expect(note.error?.issues.map((i) => i.message)).toEqual([SAFE_TEXT_MESSAGE]);
    expect(unsafeTextFieldOf(note.error!)).toBe("note");
    const reason = credentials.ZScopeRequestForm.safeParse({ scopes: ["identity:verify"], reason: "a\ud800" });
    expect(unsafeTextFieldOf(reason.error!)).toBe("reason");
    const user = users.ZAddUserForm.safeParse({
      email: "dev@example.jp",
      displayName: "開発\u0000",
      role: "DEVELOPER",
      passwordMode: "generate",
    });
    expect(unsafeTextFieldOf(user.error!)).toBe("displayName");
    expect(ZPartnerPassword.safeParse("correct horse battery\u0000").error?.issues[0]?.message).toBe(SAFE_TEXT_MESSAGE);
    const hook = ZCreateWebhookEndpointRequest.safeParse({ url: "https://hooks.example.jp/a", description: "x\u0000" });
    expect(unsafeTextFieldOf(hook.error!)).toBe("description");
  });
});

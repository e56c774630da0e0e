"use server";

import { z } from "zod";
import { staffAction, type TActionState } from "@/app/_server/action";
import { getOrdersContext } from "@/lib/disaster/orders/context";
import { deliverOrderNotices } from "@/lib/disaster/orders/notices";
import { changeOrderLevel, issueOrder, liftOrder, ORDER_ROLES, type TOrderChange } from "@/lib/disaster/orders/orders";
import { AppError } from "@/lib/errors/app-error";

const ZChange = z.object({ orderId: z.uuid(), op: z.enum(["LEVEL", "LIFT"]), level: z.string().max(10).optional() });

/** Delivers the residents' notices of a change; the order stands even when delivery fails (retry = change again). */
async function deliver(change: TOrderChange) {
  const ctx = await getOrdersContext();
  return deliverOrderNotices(ctx, change);
}

/** Issue an order (lib validates district, hazard, level 1–5 and the one-active-order rule, and audits). */
export async function issueOrderAction(_prev: TActionState, formData: FormData): Promise<TActionState> {
  return staffAction(
    async ({ staff, requestMetadata }) => {
      const f = Object.fromEntries(formData) as Record<string, string>;
      const change = await issueOrder(await getOrdersContext(), {
        staff: { staffId: staff.staffId, roles: staff.roles },
        input: {
          district: f.district ?? "",
          hazard: f.hazard as "FLOOD",
          level: f.level ?? "",
          message: f.message ?? "",
          messageEn: f.messageEn || undefined,
          escalateAfterMinutes: f.escalateAfterMinutes || undefined,
        },
        requestMetadata,
      });
      const result = await deliver(change);
      return { ok: true, subject: "issued", message: String(result.delivered) };
    },
    { roles: ORDER_ROLES, revalidate: "/admin/disaster" },
  );
}

/** Raise / lower (LEVEL) or lift (LIFT) an order. */
export async function changeOrderAction(_prev: TActionState, formData: FormData): Promise<TActionState> {
  return staffAction(
    async ({ staff, requestMetadata }) => {
      const form = ZChange.safeParse(Object.fromEntries(formData));
      if (!form.success) throw new AppError("VALIDATION_FAILED");
      const who = { staffId: staff.staffId, roles: staff.roles };
      const ctx = await getOrdersContext();
      if (form.data.op === "LIFT") {
        await liftOrder(ctx, { staff: who, orderId: form.data.orderId, requestMetadata });
        return { ok: true, subject: "lifted" };
      }
      const change = await changeOrderLevel(ctx, {
        staff: who,
        orderId: form.data.orderId,
        level: form.data.level ?? "",
        requestMetadata,
      });
      const result = await deliver(change);
      return { ok: true, subject: "changed", message: String(result.delivered) };
    },
    { roles: ORDER_ROLES, revalidate: "/admin/disaster" },
  );
}

/**
 * The simulated payment processor's HTTP surface, mounted at /partner-sim/payment by
 * app/partner-sim/payment/[...path]/route.ts (development, test and the demo; 404 in production):
 *
 * - `GET  /register?return_to=/path&state=…` – the hosted "register your card" page (test numbers only)
 * - `POST /register` – the form: Luhn, test number, expiry, CVC form (never kept) → 303 to
 *   `return_to?ref=reg_…&state=…` (a one-time registration reference)
 * - `POST /v1/registrations/{ref}/redeem` – the merchant (Bearer API key) exchanges the reference, once, for the token
 * - `POST /v1/charges` – the merchant charges `{ token, amountYen, idempotencyKey }`: 200 approved,
 *   402 declined, 409 the key used with another token or amount
 */
import { timingSafeEqual } from "node:crypto";
import { z } from "zod";
import type { PrismaClient } from "@/lib/db/client";
import { charge, redeemRegistration, registerCard } from "./processor";
import { checkCard, DECLINING_TEST_CARD, TEST_CARDS } from "./test-cards";

export const PAYMENT_SIM_BASE_PATH = "/partner-sim/payment";

export type TPaymentSimDeps = { prisma: PrismaClient; apiKey: string; now?: () => Date };

const ZCharge = z.object({
  token: z.string().min(1).max(100),
  amountYen: z.number().int().min(1).max(10_000_000),
  idempotencyKey: z.string().min(1).max(200),
});

const json = (status: number, body: unknown) =>
  Response.json(body, { status, headers: { "Cache-Control": "no-store" } });

function authorized(request: Request, apiKey: string): boolean {
  const given = Buffer.from(request.headers.get("authorization") ?? "");
  const want = Buffer.from(`Bearer ${apiKey}`);
  return given.length === want.length && timingSafeEqual(given, want);
}

/** A same-origin path to send the resident back to (no scheme, no host, no `//`). */
function safeReturnPath(value: string | null): string | null {
  if (!value?.startsWith("/") || value.startsWith("//") || value.includes("\\")) return null;
  // Letters, digits and the URL path/query characters only (no control characters, no spaces).
  if (value.length > 500 || !/^[\w\-./?=&%~]+$/.test(value)) return null;
  return value;
}

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

function backTo(returnTo: string, params: Record<string, string>): string {
  const sep = returnTo.includes("?") ? "&" : "?";
  return `${returnTo}${sep}${new URLSearchParams(params).toString()}`;
}

function registerPage(o: { returnTo: string; state: string; error?: { field: string; reason: string } }): Response {
  const cards = Object.entries(TEST_CARDS)
    .map(([n, b]) => `<li><code>${n}</code> (${b}${n === DECLINING_TEST_CARD ? "、決済は常に拒否" : ""})</li>`)
    .join("");
  const err = o.error ? `<p role="alert" id="error" style="color:#b00">${esc(o.error.reason)}</p>` : "";
  const invalid = (f: string) => (o.error?.field === f ? ' aria-invalid="true" aria-describedby="error"' : "");
  const html = `<!doctype html>
<html lang="ja"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>カードの登録 — ichimai-pay (シミュレーター)</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem;line-height:1.6}
label{display:block;margin-top:1rem;font-weight:600}input{font-size:1.1rem;padding:.4rem;width:100%;box-sizing:border-box}
button{margin-top:1.5rem;font-size:1.1rem;padding:.6rem 1.2rem}</style></head>
<body><main>
<p><strong>ichimai-pay</strong> — 決済代行会社のシミュレーター (開発・テスト用)</p>
<h1>お支払いカードの登録</h1>
<p>カード番号はこの決済代行会社が保管します。ichimai には番号は渡らず、トークンと下4桁・有効期限だけが届きます。セキュリティコードは照合のみで保存しません。</p>
${err}
<form method="post" action="${PAYMENT_SIM_BASE_PATH}/register">
<input type="hidden" name="return_to" value="${esc(o.returnTo)}"><input type="hidden" name="state" value="${esc(o.state)}">
<label for="number">カード番号</label><input id="number" name="number" inputmode="numeric" autocomplete="cc-number" required${invalid("number")}>
<label for="expiry">有効期限 (MM/YY)</label><input id="expiry" name="expiry" autocomplete="cc-exp" placeholder="12/30" required${invalid("expiry")}>
<label for="cvc">セキュリティコード</label><input id="cvc" name="cvc" inputmode="numeric" autocomplete="cc-csc" required${invalid("cvc")}>
<button type="submit">登録する</button>
</form>
<p><a href="${esc(backTo(o.returnTo, { error: "cancelled", state: o.state }))}">登録せずに戻る</a></p>
<h2>テスト用カード番号</h2><ul>${cards}</ul>
</main></body></html>`;
  return new Response(html, {
    status: o.error ? 422 : 200,
    headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" },
  });
}

/** The simulated processor's request handler (paths under PAYMENT_SIM_BASE_PATH). */
export async function handlePaymentSim(request: Request, deps: TPaymentSimDeps): Promise<Response> {
  const now = deps.now?.() ?? new Date();
  const url = new URL(request.url);
  const path = url.pathname.startsWith(PAYMENT_SIM_BASE_PATH)
    ? url.pathname.slice(PAYMENT_SIM_BASE_PATH.length)
    : url.pathname;

  if (path === "/register" && request.method === "GET") {
    const returnTo = safeReturnPath(url.searchParams.get("return_to"));
    const state = url.searchParams.get("state") ?? "";
    if (!returnTo || !/^[\w-]{1,100}$/.test(state)) return new Response("bad return_to or state", { status: 400 });
    return registerPage({ returnTo, state });
  }
  if (path === "/register" && request.method === "POST") {
    const form = await request.formData();
    const field = (k: string) => {
      const v = form.get(k);
      return typeof v === "string" ? v.slice(0, 100) : "";
    };
    const returnTo = safeReturnPath(field("return_to"));
    const state = field("state");
    if (!returnTo || !/^[\w-]{1,100}$/.test(state)) return new Response("bad return_to or state", { status: 400 });
    const card = checkCard({ number: field("number"), expiry: field("expiry"), cvc: field("cvc") }, now);
    if (!card.ok) return registerPage({ returnTo, state, error: card });
    const { registrationId } = await registerCard(deps.prisma, card, now);
    return new Response(null, {
      status: 303,
      headers: { Location: backTo(returnTo, { ref: registrationId, state }), "Cache-Control": "no-store" },
    });
  }

  if (!path.startsWith("/v1/")) return new Response("not found", { status: 404 });
  if (request.method !== "POST") return json(405, { error: "method_not_allowed" });
  if (!authorized(request, deps.apiKey)) return json(401, { error: "unauthorized" });

  const redeem = /^\/v1\/registrations\/([\w-]{1,100})\/redeem$/.exec(path);
  if (redeem) {
    const card = await redeemRegistration(deps.prisma, redeem[1]!, now);
    return card ? json(200, card) : json(404, { error: "registration_not_found" });
  }
  if (path === "/v1/charges") {
    const body = ZCharge.safeParse(await request.json().catch(() => null));
    if (!body.success) return json(400, { error: "invalid_request" });
    const outcome = await charge(deps.prisma, body.data, now);
    if (outcome.status === "approved")
      return json(200, { id: outcome.chargeId, status: "approved", amountYen: outcome.amountYen });
    if (outcome.status === "declined") return json(402, { status: "declined", reason: outcome.reason });
    return json(409, { error: "idempotency_conflict" });
  }
  return json(404, { error: "not_found" });
}

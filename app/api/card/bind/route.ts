// POST /api/card/bind – first login: link this card's auth certificate to the resident whose
// four facts its signing certificate carries (lib/auth/bind-card-certificate.ts).
import { type NextRequest, NextResponse } from "next/server";
import { bindCardCertificate } from "@/lib/auth/bind-card-certificate";
import { readCookie } from "@/lib/auth/binding-cookie";
import { getCardLoginContext } from "@/lib/auth/card-login-context";
import { AppError, toErrorResponse } from "@/lib/errors/app-error";

export const dynamic = "force-dynamic";

const MAX_BODY = 32_000;

export async function POST(request: NextRequest): Promise<NextResponse> {
  try {
    const text = await request.text();
    if (text.length > MAX_BODY) throw new AppError("PAYLOAD_TOO_LARGE");
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (cause) {
      throw new AppError("BAD_JSON", { cause });
    }
    const ctx = await getCardLoginContext();
    const result = await bindCardCertificate(ctx, {
      body,
      binding: readCookie(request.headers.get("cookie"), ctx.bindingCookieName),
      requestOrigin: request.headers.get("origin") ?? undefined,
      ip: request.headers.get("x-forwarded-for")?.split(",")[0]?.trim(),
      userAgent: request.headers.get("user-agent") ?? undefined,
    });
    return NextResponse.json(
      { bound: true, alreadyBound: result.alreadyBound },
      { headers: { "Cache-Control": "no-store" } },
    );
  } catch (e) {
    const { status, body } = toErrorResponse(e);
    return NextResponse.json(body, { status });
  }
}

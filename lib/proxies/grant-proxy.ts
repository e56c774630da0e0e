import { isProtectedResident } from "@/lib/protection/protection";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import type { TAuditChannel, TRequestMetadata } from "@/lib/audit/schemas";
import type { PrismaClient } from "@/lib/db/client";
import { AppError, validationFailed } from "@/lib/errors/app-error";
import { endOfJapaneseDay, PROXY_MAX_YEARS, type TGrantProxyInput, ZGrantProxyInput } from "./schemas";

export type GrantProxyOptions = {
  /** The logged-in resident who lets someone in (the principal). */
  principalId: string;
  input: TGrantProxyInput;
  channel: TAuditChannel;
  requestMetadata?: TRequestMetadata;
  now?: Date;
};

/**
 * The principal grants another resident (family member, carer) proxy access to the mailbox
 * documents of some domains, until the end of `endsOn`. The proxy is found by
 * registry number AND date of birth; any mismatch (or a resident who moved out) is the same
 * PROXY_CANDIDATE_NOT_FOUND. Refused with PROXY_SELF_GRANT for oneself and
 * PROXY_PRINCIPAL_PROTECTED while the protected-person setting is on. Audited `proxy.granted`.
 */
export async function grantProxy(prisma: PrismaClient, options: GrantProxyOptions): Promise<{ grantId: string }> {
  const parsed = ZGrantProxyInput.safeParse(options.input);
  if (!parsed.success) {
    throw validationFailed(parsed.error);
  }
  const input = parsed.data;
  const now = options.now ?? new Date();
  const endsAt = endOfJapaneseDay(input.endsOn);
  const latest = new Date(now);
  latest.setUTCFullYear(latest.getUTCFullYear() + PROXY_MAX_YEARS);
  if (endsAt <= now || endsAt > latest) {
    throw new AppError("VALIDATION_FAILED", {
      details: [{ path: "endsOn", message: `a day from today up to ${PROXY_MAX_YEARS} years ahead` }],
    });
  }
  return prisma.$transaction(async (tx) => {
    const protection = await tx.proxyProtection.findUnique({
      where: { residentId: options.principalId },
      select: { frozenAt: true },
    });
    if (protection?.frozenAt || (await isProtectedResident(tx, options.principalId))) {
      throw new AppError("PROXY_PRINCIPAL_PROTECTED");
    }
    const proxy = await tx.resident.findFirst({
      where: {
        registryNumber: input.registryNumber,
        dateOfBirth: new Date(`${input.dateOfBirth}T00:00:00Z`),
        leftAt: null,
      },
      select: { id: true },
    });
    if (!proxy) throw new AppError("PROXY_CANDIDATE_NOT_FOUND");
    if (proxy.id === options.principalId) throw new AppError("PROXY_SELF_GRANT");
    const grant = await tx.proxyGrant.create({
      data: {
        principalId: options.principalId,
        proxyId: proxy.id,
        access: input.access,
        domains: input.domains,
        endsAt,
      },
      select: { id: true },
    });
    await appendAuditEvent(tx, {
      type: "proxy.granted",
      actor: { type: "resident", id: options.principalId },
      subjectResidentId: options.principalId,
      purpose: "代理人の登録",
      channel: options.channel,
      requestMetadata: options.requestMetadata,
      data: {
        grantId: grant.id,
        proxyId: proxy.id,
        access: input.access,
        domains: input.domains,
        endsAt: endsAt.toISOString(),
      },
    });
    return { grantId: grant.id };
  });
}

import type { Prisma } from "@/lib/db/client";
import type { TNotificationMail } from "./compose-document-notification";

/**
 * E-mail to a principal when one of their proxies acted on their mailbox (every proxy
 * action notifies the principal). It says WHO (the proxy the principal chose) and WHAT KIND of
 * action — never which document or anything of its content. Queued in the acting transaction
 * (the same outbox as document mails), sent by processNotificationOutbox.
 */

/** The NotificationPreference key of proxy-action mails (beside the document type ids). */
export const PROXY_ACTIONS_PREFERENCE = "proxy-actions";
export const PROXY_ACTIONS_PREFERENCE_TITLE = { ja: "代理人の操作", en: "Actions of your proxies" } as const;

/** Repeated listings by the same proxy within this window queue one mail, not one per page. */
const LISTED_COALESCE_MS = 60 * 60_000;

const ACTION_TEXT: Record<string, { ja: string; en: string }> = {
  listed: { ja: "あなたの書類の一覧を見ました", en: "viewed the list of your documents" },
  read: { ja: "あなたの書類を1件開きました", en: "opened one of your documents" },
  downloaded: { ja: "あなたの書類を1件ダウンロードしました", en: "downloaded one of your documents" },
  archived: { ja: "あなたの書類を1件アーカイブしました", en: "archived one of your documents" },
  restored: { ja: "あなたの書類を1件アーカイブから戻しました", en: "restored one of your documents from the archive" },
};

/** Queues the mail of one proxy action inside the caller's transaction. */
export async function enqueueProxyActionNotification(
  tx: Prisma.TransactionClient,
  input: { principalId: string; proxyId: string; action: string; now?: Date },
): Promise<void> {
  const now = input.now ?? new Date();
  const proxy = await tx.resident.findUnique({
    where: { id: input.proxyId },
    select: { familyName: true, givenName: true },
  });
  const proxyName = proxy ? `${proxy.familyName} ${proxy.givenName}` : "代理人";
  if (input.action === "listed") {
    const recent = await tx.notificationOutbox.findFirst({
      where: {
        residentId: input.principalId,
        kind: "proxy_action",
        proxyAction: "listed",
        issuerName: proxyName,
        createdAt: { gt: new Date(now.getTime() - LISTED_COALESCE_MS) },
      },
      select: { id: true },
    });
    if (recent) return;
  }
  await tx.notificationOutbox.create({
    data: {
      residentId: input.principalId,
      kind: "proxy_action",
      documentType: PROXY_ACTIONS_PREFERENCE,
      issuerName: proxyName,
      issuerNameEn: proxyName,
      proxyAction: input.action,
      createdAt: now,
      nextAttemptAt: now,
    },
    select: { id: true },
  });
}

/** The mail text: who and what kind of action, a link to the proxies page; Japanese, then English. */
export function composeProxyActionNotification(input: {
  proxyName: string;
  action: string;
  portalOrigin: string;
}): TNotificationMail {
  const what = ACTION_TEXT[input.action] ?? { ja: "あなたの私書箱で操作しました", en: "acted in your mailbox" };
  const page = new URL("/settings/proxies", input.portalOrigin).toString();
  return {
    subject: `【ichimai】代理人の${input.proxyName}さんが${what.ja}`,
    text: [
      `あなたが代理人に指定した ${input.proxyName} さんが、${what.ja}。`,
      "",
      "どの書類か、その内容はこのメールには記載していません。ログインして「設定 → 代理人」でご確認ください。",
      "代理人の指定はいつでも取り消せます。",
      page,
      "",
      "このメールを受け取るかどうかは「設定 → メール通知」の「代理人の操作」で変更できます。",
      "",
      "----",
      `${input.proxyName}, whom you made your proxy, ${what.en}.`,
      "This e-mail does not say which document. Log in and see Settings → Proxies, where you can also revoke the proxy:",
      page,
      'Turn these e-mails off under Settings → E-mail notifications ("Actions of your proxies").',
      "",
    ].join("\n"),
  };
}

import { findDocumentType } from "@/lib/mailbox/document-types/registry";

export type TNotificationMail = { subject: string; text: string };

/**
 * The e-mail that tells a resident a document arrived: which TYPE and from WHOM, and where to
 * read it — never its content. E-mail is not a safe channel for personal data, and a
 * mail that carried it would bypass the access log. Japanese first, English below.
 */
export function composeDocumentNotification(input: {
  documentType: string;
  issuerName: string;
  issuerNameEn: string;
  portalOrigin: string;
}): TNotificationMail {
  const type = findDocumentType(input.documentType);
  const titleJa = type?.title.ja ?? "書類";
  const titleEn = type?.title.en ?? "a document";
  const inbox = new URL("/mailbox", input.portalOrigin).toString();
  const issuerEn = input.issuerNameEn || input.issuerName;
  return {
    subject: `【ichimai】${input.issuerName}から「${titleJa}」が届きました`,
    text: [
      "ichimai の私書箱に新しい書類が届きました。",
      "",
      `書類の種類: ${titleJa}`,
      `発行者: ${input.issuerName}`,
      "",
      "内容はこのメールには記載していません。マイナンバーカードでログインしてご確認ください。",
      inbox,
      "",
      "通知の設定（書類の種類ごとに受け取るかどうか）は、ログイン後の「設定 → メール通知」で変更できます。",
      "",
      "----",
      `A new document arrived in your ichimai mailbox: ${titleEn} from ${issuerEn}.`,
      "This e-mail does not contain the document. Log in with your My Number Card to read it:",
      inbox,
      "Choose which document types you are notified about under Settings → E-mail notifications.",
      "",
    ].join("\n"),
  };
}

import type { TNotificationMail } from "./compose-document-notification";

/**
 * The urgent reminder of an evacuation order (lib/disaster/orders, escalation): sent when a
 * resident has not opened her 避難指示 at level 4 or above in time. Like every notice mail it
 * says what arrived and where to read it, not her personal instruction. Its preference key is
 * its own, so turning off the ordinary "document arrived" mail for evacuation orders does not
 * silence it.
 */
export const EVACUATION_URGENT_KIND = "evacuation_urgent";
export const EVACUATION_URGENT_PREFERENCE = "evacuation-order-urgent";

export function composeEvacuationUrgentNotification(input: {
  issuerName: string;
  issuerNameEn: string;
  portalOrigin: string;
}): TNotificationMail {
  const page = new URL("/disaster", input.portalOrigin).toString();
  const issuerEn = input.issuerNameEn || input.issuerName;
  return {
    subject: `【緊急・ichimai】${input.issuerName}の避難指示をまだ確認していません`,
    text: [
      `${input.issuerName}から、あなたの地区に避難指示（警戒レベル4以上）が出ています。`,
      "まだ確認されていません。直ちに確認し、安全を確保してください。",
      "",
      page,
      "",
      "避難したら「無事です」、助けが必要なら「助けが必要です」を押してください。",
      "",
      "----",
      `URGENT: ${issuerEn} has issued an evacuation order (alert level 4 or above) for your district,`,
      "and you have not opened it yet. Read it now and get to safety:",
      page,
      "",
    ].join("\n"),
  };
}

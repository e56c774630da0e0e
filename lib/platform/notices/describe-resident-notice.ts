import type { TRevocationReason } from "../../jpki/revocation-reason";
import type { TResidentNoticeDto } from "./list-resident-notices";

type TLocale = "ja" | "en";

/** A platform notice in the resident's language: a title, a body and the partners it names. */
export type TResidentNoticeView = { id: string; title: string; body: string; partners: string[]; createdAt: Date };

/** How a resident is told the JPKI reasons (docs/jpki.md#revocation); others are not named. */
const REASONS: Partial<Record<TRevocationReason, { ja: string; en: string }>> = {
  affiliationChanged: { ja: "基本4情報の変更（転居など）", en: "a change of your basic facts (e.g. a move)" },
  keyCompromise: { ja: "カードの紛失など", en: "a lost card or a similar reason" },
  superseded: { ja: "カードの更新", en: "a card renewal" },
  cessationOfOperation: { ja: "カードの廃止", en: "the card being withdrawn" },
};

function partnersOf(data: unknown): string[] {
  const list = (data as { partners?: unknown } | null)?.partners;
  if (!Array.isArray(list)) return [];
  return list.map((p) => (p as { name?: unknown })?.name).filter((n): n is string => typeof n === "string");
}

/**
 * The resident-facing text of a notice. `certificate_change_shared` (written by change
 * verification when watched signing certificates are revoked) is rendered from its data in ja or
 * en; other kinds show the stored Japanese title and body.
 */
export function describeResidentNotice(notice: TResidentNoticeDto, locale: TLocale): TResidentNoticeView {
  const partners = partnersOf(notice.data);
  const base = { id: notice.id, partners, createdAt: notice.createdAt };
  if (notice.kind !== "certificate_change_shared") return { ...base, title: notice.title, body: notice.body };
  const data = (notice.data ?? {}) as { serialNumber?: string; reason?: string; consented?: boolean };
  const reason =
    data.reason && Object.hasOwn(REASONS, data.reason)
      ? REASONS[data.reason as TRevocationReason]?.[locale]
      : undefined;
  if (locale === "en") {
    return {
      ...base,
      title: "Partners told that your signing certificate was revoked",
      body:
        `Your signing certificate (serial ${data.serialNumber ?? "?"}) was revoked${reason ? ` because of ${reason}` : ""}. ` +
        "These partners had asked to be told and were notified. " +
        (data.consented
          ? "With your consent they were also given the link to your new certificate."
          : "They were not given your new certificate or your latest basic facts."),
    };
  }
  return {
    ...base,
    title: "署名用電子証明書の失効をお知らせした事業者",
    body:
      `あなたの署名用電子証明書（シリアル番号 ${data.serialNumber ?? "?"}）が${reason ? `${reason}により` : ""}失効しました。` +
      "通知を希望していた次の事業者にお知らせしました。" +
      (data.consented
        ? "あなたの同意に基づき、新しい証明書の紐付け情報もお知らせしています。"
        : "新しい証明書や最新の基本4情報はお知らせしていません。"),
  };
}

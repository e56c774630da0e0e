import { z } from "zod";
import { defineDocumentType, field, instant, yen, ZInstant, ZText, ZYen } from "./define-document-type";

/** 乗車領収書: one community-bus ride paid by card tap (a transport service on the card). */
export const busRideReceipt = defineDocumentType({
  id: "bus-ride-receipt",
  domain: "transport",
  title: { ja: "バス乗車領収書", en: "Bus ride receipt" },
  titleKana: "ばすじょうしゃりょうしゅうしょ",
  schema: z.strictObject({
    operator: ZText(100),
    receiptNumber: ZText(40),
    route: ZText(100),
    from: ZText(100),
    to: ZText(100),
    rideAt: ZInstant,
    fare: ZYen,
    discount: ZYen,
    paid: ZYen,
    paymentMethod: z.enum(["ticket_book", "card_payment", "cash", "free_pass", "commuter_pass"]),
  }),
  subject: (p, l) =>
    l === "ja" ? `乗車領収書 ${p.route} ${p.from}→${p.to}` : `Bus ride ${p.route}: ${p.from} → ${p.to}`,
  render: (p, l) => {
    const methods = {
      ticket_book: { ja: "回数券", en: "Ticket book" },
      card_payment: { ja: "登録済みの支払方法", en: "Linked payment method" },
      cash: { ja: "現金", en: "Cash" },
      free_pass: { ja: "無料乗車証", en: "Free pass" },
      commuter_pass: { ja: "定期券・月間パス", en: "Season pass" },
    } as const;
    return [
      field(l, { ja: "事業者", en: "Operator" }, p.operator),
      field(l, { ja: "領収番号", en: "Receipt number" }, p.receiptNumber),
      field(l, { ja: "路線", en: "Route" }, p.route),
      field(l, { ja: "区間", en: "From – to" }, `${p.from} → ${p.to}`),
      field(l, { ja: "乗車日時", en: "Ride at" }, instant(p.rideAt, l)),
      field(l, { ja: "運賃", en: "Fare" }, yen(p.fare, l)),
      field(l, { ja: "割引", en: "Discount" }, yen(p.discount, l)),
      field(l, { ja: "お支払額", en: "Paid" }, yen(p.paid, l)),
      field(l, { ja: "支払方法", en: "Paid with" }, methods[p.paymentMethod][l]),
    ];
  },
});

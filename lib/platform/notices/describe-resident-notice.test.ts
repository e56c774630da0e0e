import { describe, expect, it } from "vitest";
import { describeResidentNotice } from "./describe-resident-notice";

const notice = {
  id: "n1",
  kind: "certificate_change_shared",
  title: "署名用電子証明書の失効をお知らせした事業者",
  body: "stored",
  data: {
    serialNumber: "3c68",
    reason: "affiliationChanged",
    partners: [
      { partnerId: "p1", name: "一枚健康保険組合" },
      { partnerId: "p2", name: "阿波みらい銀行" },
    ],
    consented: true,
  },
  createdAt: new Date("2026-12-02T00:00:00Z"),
  readAt: null,
};

describe("describeResidentNotice", () => {
  it("[NOTICE][CHANGE]: names every partner told, the reason and whether the new certificate was shared, in ja and en", () => {
    const ja = describeResidentNotice(notice, "ja");
    expect(ja.partners).toEqual(["一枚健康保険組合", "阿波みらい銀行"]);
    expect(ja.body).toContain("3c68");
    expect(ja.body).toContain("転居");
    expect(ja.body).toContain("新しい証明書の紐付け情報もお知らせしています");
    const en = describeResidentNotice({ ...notice, data: { ...notice.data, consented: false } }, "en");
    expect(en.title).toBe("Partners told that your signing certificate was revoked");
    expect(en.body).toContain("were not given your new certificate");
  });

  it("shows other kinds as stored and survives malformed data", () => {
    const other = describeResidentNotice({ ...notice, kind: "other", data: { partners: "x" } }, "en");
    expect(other).toMatchObject({ title: notice.title, body: "stored", partners: [] });
    expect(describeResidentNotice({ ...notice, data: null }, "ja").partners).toEqual([]);
  });
});

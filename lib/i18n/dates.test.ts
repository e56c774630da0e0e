import { describe, expect, it } from "vitest";
import { formatDateBoth, formatDateTime, formatIsoDay, formatJapaneseEraDate, formatWesternDate } from "./dates";

describe("formatJapaneseEraDate", () => {
  it.each([
    ["2025-11-25", "令和7年11月25日", "Reiwa 7, November 25"],
    // Era boundary: the last day of Heisei and the first day of Reiwa (元年, not 1年).
    ["2019-04-30", "平成31年4月30日", "Heisei 31, April 30"],
    ["2019-05-01", "令和元年5月1日", "Reiwa 1, May 1"],
    // Showa → Heisei boundary.
    ["1989-01-07", "昭和64年1月7日", "Shōwa 64, January 7"],
    ["1989-01-08", "平成元年1月8日", "Heisei 1, January 8"],
  ])("%s → %s / %s", (day, ja, en) => {
    expect(formatJapaneseEraDate(day, "ja")).toBe(ja);
    expect(formatJapaneseEraDate(day, "en")).toBe(en);
  });

  it("uses the Japanese calendar day, not the UTC day", () => {
    // 2019-04-30T15:30Z is already 2019-05-01 00:30 in Tokyo: the first day of Reiwa.
    const instant = new Date("2019-04-30T15:30:00Z");
    expect(formatJapaneseEraDate(instant, "ja")).toBe("令和元年5月1日");
    expect(formatWesternDate(instant, "ja")).toBe("2019年5月1日");
  });

  it("rejects a string that is not a date", () => {
    expect(() => formatJapaneseEraDate("not-a-date", "ja")).toThrow(RangeError);
  });
});

describe("formatWesternDate", () => {
  it.each([
    ["2025-11-25", "2025年11月25日", "25 November 2025"],
    ["2019-05-01", "2019年5月1日", "1 May 2019"],
  ])("%s → %s / %s", (day, ja, en) => {
    expect(formatWesternDate(day, "ja")).toBe(ja);
    expect(formatWesternDate(day, "en")).toBe(en);
  });
});

describe("formatDateBoth", () => {
  it.each([
    ["2025-11-25", "令和7年（2025年）11月25日", "25 November 2025 (Reiwa 7)"],
    ["2019-04-30", "平成31年（2019年）4月30日", "30 April 2019 (Heisei 31)"],
    ["2019-05-01", "令和元年（2019年）5月1日", "1 May 2019 (Reiwa 1)"],
  ])("%s → %s / %s", (day, ja, en) => {
    expect(formatDateBoth(day, "ja")).toBe(ja);
    expect(formatDateBoth(day, "en")).toBe(en);
  });
});

describe("formatDateTime", () => {
  it("prints Tokyo wall-clock time in 24-hour form", () => {
    const instant = new Date("2025-11-25T05:05:00Z");
    expect(formatDateTime(instant, "ja")).toBe("2025年11月25日 14:05");
    expect(formatDateTime(instant, "en")).toBe("25 November 2025 at 14:05");
  });
});

describe("formatIsoDay", () => {
  it("gives the Tokyo day for <time dateTime>", () => {
    expect(formatIsoDay(new Date("2019-04-30T15:30:00Z"))).toBe("2019-05-01");
    expect(formatIsoDay("2025-11-25")).toBe("2025-11-25");
  });
});

import { describe, expect, it } from "vitest";
import {
  CRL_REASON_CODES,
  JPKI_REVOCATION_REASONS,
  REVOCATION_REASONS,
  reasonCode,
  reasonFromCode,
} from "./revocation-reason";

describe("CRLReason (RFC 5280 §5.3.1)", () => {
  it("names every assigned value, 7 excepted", () => {
    expect(CRL_REASON_CODES).toEqual({
      unspecified: 0,
      keyCompromise: 1,
      cACompromise: 2,
      affiliationChanged: 3,
      superseded: 4,
      cessationOfOperation: 5,
      certificateHold: 6,
      removeFromCRL: 8,
      privilegeWithdrawn: 9,
      aACompromise: 10,
    });
    expect(REVOCATION_REASONS.map(reasonCode)).toEqual([0, 1, 2, 3, 4, 5, 6, 8, 9, 10]);
  });

  it("maps a value to its name and back", () => {
    for (const reason of REVOCATION_REASONS) expect(reasonFromCode(reasonCode(reason))).toBe(reason);
  });

  it("refuses the unassigned value 7 and values past 10 as malformed DER", () => {
    for (const code of [7, 11, -1, 255]) {
      expect(() => reasonFromCode(code)).toThrow(expect.objectContaining({ code: "DER_MALFORMED" }));
    }
  });

  it("keeps the JPKI reasons to values 0–6", () => {
    expect(JPKI_REVOCATION_REASONS.map(reasonCode)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });
});

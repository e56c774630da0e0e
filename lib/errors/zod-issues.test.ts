import { describe, expect, it } from "vitest";
import { z } from "zod";
import { AppError, toErrorResponse, validationFailed } from "./app-error";
import { fieldErrorsOf, issueDetails, validationDetails } from "./zod-issues";

const ZForm = z.object({
  email: z.string().min(1, "emailRequired"),
  tags: z.array(z.string().max(3, "tagTooLong")),
  name: z.string().min(1, "nameRequired").max(2, "nameTooLong"),
});

describe("zod issues", () => {
  const error = ZForm.safeParse({ email: "", tags: ["ok", "toolong"], name: "" }).error!;

  it("maps each issue to its dotted field, code and message", () => {
    expect(issueDetails(error)).toEqual([
      { field: "email", code: "too_small", message: "emailRequired" },
      { field: "tags.1", code: "too_big", message: "tagTooLong" },
      { field: "name", code: "too_small", message: "nameRequired" },
    ]);
    expect(issueDetails(error.issues, ["documents", "0"])[1]?.field).toBe("documents.0.tags.1");
  });

  it("keeps the API's { path, message } details, also through toErrorResponse", () => {
    expect(validationDetails(error)[1]).toEqual({ path: "tags.1", message: "tagTooLong" });
    const e = validationFailed(error, { message: "Bad." });
    expect(e).toBeInstanceOf(AppError);
    expect(e.code).toBe("VALIDATION_FAILED");
    expect(e.message).toBe("Bad.");
    expect(toErrorResponse(error).body.error.details).toEqual(validationDetails(error));
  });

  it("gives a form the first message per top-level field", () => {
    expect(fieldErrorsOf(error)).toEqual({ email: "emailRequired", tags: "tagTooLong", name: "nameRequired" });
    expect(fieldErrorsOf(z.string().min(1, "x").safeParse("").error!, () => "invalid")).toEqual({ form: "invalid" });
  });
});

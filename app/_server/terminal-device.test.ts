import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors/app-error";
import { readTerminalJson } from "./terminal-device";

const post = (body: string) => new Request("http://localhost/api/terminal/x", { method: "POST", body });
const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => "resolved",
    (e: unknown) => (e instanceof AppError ? e.code : String(e)),
  );

describe("readTerminalJson (every kiosk POST's body)", () => {
  it("reads JSON up to the limit and refuses a larger body, bad JSON and unsafe text", async () => {
    expect(await readTerminalJson(post('{"nonce":"n"}'))).toEqual({ nonce: "n" });
    expect(await codeOf(readTerminalJson(post(`"${"a".repeat(40)}"`), { maxBytes: 32 }))).toBe("PAYLOAD_TOO_LARGE");
    expect(await codeOf(readTerminalJson(post("{"), {}))).toBe("BAD_JSON");
    expect(await codeOf(readTerminalJson(post('{"reasonText":"a\\u0000b"}')))).toBe("TEXT_CHARACTER_FORBIDDEN");
  });

  it("leaves the text check to the service when asked (safeText: false)", async () => {
    expect(await readTerminalJson(post('{"token":"a\\u0000b"}'), { safeText: false })).toEqual({ token: "a\u0000b" });
  });
});

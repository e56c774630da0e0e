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

  it("refuses unsafe text in the card's token and nonce too, naming the field", async () => {
    const refused = await readTerminalJson(post('{"token":"a\\ud800b"}')).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).code).toBe("TEXT_CHARACTER_FORBIDDEN");
    expect(JSON.stringify((refused as AppError).details)).toContain("token");
  });
});

/**
 * Captures the JSON log lines of lib/log (through its replaceable destination) for a test:
 * `const logs = captureLogs(); … logs.lines(); logs.restore();`.
 */
import { setLogDestination } from "../../lib/log/logger";

export type TCapturedLogs = {
  /** Every line written so far, exactly as it would reach stdout. */
  text(): string;
  /** Every line, parsed. */
  lines(): Record<string, unknown>[];
  /** The parsed lines whose `msg` is `msg`. */
  withMsg(msg: string): Record<string, unknown>[];
  /** Forget the lines captured so far. */
  clear(): void;
  restore(): void;
};

export function captureLogs(): TCapturedLogs {
  let written: string[] = [];
  const restore = setLogDestination({
    write(line: string) {
      written.push(line);
    },
  });
  const lines = () =>
    written
      .join("")
      .split("\n")
      .filter((l) => l.trim() !== "")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  return {
    text: () => written.join(""),
    lines,
    withMsg: (msg) => lines().filter((l) => l.msg === msg),
    clear: () => {
      written = [];
    },
    restore,
  };
}

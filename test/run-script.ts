import { execFile } from "node:child_process";

export type TScriptRun = { code: number; stdout: string; stderr: string };

/**
 * Runs a TypeScript entry point (a `scripts/` or `bench/` file) as its npm command does, in one
 * node process with the tsx loader (the tsx binary would start a second one), with `env` added to
 * this process's environment. Resolves with the exit code and output; a non-zero exit is a result,
 * not an error.
 */
export function runTsxScript(
  script: string,
  args: string[] = [],
  options: { env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<TScriptRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["--import", "tsx", script, ...args],
      { env: { ...process.env, ...options.env }, timeout: options.timeoutMs ?? 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

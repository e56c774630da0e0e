/**
 * The structured logger (lib/log/README.md): pino, one JSON line per event on stdout, level from
 * LOG_LEVEL, `reqId` of the current request context on every line, and `redact` for the keys that
 * could carry personal data or secrets. Call sites log ids, counts, codes and durations only.
 *
 * The root logger is built on the first line logged (not at import), and reads LOG_LEVEL alone
 * (env.ts logLevel), so that logging never parses and caches the rest of the environment early.
 */
import pino from "pino";
import { logLevel } from "../env";
import { currentRequestId } from "./request-context";

/** Keys whose values are never written, at any of the first three levels of a logged object. */
export const REDACTED_KEYS = [
  "pin",
  "authPin",
  "signPin",
  "password",
  "newPassword",
  "currentPassword",
  "secret",
  "clientSecret",
  "signingSecret",
  "token",
  "accessToken",
  "refreshToken",
  "authorization",
  "cookie",
  "set-cookie",
  "payload",
  "content",
  "contentBase64",
  "signature",
  "name",
  "familyName",
  "givenName",
  "familyNameKana",
  "givenNameKana",
  "displayName",
  "address",
  "dateOfBirth",
  "birthDate",
  "gender",
  "fourFacts",
  "facts",
  "email",
  "registryNumber",
  "myNumber",
] as const;

function redactPaths(): string[] {
  return REDACTED_KEYS.flatMap((k) => {
    // `set-cookie` is not an identifier: bracket notation (fast-redact's path syntax).
    const plain = /^[A-Za-z_$][\w$]*$/.test(k);
    const at = (prefix: string) => (plain ? `${prefix}${prefix ? "." : ""}${k}` : `${prefix}["${k}"]`);
    return [at(""), at("*"), at("*.*")];
  });
}

/** Where log lines go: anything with `write(line)`. */
export type TLogDestination = { write(line: string): unknown };

let destination: TLogDestination | undefined;

/**
 * Replaces where every logger (existing children included) writes; returns a function that
 * restores the previous destination. Tests capture the log lines with it.
 */
export function setLogDestination(next: TLogDestination): () => void {
  const previous = destination;
  destination = next;
  return () => {
    destination = previous;
  };
}

const forwarding: TLogDestination = {
  write(line) {
    destination ??= pino.destination({ dest: 1, sync: true });
    return destination.write(line);
  },
};

let root: pino.Logger | undefined;

function rootLogger(): pino.Logger {
  root ??= pino(
    {
      level: logLevel(),
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      mixin: () => {
        const reqId = currentRequestId();
        return reqId ? { reqId } : {};
      },
      redact: { paths: redactPaths(), censor: "[redacted]" },
    },
    forwarding,
  );
  return root;
}

/** Structured fields of a line: ids, counts, codes, durations — never personal data or payloads. */
export type TLogFields = Record<string, unknown>;
type TLogFn = (fields: TLogFields, msg: string) => void;

export type TLog = {
  debug: TLogFn;
  info: TLogFn;
  warn: TLogFn;
  error: TLogFn;
  /** A logger whose lines also carry `bindings` (e.g. a bulk delivery's id). */
  child(bindings: TLogFields): TLog;
};

function wrap(get: () => pino.Logger): TLog {
  let cached: pino.Logger | undefined;
  const logger = () => {
    cached ??= get();
    return cached;
  };
  return {
    debug: (fields, msg) => logger().debug(fields, msg),
    info: (fields, msg) => logger().info(fields, msg),
    warn: (fields, msg) => logger().warn(fields, msg),
    error: (fields, msg) => logger().error(fields, msg),
    child: (bindings) => wrap(() => logger().child(bindings)),
  };
}

/** The logger of one area: every line carries `component` (e.g. "auth/card-login"). */
export function createLog(component: string): TLog {
  return wrap(() => rootLogger().child({ component }));
}

const STACK_FRAMES = 8;

/**
 * What a line may keep of a thrown value: its type, stable code (AppError, Prisma, Node), the
 * first line of its message (Prisma and driver messages can quote query arguments further down)
 * and a few stack frames. Never `details`, `meta` or `cause` contents.
 */
export function errorFields(err: unknown): { err: { type: string; code?: string; message?: string; stack?: string } } {
  if (!(err instanceof Error)) return { err: { type: typeof err } };
  const code = (err as { code?: unknown }).code;
  const firstLine = err.message
    .split("\n")
    .map((l) => l.trim())
    .find((l) => l.length > 0);
  const frames = (err.stack ?? "")
    .split("\n")
    .filter((l) => /^\s+at /.test(l))
    .slice(0, STACK_FRAMES)
    .map((l) => l.trim());
  return {
    err: {
      type: err.name,
      ...(typeof code === "string" || typeof code === "number" ? { code: String(code) } : {}),
      ...(firstLine ? { message: firstLine.slice(0, 200) } : {}),
      ...(frames.length ? { stack: frames.join("\n") } : {}),
    },
  };
}

/**
 * For a route's catch-all: logs a failure answered with a 5xx status (an infrastructure or
 * programming failure); 4xx answers are the caller's and are not logged.
 */
export function logServerError(component: string, status: number, err: unknown): void {
  if (status >= 500) createLog(component).error({ status, ...errorFields(err) }, "request failed");
}

import { ZodError } from "zod";
import { type TErrorCode, errorCodes } from "./codes";
import { type TIssues, validationDetails } from "./zod-issues";

export type AppErrorOptions = {
  /** Technical message for logs and API clients. */
  message?: string;
  /** Message safe to show to a resident (Japanese first; English via the UI dictionary). */
  userMessage?: string;
  status?: number;
  details?: unknown;
  cause?: unknown;
};

/** The one error type of ichimai: a stable code (public contract) plus messages. */
export class AppError extends Error {
  override name = "AppError";
  readonly code: TErrorCode;
  readonly status: number;
  readonly userMessage?: string;
  readonly details?: unknown;

  constructor(code: TErrorCode, options: AppErrorOptions = {}) {
    super(options.message ?? errorCodes[code].message, { cause: options.cause });
    this.code = code;
    this.status = options.status ?? errorCodes[code].status;
    this.userMessage = options.userMessage;
    this.details = options.details;
  }
}

/** VALIDATION_FAILED with the path-annotated details of a zod failure. */
export function validationFailed(
  issues: TIssues,
  options: { message?: string; prefix?: readonly string[] } = {},
): AppError {
  return new AppError("VALIDATION_FAILED", {
    ...(options.message ? { message: options.message } : {}),
    details: validationDetails(issues, options.prefix),
  });
}

export type TErrorBody = { error: { code: string; message: string; docUrl: string; details?: unknown } };

/** The only place that turns any thrown value into an HTTP status and JSON body. */
export function toErrorResponse(err: unknown): { status: number; body: TErrorBody } {
  const docUrl = (code: string) => `/docs/errors#${code}`;
  if (err instanceof AppError) {
    return {
      status: err.status,
      body: { error: { code: err.code, message: err.message, docUrl: docUrl(err.code), details: err.details } },
    };
  }
  if (err instanceof ZodError) {
    return {
      status: 422,
      body: {
        error: {
          code: "VALIDATION_FAILED",
          message: "The request did not match the schema.",
          docUrl: docUrl("VALIDATION_FAILED"),
          details: validationDetails(err),
        },
      },
    };
  }
  if (typeof err === "object" && err !== null && (err as { code?: unknown }).code === "P2025") {
    return { status: 404, body: { error: { code: "NOT_FOUND", message: "Not found.", docUrl: docUrl("NOT_FOUND") } } };
  }
  return {
    status: 500,
    body: { error: { code: "INTERNAL", message: "Something went wrong on our side.", docUrl: docUrl("INTERNAL") } },
  };
}

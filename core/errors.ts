/**
 * The one user-visible error type. Every transport maps it in exactly one place
 * (HTTP: functions/http/errors.ts). `kind` decides the status, `code` is stable
 * for clients, `message` is safe to show (never personal data or internals).
 */
export const ErrorKind = {
  validation: "validation",
  unauthorized: "unauthorized",
  forbidden: "forbidden",
  notFound: "not_found",
  conflict: "conflict",
  tooLarge: "too_large",
  /** Well-formed but cannot be done as sent (422), e.g. an Idempotency-Key reused for other content. */
  unprocessable: "unprocessable",
  rateLimited: "rate_limited",
  unavailable: "unavailable",
  internal: "internal",
} as const;
export type ErrorKind = (typeof ErrorKind)[keyof typeof ErrorKind];

export interface ErrorDetail {
  /** 1-based line number in an uploaded file, when the error is about a row. */
  line?: number;
  field?: string;
  message: string;
}

/** How many problems of a file an answer lists: a 50,000-row file of errors must not become a 5 MB error body. */
export const MAX_LISTED_ERRORS = 200;

/**
 * The first `max` problems (in line order, as given) and, when there were more, one last detail without a line
 * saying how many are not listed — so the staff know the count and fix the first ones first. `total` is the count
 * of all problems when `details` holds only the first of them (a long file's job keeps no more than it lists).
 */
export function capDetails(details: ErrorDetail[], max = MAX_LISTED_ERRORS, total = details.length): ErrorDetail[] {
  if (total <= max) return details.slice(0, max);
  return [
    ...details.slice(0, max),
    {
      message: `另有 ${total - max} 处错误未列出（共 ${total} 处）：请先改正上面的，再上传检查其余的`,
    },
  ];
}

export class AppError extends Error {
  override readonly name = "AppError";
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    readonly details?: ErrorDetail[],
    options?: { cause?: unknown; retryAfterSeconds?: number },
  ) {
    super(message, options);
    if (options?.retryAfterSeconds !== undefined)
      this.retryAfterSeconds = Math.max(1, Math.ceil(options.retryAfterSeconds));
  }

  /** For `rate_limited` (429) and `unavailable` (503): when to come back; HTTP sends it as `Retry-After`. */
  readonly retryAfterSeconds?: number;

  static validation(code: string, message: string, details?: ErrorDetail[]) {
    return new AppError("validation", code, message, details);
  }
  static notFound(what: string) {
    return new AppError("not_found", "not_found", `${what} not found`);
  }
  static conflict(code: string, message: string) {
    return new AppError("conflict", code, message);
  }
  /** A request body over its route's limit (HTTP 413). */
  static tooLarge(code: string, message: string) {
    return new AppError("too_large", code, message);
  }
  static forbidden(code: string, message: string) {
    return new AppError("forbidden", code, message);
  }
  static rateLimited(code: string, message: string, retryAfterSeconds: number) {
    return new AppError("rate_limited", code, message, undefined, { retryAfterSeconds });
  }
  static unavailable(code: string, message: string, retryAfterSeconds = 5, cause?: unknown) {
    return new AppError("unavailable", code, message, undefined, { retryAfterSeconds, cause });
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}

/** DynamoDB's conditional-check failure, whether from a single write or inside a transaction. */
export function isConditionFailure(e: unknown): boolean {
  const name = (e as { name?: string } | null)?.name;
  if (name === "ConditionalCheckFailedException") return true;
  if (name === "TransactionCanceledException") {
    const reasons = (e as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
    return reasons.some((r) => r.Code === "ConditionalCheckFailed");
  }
  return false;
}

/** Error names and socket codes that mean "storage (or the queue) is unreachable, slow or refusing load". */
const FAULT_NAMES = new Set([
  "TimeoutError",
  "RequestTimeout",
  "RequestTimeoutException",
  "ThrottlingException",
  "ProvisionedThroughputExceededException",
  "RequestLimitExceeded",
  "InternalServerError",
  "ServiceUnavailable",
  "ServiceUnavailableException",
  "NetworkingError",
  "AbortError",
  "DeadlineExceeded",
  "StorageUnavailable",
]);
const FAULT_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
]);

/** A fault of storage or the queue (unreachable, timed out, throttled, 5xx), as opposed to a refusal or a bug. */
export function isStorageFault(e: unknown): boolean {
  if (!e || typeof e !== "object") return false;
  const err = e as {
    name?: string;
    code?: string;
    $metadata?: { httpStatusCode?: number };
    errors?: unknown[];
    cause?: unknown;
  };
  if (err.name && FAULT_NAMES.has(err.name)) return true;
  if (err.code && FAULT_CODES.has(err.code)) return true;
  if ((err.$metadata?.httpStatusCode ?? 0) >= 500) return true;
  if (Array.isArray(err.errors) && err.errors.some(isStorageFault)) return true;
  return err.cause !== undefined && err.cause !== e && isStorageFault(err.cause);
}

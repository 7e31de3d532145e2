import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { AppError, capDetails, ErrorKind, isAppError, isConditionFailure, isStorageFault } from "../../core/errors.js";
import { onError } from "../../functions/http/errors.js";

/** The one HTTP mapping (functions/http/errors.ts), fed by a route that throws what each case gives it. */
async function respond(err: unknown) {
  const app = new Hono();
  app.onError(onError);
  app.get("/x", () => {
    throw err;
  });
  const res = await app.request("/x");
  const body = (await res.json()) as { error: { code: string; message: string; details?: unknown[] } };
  return { status: res.status, retryAfter: res.headers.get("retry-after"), ...body.error };
}

const CJK = /[\u4e00-\u9fff]/;

describe("AppError", () => {
  it("is an Error named AppError with its kind, code, message and cause", () => {
    const cause = new Error("inner");
    const e = new AppError("conflict", "school_exists", "学校编号已存在", undefined, { cause });
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe("AppError");
    expect([e.kind, e.code, e.message, e.cause]).toEqual(["conflict", "school_exists", "学校编号已存在", cause]);
    expect(isAppError(e)).toBe(true);
    expect(isAppError(new Error("x"))).toBe(false);
    expect(isAppError({ kind: "conflict", code: "x", message: "y" })).toBe(false);
  });

  it("builds each kind through its factory", () => {
    expect(AppError.validation("bad", "m", [{ line: 3, message: "d" }])).toMatchObject({
      kind: "validation",
      code: "bad",
      details: [{ line: 3, message: "d" }],
    });
    expect(AppError.notFound("student")).toMatchObject({
      kind: "not_found",
      code: "not_found",
      message: "student not found",
    });
    expect(AppError.conflict("c", "m").kind).toBe("conflict");
    expect(AppError.tooLarge("body_too_large", "m").kind).toBe("too_large");
    expect(AppError.forbidden("role_required", "m").kind).toBe("forbidden");
    expect(AppError.rateLimited("slow_down", "m", 30)).toMatchObject({ kind: "rate_limited", retryAfterSeconds: 30 });
  });

  it("rounds Retry-After up to whole seconds and never below one", () => {
    expect(AppError.rateLimited("r", "m", 2.1).retryAfterSeconds).toBe(3);
    expect(AppError.rateLimited("r", "m", 0).retryAfterSeconds).toBe(1);
    expect(AppError.rateLimited("r", "m", -5).retryAfterSeconds).toBe(1);
    expect(AppError.unavailable("u", "m").retryAfterSeconds).toBe(5);
    expect(AppError.validation("v", "m").retryAfterSeconds).toBeUndefined();
  });
});

describe("the HTTP mapping of errors", () => {
  const expected: Record<ErrorKind, number> = {
    validation: 400,
    unauthorized: 401,
    forbidden: 403,
    not_found: 404,
    conflict: 409,
    too_large: 413,
    unprocessable: 422,
    rate_limited: 429,
    unavailable: 503,
    internal: 500,
  };

  it.each(Object.values(ErrorKind))(
    "sends an AppError of kind %s with its status and its stable code",
    async (kind) => {
      const out = await respond(new AppError(kind, `some_${kind}`, "出错了：请稍后重试"));
      expect(out.status).toBe(expected[kind]);
      expect(out.code).toBe(`some_${kind}`);
      expect(out.message).toBe("出错了：请稍后重试");
    },
  );

  it("says in Chinese which record is missing, without confirming it exists elsewhere", async () => {
    const out = await respond(AppError.notFound("student"));
    expect(out).toMatchObject({ status: 404, code: "not_found" });
    expect(out.message).toBe("学生不存在，或不在您的管辖范围：请核对后重试");
  });

  it("sends Retry-After with a rate limit and with unavailability", async () => {
    expect((await respond(AppError.rateLimited("too_many", "请稍后再试", 42))).retryAfter).toBe("42");
    expect((await respond(AppError.unavailable("busy", "系统繁忙"))).retryAfter).toBe("5");
    expect((await respond(AppError.conflict("c", "冲突"))).retryAfter).toBeNull();
  });

  it("keeps row details of an upload", async () => {
    const out = await respond(
      AppError.validation("csv_invalid", "文件有误", [{ line: 7, field: "学籍号", message: "缺少学籍号" }]),
    );
    expect(out.details).toEqual([{ line: 7, field: "学籍号", message: "缺少学籍号" }]);
  });

  it("turns a zod failure into 400 invalid_input with a Chinese summary and the count of other issues", async () => {
    const parsed = z.object({ a: z.string(), b: z.number() }).safeParse({});
    const out = await respond(parsed.error);
    expect(out.status).toBe(400);
    expect(out.code).toBe("invalid_input");
    expect(out.message).toMatch(/^填写有误：.*（另有 1 处）——请改正后重试$/);
    expect(out.details).toHaveLength(2);
  });

  it("answers a storage fault with a retryable 503 in Chinese, not a 500", async () => {
    const out = await respond(Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }));
    expect(out).toMatchObject({
      status: 503,
      code: "storage_unavailable",
      message: "系统繁忙，请稍后再试",
      retryAfter: "10",
    });
  });

  it("hides an unexpected error's internals behind a 500 in Chinese", async () => {
    const out = await respond(new Error("TypeError at /var/task/secret.js:12 token=abc"));
    expect(out.status).toBe(500);
    expect(out.code).toBe("internal");
    expect(out.message).toMatch(CJK);
    expect(out.message).not.toContain("secret");
    expect(out.message).not.toContain("token=abc");
  });
});

describe("isConditionFailure", () => {
  it("recognises a failed conditional write", () => {
    expect(isConditionFailure({ name: "ConditionalCheckFailedException" })).toBe(true);
  });

  it("recognises a transaction cancelled by one failed condition among others", () => {
    const e = {
      name: "TransactionCanceledException",
      CancellationReasons: [{ Code: "None" }, { Code: "ConditionalCheckFailed" }],
    };
    expect(isConditionFailure(e)).toBe(true);
  });

  it("does not take a transaction cancelled for another reason, or any other error, for one", () => {
    expect(
      isConditionFailure({
        name: "TransactionCanceledException",
        CancellationReasons: [{ Code: "TransactionConflict" }],
      }),
    ).toBe(false);
    expect(isConditionFailure({ name: "TransactionCanceledException" })).toBe(false);
    expect(isConditionFailure(new Error("ConditionalCheckFailedException"))).toBe(false);
    expect(isConditionFailure(null)).toBe(false);
    expect(isConditionFailure(undefined)).toBe(false);
  });
});

describe("isStorageFault", () => {
  it("recognises timeouts, throttling and unreachable hosts by name or socket code", () => {
    expect(isStorageFault({ name: "TimeoutError" })).toBe(true);
    expect(isStorageFault({ name: "ProvisionedThroughputExceededException" })).toBe(true);
    expect(isStorageFault({ code: "ETIMEDOUT" })).toBe(true);
    expect(isStorageFault({ code: "EAI_AGAIN" })).toBe(true);
  });

  it("recognises a 5xx answer from the service", () => {
    expect(isStorageFault({ name: "Whatever", $metadata: { httpStatusCode: 500 } })).toBe(true);
    expect(isStorageFault({ name: "ValidationException", $metadata: { httpStatusCode: 400 } })).toBe(false);
  });

  it("looks through an AggregateError and a chain of causes", () => {
    expect(
      isStorageFault(new AggregateError([new Error("x"), Object.assign(new Error("y"), { code: "ECONNRESET" })])),
    ).toBe(true);
    expect(
      isStorageFault(new Error("outer", { cause: new Error("mid", { cause: { name: "ThrottlingException" } }) })),
    ).toBe(true);
  });

  it("does not take a refusal, a bug or a non-object for a fault", () => {
    expect(isStorageFault({ name: "ConditionalCheckFailedException" })).toBe(false);
    expect(isStorageFault(new TypeError("x is undefined"))).toBe(false);
    expect(isStorageFault(AppError.validation("v", "m"))).toBe(false);
    expect(isStorageFault("ECONNREFUSED")).toBe(false);
    expect(isStorageFault(null)).toBe(false);
  });

  it("does not loop on an error that is its own cause", () => {
    const e = new Error("self") as Error & { cause?: unknown };
    e.cause = e;
    expect(isStorageFault(e)).toBe(false);
  });
});

describe("capped error lists", () => {
  const lines = (n: number) => Array.from({ length: n }, (_, i) => ({ line: i + 2, message: `第 ${i + 2} 行` }));

  it("keeps a list of 200 or fewer as it is", () => {
    expect(capDetails(lines(200))).toEqual(lines(200));
  });

  it("lists the first 200 and says how many more there are", () => {
    const out = capDetails(lines(250));
    expect(out).toHaveLength(201);
    expect(out[199]).toEqual({ line: 201, message: "第 201 行" });
    expect(out[200]).toEqual({ message: "另有 50 处错误未列出（共 250 处）：请先改正上面的，再上传检查其余的" });
  });

  it("counts the problems not kept when it is given the total (a long file's job keeps only the first)", () => {
    const out = capDetails(lines(200), 200, 4500);
    expect(out).toHaveLength(201);
    expect(out[200]).toEqual({ message: "另有 4300 处错误未列出（共 4500 处）：请先改正上面的，再上传检查其余的" });
  });
});

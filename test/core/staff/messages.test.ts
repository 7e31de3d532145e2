import { describe, expect, it } from "vitest";
import { AppError } from "../../../core/errors";
import { staffMessage } from "../../../core/staff/messages";

describe("staff messages", () => {
  it("names the missing record in Chinese and says it may be outside the caller's scope", () => {
    expect(staffMessage(AppError.notFound("student"))).toBe("学生不存在，或不在您的管辖范围：请核对后重试");
  });

  it("turns an English message of an older module into Chinese by its code", () => {
    expect(staffMessage(AppError.validation("batch_conflict", "batch B1 was uploaded with other content"))).toBe(
      "这个批次号之前导入过不同的内容：改正后的文件请用新的批次号",
    );
  });

  it("keeps a message that is already Chinese as it is", () => {
    expect(staffMessage(AppError.validation("invalid_rows", "第 3 行：学籍号格式不对"))).toBe(
      "第 3 行：学籍号格式不对",
    );
  });
});

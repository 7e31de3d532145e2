/**
 * Binding slips (绑定告知单): for one class, one slip per student with a fresh one-time binding code, the Official
 * Account to follow and three lines of instructions, printed by the school and handed out in class. A parent who
 * does not know the 学籍号 binds with the code on the slip.
 *
 * A new print replaces each student's previous slip: the code printed last time stops working (unless a family has
 * already used it), so a lost or photographed slip can be made useless by printing again. A slip carries the child's
 * name, school, grade and class — never an ID number, 学籍号 or phone.
 */
import { DeleteCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { z } from "zod";
import { AppError, isConditionFailure } from "../errors.js";
import { ddb, tableName, TTL } from "../db/client.js";
import { keys } from "../db/keys.js";
import { auditPut } from "../audit/index.js";
import * as codes from "../families/codes.js";
import * as students from "../students/index.js";
import * as tenants from "../tenants/index.js";
import { mapLimit } from "../concurrency.js";
import { actorOf, requireSchool, type Staff } from "./scope.js";

/** A class is at most a few dozen pupils; a whole school at once would be thousands of codes on paper. */
export const MAX_SLIPS = 120;

export const SlipRequest = z.object({
  schoolId: z.string().min(1).max(40),
  grade: z.string().trim().min(1).max(12),
  class: z.string().trim().min(1).max(12),
});
export type SlipRequest = z.infer<typeof SlipRequest>;

export interface Slip {
  studentName: string;
  schoolName: string;
  grade: string;
  class: string;
  /** 1234 5678 9012 */
  code: string;
  expiresAt: string;
}

export interface SlipSheet {
  slips: Slip[];
  /**
   * What the QR code opens: the county's Official Account follow link when it saved one, else the county's own web
   * chat (`kind` says which, so the slip's instructions match).
   */
  follow: { accountName: string; hotline: string } & tenants.Entry;
}

/** Issue a code for the student and retire the one on the student's previous slip (if no family has used it). */
async function replaceCode(tenant: string, studentId: string, issuedBy: string) {
  const fresh = await codes.issue(tenant, studentId, issuedBy);
  const out = await ddb().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.slipCode(tenant, studentId),
      UpdateExpression: "SET code = :c, #ttl = :ttl, #type = :type",
      ExpressionAttributeNames: { "#ttl": TTL, "#type": "type" },
      ExpressionAttributeValues: {
        ":c": fresh.code,
        ":ttl": Math.floor(Date.parse(fresh.expiresAt) / 1000),
        ":type": "slipCode",
      },
      ReturnValues: "UPDATED_OLD",
    }),
  );
  const old = out.Attributes?.code;
  if (typeof old === "string" && old !== fresh.code) {
    try {
      await ddb().send(
        new DeleteCommand({
          TableName: tableName(),
          Key: keys.bindingCode(tenant, old),
          ConditionExpression: "attribute_not_exists(usedAt)",
        }),
      );
    } catch (e) {
      if (!isConditionFailure(e)) throw e; // already used by a family: that binding stands
    }
  }
  return fresh;
}

/**
 * Print (or reprint) the slips of one class in the staff's scope. Audited on the school. `origin` is the deployment's
 * address the web chat link is built on (the console's own origin).
 */
export async function printClass(staff: Staff, request: SlipRequest, origin: string): Promise<SlipSheet> {
  const school = await requireSchool(staff, request.schoolId);
  const list: students.StudentInfo[] = [];
  let cursor: string | undefined;
  do {
    const page = await students.bySchool(
      staff.tenant,
      school.id,
      { grade: request.grade, class: request.class },
      cursor,
      200,
    );
    list.push(...page.items);
    cursor = page.cursor;
  } while (cursor && list.length <= MAX_SLIPS);
  if (list.length === 0)
    throw AppError.validation(
      "empty_class",
      `${school.name} ${request.grade} ${request.class} 没有学生：请先在“学生”页导入，或换一个班级`,
    );
  if (list.length > MAX_SLIPS)
    throw AppError.validation("class_too_large", `一次最多打印 ${MAX_SLIPS} 张：请按班级分开打印`);
  const tenant = await tenants.fromId(staff.tenant);
  const actor = actorOf(staff);
  const slips = await mapLimit(list, 8, async (s) => {
    const code = await replaceCode(staff.tenant, s.id, actor.id);
    return {
      studentName: s.name,
      schoolName: school.name,
      grade: s.grade,
      class: s.class,
      code: code.display,
      expiresAt: code.expiresAt,
    };
  });
  const audit = auditPut(tableName(), staff.tenant, {
    entityId: school.id,
    actor,
    action: "print_binding_slips",
    reason: `打印绑定告知单：${request.grade} ${request.class}，${slips.length} 张（旧单上的绑定码作废）`,
  });
  await ddb().send(new PutCommand(audit.Put));
  slips.sort((a, b) => a.studentName.localeCompare(b.studentName, "zh-Hans-CN"));
  return {
    slips,
    follow: {
      accountName: tenant?.name ?? "学生资助",
      hotline: tenant?.hotline ?? "",
      ...tenants.entry(tenant ?? { id: staff.tenant }, origin),
    },
  };
}

/**
 * Withdrawing an application entered by mistake, before anyone reviewed it. The application record is removed
 * (so the family never reads 未通过 for a typing error) and the withdrawal stays in the audit trail with its
 * reason, in one transaction guarded on the stage still being `submitted` (which also takes it off the dashboard's
 * counters).
 */
import { z } from "zod";
import { AppError, isConditionFailure } from "../errors.js";
import { auditPut } from "../audit/index.js";
import { tableName, transact } from "../db/client.js";
import { keys } from "../db/keys.js";
import { cellDeltas, tallyItem } from "../applications/tallies.js";
import { actorOf, requireApplication, type Staff } from "./scope.js";

export const WithdrawBody = z.object({ reason: z.string().trim().min(2, "请写明撤回原因（至少 2 个字）").max(200) });

export async function withdraw(staff: Staff, applicationId: string, reason: string) {
  const { application } = await requireApplication(staff, applicationId);
  if (application.stage !== "submitted") {
    throw AppError.conflict(
      "already_reviewed",
      "这份申请已进入审核，不能撤回：如有错误，请由当前审核级别“退回”并写明原因",
    );
  }
  try {
    await transact([
      {
        Delete: {
          TableName: tableName(),
          Key: keys.application(staff.tenant, application.id),
          ConditionExpression: "stage = :s AND stageChangedAt = :c",
          ExpressionAttributeValues: { ":s": "submitted", ":c": application.stageChangedAt },
        },
      },
      auditPut(tableName(), staff.tenant, {
        entityId: application.id,
        actor: actorOf(staff),
        action: "withdraw",
        from: "submitted",
        reason,
      }),
      ...cellDeltas(application, undefined).map(tallyItem),
    ]);
  } catch (e) {
    if (isConditionFailure(e)) throw AppError.conflict("stale_stage", "这份申请刚被别人处理过：请刷新后再看");
    throw e;
  }
  return { withdrawn: application.id };
}

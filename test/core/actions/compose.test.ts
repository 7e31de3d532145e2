/**
 * The storage-free part of the composer: which WeChat templates a tenant still lacks and what to do about it. The
 * composer's reads (audiences, counts, quiet hours) are covered in test/functions/queues/compose.int.test.ts.
 */
import { describe, expect, it } from "vitest";
import { missingTemplates, TEMPLATE_GUIDE } from "../../../core/actions/compose.js";

describe("missingTemplates", () => {
  it("is empty when every kind has a template id", () => {
    expect(missingTemplates({ templates: { publicity: "t1", payment: "t2", broadcast: "t3" } })).toEqual([]);
  });

  it("names each missing kind with advice in Chinese: the title and fields to create, and where to enter the id", () => {
    const [payment] = missingTemplates({ templates: { publicity: "t1", broadcast: "t3" } });
    expect(payment?.kind).toBe("payment");
    expect(payment?.label).toBe(TEMPLATE_GUIDE.payment.label);
    expect(payment?.advice).toContain(`「${TEMPLATE_GUIDE.payment.title}」`);
    expect(payment?.advice).toContain("发放金额（amount3）");
    expect(payment?.advice).toContain("网页聊天的家长不受影响");
    expect(payment?.advice).toMatch(/本县设置中。$/);
  });

  it("counts an empty template id as missing", () => {
    expect(
      missingTemplates({ templates: { publicity: "", payment: "t2", broadcast: "t3" } }).map((m) => m.kind),
    ).toEqual(["publicity"]);
  });

  it("looks only at the kinds asked about", () => {
    expect(missingTemplates({ templates: {} }, ["broadcast"]).map((m) => m.kind)).toEqual(["broadcast"]);
  });
});

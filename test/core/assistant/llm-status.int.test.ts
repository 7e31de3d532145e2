/**
 * get_status in LLM mode, against DynamoDB Local and the real family port: the model can only ever see the status
 * of the chat user's own children — it cannot name a student, and what it is given is masked.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import * as applications from "../../../core/applications/index.js";
import { createAssistant } from "../../../core/assistant/index.js";
import { llmComposer } from "../../../core/assistant/llm/index.js";
import * as bindings from "../../../core/families/bindings.js";
import { createFamily } from "../../../core/families/port.js";
import { containsUnmaskedPersonalData } from "../../../core/mask.js";
import { loadKb } from "../../../core/policy/kb.js";
import * as schools from "../../../core/schools/index.js";
import * as students from "../../../core/students/index.js";
import { createTenant } from "../../support/stack.js";
import { answer, startFakeOpenAi, toolCall, toolResults, type FakeOpenAi } from "../../fakes/openai.js";

const system = { id: "system", role: "system" } as const;
let fake: FakeOpenAi;
let tenant: string;
let assistant: ReturnType<typeof createAssistant>;
let other: string;

const ask = (user: string, text: string) =>
  assistant.reply({ tenant, userKey: `wechat:${user}`, channel: "wechat", text });

/** Everything the model was sent as tool results, over all requests. */
const sentToModel = () => JSON.stringify(fake.received.flatMap((r) => toolResults(r)));

/** Calls get_status, then says exactly what it returned. */
function echoStatus() {
  fake.respondWith((req) => {
    const status = toolResults(req).find((r) => Array.isArray(r.result.status))?.result.status as string[] | undefined;
    return status ? answer(status.join("\n")) : toolCall("get_status", {});
  });
}

beforeAll(async () => {
  fake = await startFakeOpenAi();
  const t = await createTenant(undefined, { hotline: "0833-7654321" });
  tenant = t.id;
  await schools.create(tenant, { id: "s1", name: "向阳小学", kind: "primary", township: "城关镇" });
  const a = await students.upsert(tenant, {
    studentNo: "G510000201201030011",
    name: "刘小燕",
    schoolId: "s1",
    grade: "6",
    class: "1",
    guardians: [{ name: "刘父", relation: "父亲", phone: "13512349876" }],
  });
  const b = await students.upsert(tenant, {
    studentNo: "G510000201201030012",
    name: "王小虎",
    schoolId: "s1",
    grade: "6",
    class: "2",
    guardians: [{ name: "王母", relation: "母亲", phone: "13612345432" }],
  });
  other = b.student.id;
  const paid = await applications.create(
    tenant,
    { studentId: a.student.id, schoolId: "s1", programme: "compulsory_living", term: "2025-autumn", amountFen: 62500 },
    system,
  );
  for (const to of [
    "school_approved",
    "township_approved",
    "county_approved",
    "publicizing",
    "approved",
    "paid",
  ] as const) {
    await applications.transition(tenant, paid.id, {
      to,
      actor: system,
      ...(to === "paid"
        ? { payment: { batchId: "b1", paidDate: "2025-12-01", amountFen: 62500, accountLast4: "6789" } }
        : {}),
    });
  }
  await applications.create(
    tenant,
    { studentId: b.student.id, schoolId: "s1", programme: "compulsory_living", term: "2025-autumn", amountFen: 75000 },
    system,
  );
  await bindings.bind(tenant, a.student.id, "wechat:parent-a", "seed");
  await bindings.bind(tenant, b.student.id, "wechat:parent-b", "seed");

  const llm = llmComposer({ apiKey: "k", baseURL: fake.url, model: "fake-model", timeoutMs: 5000 });
  assistant = createAssistant({
    kb: loadKb(),
    tenantSettings: { name: t.name, hotline: t.hotline },
    family: createFamily(),
    llm,
  });
});
afterAll(async () => {
  await fake.stop();
});
beforeEach(() => fake.reset());

describe("get_status in LLM mode", () => {
  test("returns only the caller's own child, and refuses a student id from the model", async () => {
    fake.script(toolCall("get_status", { studentId: other }));
    echoStatus();
    const r = await ask("parent-a", "我家孩子的补助发了没有");

    const results = toolResults(fake.received.at(-1)!);
    expect(results[0]!.result.error).toMatch(/参数不对.*studentId/);
    expect(results[1]!.name).toBe("get_status");
    expect(r.intent).toBe("status");
    const text = r.replies.map((x) => x.text).join("\n");
    expect(text).toContain("刘*燕");
    expect(text).toContain("尾号6789");
    expect(text).toContain("625");
    expect(r.citations).toEqual([]);

    const seen = sentToModel();
    expect(seen).not.toMatch(/王|小虎|750/);
    expect(seen).not.toContain("刘小燕");
    expect(containsUnmaskedPersonalData(seen)).toBe(false);
    expect(fake.received[0]!.body.tools!.find((t) => t.function.name === "get_status")!.function.parameters).toEqual({
      type: "object",
      properties: {},
      additionalProperties: false,
    });
  });

  test("the other parent sees only their own child", async () => {
    echoStatus();
    const r = await ask("parent-b", "我家孩子的补助发了没有");
    const text = r.replies.map((x) => x.text).join("\n");
    expect(text).toContain("王*虎");
    expect(text).not.toMatch(/刘|6789|625/);
    expect(sentToModel()).not.toMatch(/刘|6789/);
  });

  test("asking about another family's child by name gives the model nothing about that child", async () => {
    echoStatus();
    const r = await ask("parent-a", "王小虎的补助发了没有");
    const text = r.replies.map((x) => x.text).join("\n");
    expect(text).not.toMatch(/王\*虎|750|已提交/);
    expect(sentToModel()).not.toMatch(/王\*虎|750/);
  });

  test("a user with no bound child is told how to bind", async () => {
    echoStatus();
    const r = await ask("parent-none", "我家孩子的补助发了没有");
    expect(r.replies[0]!.text).toContain("绑定");
    expect(sentToModel()).not.toMatch(/刘|王/);
  });
});

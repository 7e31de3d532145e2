import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadKb } from "../../../core/policy/kb";
import { buildIndex } from "../../../core/policy/index";
import { parseBindArgs, route, type Intent } from "../../../core/assistant/route";

const index = buildIndex(loadKb(fileURLToPath(new URL("../../fixtures/kb/", import.meta.url))));
const intentOf = (text: string) => route(text, { isDomain: (t) => index.search(t).domain });

describe("routing", () => {
  it.each<[string, Intent]>([
    ["小学住校一年补多少", "policy"],
    ["贷款几号还", "policy"],
    ["孩子的补助发了没", "status"],
    ["俺闺女的助学金批了没", "status"],
    ["钱到了没有", "status"],
    ["申请进度查询", "status"],
    ["学校说审核通过了 现在到哪一步了", "status"],
    ["我的孩子", "status"],
    ["绑定 张小明 G520123201001011234 1234", "bind"],
    ["绑定 123456", "bind"],
    ["绑定学生", "bind"],
    ["怎么绑定孩子", "bind"],
    ["解绑", "unbind"],
    ["取消绑定", "unbind"],
    ["解除綁定", "unbind"],
    ["退订", "unsubscribe"],
    ["TD", "unsubscribe"],
    ["订阅", "unsubscribe"],
    ["别再给我发通知了", "unsubscribe"],
    ["转人工", "handoff"],
    ["客服在吗", "handoff"],
    ["我要跟真人说话", "handoff"],
    ["您好", "greeting"],
    ["在吗", "greeting"],
    ["好的谢谢", "greeting"],
    ["今天天气怎么样", "out_of_scope"],
    ["帮我写一首诗", "out_of_scope"],
    ["驾照怎么考", "out_of_scope"],
  ])("%s → %s", (text, intent) => {
    expect(intentOf(text).intent).toBe(intent);
  });

  it("asks when money usually arrives as a policy question, not a status one", () => {
    expect(intentOf("高中助学金一般什么时候到账").intent).toBe("policy");
    expect(intentOf("我家孩子的助学金到账了吗").intent).toBe("status");
  });

  it.each<[string, Intent]>([
    ["为啥俺家的申请没通过", "status"],
    ["我那个雨露计划的申请是不是被退回来了", "status"],
    ["俺孙子的助学金咋没评上", "status"],
    ["那俺自己家的能查不", "status"],
    ["俺家娃明明很困难没评上 咋申诉", "policy"],
    ["为什么有的人申请没通过", "policy"],
  ])("reads the outcome of one's own application as status, contesting it as policy: %s → %s", (text, intent) => {
    expect(intentOf(text).intent).toBe(intent);
  });

  it.each<[string, Intent]>([
    ["我要绑我孙子", "bind"],
    ["咋把外孙女加进来", "bind"],
    ["怎么跟我家老二关联上", "bind"],
    ["别老给我发东西了", "unsubscribe"],
    ["这些不想收了", "unsubscribe"],
    ["以后不用再通知我了", "unsubscribe"],
    ["娃都毕业了 把他从我这删了吧", "unbind"],
    ["不跟老大关联了", "unbind"],
    ["要得 谢谢老师哈", "greeting"],
    ["太感谢了", "greeting"],
  ])("understands a colloquial command: %s → %s", (text, intent) => {
    expect(intentOf(text).intent).toBe(intent);
  });

  it("reads a fee demand as a scam question even when it mentions money arriving", () => {
    expect(intentOf("有人说孩子的助学金要先交手续费才能到账")).toEqual({ intent: "policy" });
    expect(intentOf("加微信说助学金要交钱")).toEqual({ intent: "policy" });
    expect(intentOf("我家孩子的助学金到账了没")).toEqual({ intent: "status" });
  });

  it("answers loan repayment trouble as policy, not as status or out of scope", () => {
    expect(intentOf("毕业两年了还不上钱 能展期吗").intent).toBe("policy");
    expect(intentOf("生源地贷款到期了没钱还").intent).toBe("policy");
  });

  it("does not read 打孩子卡上 as a crisis", () => {
    expect(intentOf("助学金打孩子卡上了没有")).toEqual({ intent: "status" });
  });

  it("flags a crisis and a resubscription", () => {
    expect(intentOf("孩子说不想活了")).toEqual({ intent: "handoff", crisis: true });
    expect(intentOf("订阅")).toEqual({ intent: "unsubscribe", resubscribe: true });
    expect(intentOf("我的孩子")).toEqual({ intent: "status", list: true });
  });
});

describe("binding arguments", () => {
  it("reads name, 学籍号 and the phone's last four digits from one message", () => {
    expect(parseBindArgs("绑定 张小明 G520123201001011234 1234")).toEqual({
      name: "张小明",
      studentNo: "G520123201001011234",
      phoneLast4: "1234",
    });
    expect(parseBindArgs("绑定 李小红 学籍号G520123201001011234 手机尾号5678")).toEqual({
      name: "李小红",
      studentNo: "G520123201001011234",
      phoneLast4: "5678",
    });
  });

  it("reads a staff-issued code", () => {
    expect(parseBindArgs("绑定 123456789012")).toEqual({ code: "123456789012" });
    expect(parseBindArgs("绑定码 1234 5678 9012")).toEqual({ code: "123456789012" });
    expect(parseBindArgs("绑定 1234-5678-9012")).toEqual({ code: "123456789012" });
    // Six digits are no longer a code (codes are 12 digits).
    expect(parseBindArgs("绑定 123456").code).toBeUndefined();
  });

  it("marks something named as the code that is not a code's shape, and keeps it out of the name", () => {
    expect(parseBindArgs("绑定码 7KQ2MX")).toEqual({ malformedCode: true });
    expect(parseBindArgs("绑定 码是483920")).toEqual({ malformedCode: true });
    expect(parseBindArgs("绑定 学籍号G520123201001011234 手机尾号5678").malformedCode).toBeUndefined();
  });

  it("takes no name from a bare 绑定学生", () => {
    expect(parseBindArgs("绑定学生")).toEqual({});
  });
});

describe("starting a binding with the child's name", () => {
  it("takes the name introduced as the child's", () => {
    expect(parseBindArgs("绑定 123456789012").name).toBeUndefined();
    const r = route("那就绑吧 孩子叫周小雨", { isDomain: () => false });
    expect(r).toEqual({ intent: "bind", args: { name: "周小雨" } });
  });

  it("does not take a question word for a name", () => {
    const r = route("怎么绑定 孩子叫什么都要填吗", { isDomain: () => true });
    expect(r.intent).toBe("bind");
    expect(r.intent === "bind" && r.args.name).toBeFalsy();
  });
});

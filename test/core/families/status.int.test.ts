import { beforeAll, describe, expect, it } from "vitest";
import * as applications from "../../../core/applications/index.js";
import * as bindings from "../../../core/families/bindings.js";
import { createFamily } from "../../../core/families/port.js";
import { containsUnmaskedPersonalData } from "../../../core/mask.js";
import * as schools from "../../../core/schools/index.js";
import * as students from "../../../core/students/index.js";
import { createTenant } from "../../support/stack.js";

const family = createFamily();
const system = { id: "system", role: "system" } as const;
let tenant: string;
const ids: Record<string, string> = {};
const ctx = (user: string) => ({ tenant, userKey: `wechat:${user}`, channel: "wechat" as const });
const said: string[] = [];
const collect = (texts: string[]) => (said.push(...texts), texts);

async function student(no: string, name: string, schoolId: string) {
  const { student } = await students.upsert(tenant, {
    studentNo: no,
    name,
    schoolId,
    grade: "5",
    class: "1",
    guardians: [{ name: "监护人", relation: "祖母", phone: "13700001111" }],
  });
  return student.id;
}

async function moveTo(
  appId: string,
  path: applications.Stage[],
  extra: Partial<applications.TransitionInput> = {},
  direct = false,
) {
  for (const to of path)
    await applications.transition(tenant, appId, {
      to,
      actor: system,
      directlyUnderCounty: direct,
      ...(to === path.at(-1) ? extra : {}),
    });
}

beforeAll(async () => {
  tenant = (await createTenant(undefined, { hotline: "0833-7654321" })).id;
  await schools.create(tenant, { id: "s1", name: "向阳小学", kind: "primary", township: "城关镇" });
  await schools.create(tenant, {
    id: "s2",
    name: "县一中",
    kind: "senior",
    township: "县直",
    directlyUnderCounty: true,
  });
  ids.ming = await student("G510000201301010001", "张小明", "s1");
  ids.hong = await student("G510000200901010002", "张小红", "s2");
  ids.other = await student("G510000201301010003", "王小刚", "s1");
  await bindings.bind(tenant, ids.ming, "wechat:grandma", "seed");
  await bindings.bind(tenant, ids.hong, "wechat:grandma", "seed");
  await bindings.bind(tenant, ids.other, "wechat:neighbour", "seed");

  const paid = await applications.create(
    tenant,
    { studentId: ids.ming, schoolId: "s1", programme: "compulsory_living", term: "2025-autumn", amountFen: 62500 },
    system,
  );
  await moveTo(
    paid.id,
    ["school_approved", "township_approved", "county_approved", "publicizing", "approved", "paid"],
    {
      payment: { batchId: "b1", paidDate: "2025-11-20", amountFen: 62500, accountLast4: "4321" },
    },
  );
  const rej = await applications.create(
    tenant,
    { studentId: ids.ming, schoolId: "s1", programme: "freshman_aid", term: "2026-spring", amountFen: 50000 },
    system,
  );
  await moveTo(rej.id, ["rejected"], { reason: "不是新生" });
  const pub = await applications.create(
    tenant,
    { studentId: ids.hong, schoolId: "s2", programme: "senior_grant", term: "2026-spring", amountFen: 115000 },
    system,
  );
  await moveTo(
    pub.id,
    ["school_approved", "county_approved", "publicizing"],
    {
      publicity: {
        listId: "l1",
        start: "2026-03-01",
        end: "2026-03-07",
        objectionContact: "县一中资助办 0833-1111111",
      },
    },
    true,
  );
  const direct = await applications.create(
    tenant,
    { studentId: ids.hong, schoolId: "s2", programme: "senior_fee_waiver", term: "2026-spring", amountFen: 80000 },
    system,
  );
  await moveTo(direct.id, ["school_approved"]);
  await applications.create(
    tenant,
    { studentId: ids.other, schoolId: "s1", programme: "compulsory_living", term: "2025-autumn", amountFen: 62500 },
    system,
  );
});

describe("status replies", () => {
  it("gives an unbound user binding instructions", async () => {
    const [t] = collect(await family.status(ctx("stranger")));
    expect(t).toContain("先绑定");
    expect(t).toContain("绑定 孩子姓名 学籍号 监护人手机后四位");
  });

  it("shows each bound child, masked, with programme, term, stage label, date and next step", async () => {
    const texts = collect(await family.status(ctx("grandma")));
    expect(texts).toHaveLength(2);
    const [ming, hong] = texts as [string, string];
    expect(ming).toContain("【张*明，向阳小学】");
    expect(ming).toContain("义务教育家庭经济困难学生生活补助（2025年秋季学期）：已发放");
    expect(hong).toContain("【张*红，县一中】");
    expect(hong).toContain("普通高中国家助学金（2026年春季学期）：公示中");
    expect(hong).toMatch(
      /普通高中免学杂费（2026年春季学期）：学校审核通过，\d{4}年\d{1,2}月\d{1,2}日。下一步：县学生资助管理中心审核。/,
    );
    expect(texts.join("")).not.toContain("王小刚");
  });

  it("tells a paid family the amount, date, masked account and where to check", async () => {
    const [ming] = await family.status(ctx("grandma"));
    expect(ming).toContain("已发放 625 元，发放日期 2025年11月20日，打到尾号4321的账户");
    expect(ming).toMatch(/银行.*助农取款服务点/);
  });

  it("gives the reason for a rejection and how to object", async () => {
    const [ming] = await family.status(ctx("grandma"));
    expect(ming).toContain("新生入学资助（2026年春季学期）：未通过");
    expect(ming).toContain("没通过的原因：不是新生。");
    expect(ming).toContain("0833-7654321");
  });

  it("gives the 公示 end date and the objection contact while publicised", async () => {
    const [, hong] = await family.status(ctx("grandma"));
    expect(hong).toContain("公示到 2026年3月7日 结束。对名单有异议，请联系：县一中资助办 0833-1111111。");
  });

  it("shows only the named child when the question names one's own", async () => {
    const texts = await family.status(ctx("grandma"), "小红的助学金发了没");
    expect(texts).toHaveLength(1);
    expect(texts[0]).toContain("张*红");
  });

  it("refuses a question that names another child", async () => {
    for (const q of ["王小刚的补助发了没", "帮我查一下李四的助学金", "查下刘德华同学"]) {
      const [t] = collect(await family.status(ctx("grandma"), q));
      expect(t, q).toContain("不能查别人家的孩子");
    }
  });

  it("does not take everyday words for a name", async () => {
    for (const q of [
      "高三的补助发了没",
      "我家孩子的钱到账了吗",
      "钱发了没有",
      "补助审核过了没",
      "孩子的申请到哪一步了",
    ]) {
      const texts = await family.status(ctx("grandma"), q);
      expect(texts, q).toHaveLength(2);
    }
  });

  it("never puts an unmasked 学籍号, ID number, phone or account in a reply", () => {
    for (const t of said) expect(containsUnmaskedPersonalData(t), t).toBe(false);
    expect(said.join("")).not.toMatch(/G5100002013|13700001111/);
  });
});

/**
 * The demo county (tenant `demo`): deterministic (seeded RNG), fictional names,
 * phones like 1380000xxxx. Seeded once — a second run finds the tenant and
 * leaves everything as it is (dev data survives restarts).
 */
import * as applications from "../applications/index.js";
import type { Programme, Stage } from "../applications/index.js";
import * as schools from "../schools/index.js";
import * as students from "../students/index.js";
import * as tenants from "../tenants/index.js";
import { stableId } from "../ids.js";
import { batchPut } from "../db/client.js";
import { readTallies, rebuild } from "../applications/tally-store.js";
import { canonicalGrade } from "../students/grades.js";

export const DEMO_TENANT = "demo";

/** mulberry32: tiny, fast, good enough for fixtures, same sequence every run. */
export function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!,
  };
}

const SURNAMES = [
  "王",
  "李",
  "张",
  "刘",
  "陈",
  "杨",
  "赵",
  "黄",
  "周",
  "吴",
  "徐",
  "孙",
  "马",
  "朱",
  "胡",
  "郭",
  "何",
  "林",
  "罗",
  "高",
];
const GIVEN = [
  "小明",
  "子涵",
  "欣怡",
  "浩然",
  "梓轩",
  "雨桐",
  "宇航",
  "思琪",
  "俊杰",
  "佳怡",
  "文博",
  "诗涵",
  "天宇",
  "雅婷",
  "明轩",
  "可欣",
  "志强",
  "婉清",
  "晨阳",
  "若溪",
];
const ADULT_GIVEN = ["建国", "秀英", "桂兰", "大山", "春梅", "德福", "玉兰", "国强", "淑芬", "长林"];

export const DEMO_SCHOOLS: schools.SchoolInput[] = [
  { id: "cg-kindergarten", name: "城关镇中心幼儿园", kind: "kindergarten", township: "城关镇" },
  { id: "cg-primary", name: "城关镇第一小学", kind: "primary", township: "城关镇" },
  { id: "hs-primary", name: "河石乡中心小学", kind: "primary", township: "河石乡" },
  { id: "hs-junior", name: "河石乡初级中学", kind: "junior", township: "河石乡" },
  { id: "ly-nine-year", name: "龙岩镇九年一贯制学校", kind: "nine_year", township: "龙岩镇" },
  { id: "county-senior", name: "县第一高级中学", kind: "senior", township: "城关镇", directlyUnderCounty: true },
  {
    id: "county-vocational",
    name: "县职业技术学校",
    kind: "vocational",
    township: "城关镇",
    directlyUnderCounty: true,
  },
];

const VILLAGES: Record<string, string[]> = {
  城关镇: ["东街社区", "西街社区", "柳湾村"],
  河石乡: ["河石村", "石桥村", "上坪村"],
  龙岩镇: ["龙岩村", "岩口村"],
};

const PROGRAMMES_BY_KIND: Record<string, { programme: Programme; fen: number }[]> = {
  kindergarten: [{ programme: "preschool_aid", fen: 50000 }],
  primary: [{ programme: "compulsory_living", fen: 62500 }],
  junior: [{ programme: "compulsory_living", fen: 75000 }],
  nine_year: [{ programme: "compulsory_living", fen: 62500 }],
  senior: [
    { programme: "senior_grant", fen: 115000 },
    { programme: "senior_fee_waiver", fen: 80000 },
  ],
  vocational: [
    { programme: "vocational_grant", fen: 115000 },
    { programme: "yulu", fen: 150000 },
  ],
};

/** The review path to a target stage; rejected/objected branch off a realistic point. */
function pathTo(target: Stage, direct: boolean): Stage[] {
  const up: Stage[] = direct
    ? ["school_approved", "county_approved", "publicizing", "approved", "paid"]
    : ["school_approved", "township_approved", "county_approved", "publicizing", "approved", "paid"];
  if (target === "submitted") return [];
  if (target === "rejected") return ["school_approved", "rejected"];
  if (target === "objected") return [...up.slice(0, up.indexOf("publicizing") + 1), "objected"];
  return up.slice(0, up.indexOf(target) + 1);
}

const STAGE_CYCLE: Stage[] = [
  "paid",
  "paid",
  "approved",
  "publicizing",
  "county_approved",
  "township_approved",
  "school_approved",
  "submitted",
  "rejected",
  "objected",
];

export interface SeedSummary {
  seeded: boolean;
  schools: number;
  students: number;
  applications: number;
  /** A fictional student a newcomer can bind to in the web chat. */
  example?: { name: string; studentNo: string; phoneLast4: string; school: string };
}

/** The demo county's WeChat template ids: the local fake WeChat API accepts them, so `npm run dev` delivers WeChat notices. */
export const DEMO_TEMPLATES = {
  publicity: "demo_tpl_publicity",
  payment: "demo_tpl_payment",
  broadcast: "demo_tpl_broadcast",
};

/**
 * Seed the demo county. Everything is built in memory and bulk-written; the
 * tenant record goes last, as the "seeded" marker, so an interrupted seed is
 * simply redone on the next start (ids are deterministic: rewriting is harmless).
 */
/** The day an application seeded for `term` reached `target`: the payment date, the 公示 start, or a day before both. */
function endDate(term: string, target: string): string {
  const year = term.slice(0, 4);
  if (target === "paid") return term.endsWith("spring") ? "2025-06-20" : "2025-11-25";
  if (target === "publicizing") return `${year}-10-20`;
  return term.endsWith("spring") ? "2025-06-10" : "2025-11-10";
}

export async function seedDemoCounty(opts: { force?: boolean; students?: number } = {}): Promise<SeedSummary> {
  const existing = await tenants.fromId(DEMO_TENANT);
  if (existing && !opts.force) {
    // A demo county seeded before it had template ids gets them, so its WeChat notices go out through the fake API.
    if (!existing.templates.broadcast)
      await tenants.put({ ...existing, templates: { ...DEMO_TEMPLATES, ...existing.templates } });
    // A demo county seeded before the dashboard kept counters gets them, recounted from its records.
    for (const term of ["2025-spring", "2025-autumn"])
      if ((await readTallies(DEMO_TENANT, term, "county")).cells.length === 0) await rebuild(DEMO_TENANT, term);
    return { seeded: false, schools: 0, students: 0, applications: 0 };
  }
  const r = rng(20250901);
  const tenant = DEMO_TENANT;
  for (const s of DEMO_SCHOOLS) await schools.upsert(tenant, s);

  const total = opts.students ?? 320;
  const plans: { input: students.StudentInput; school: schools.SchoolInput }[] = [];
  for (let n = 0; n < total; n++) {
    const school = DEMO_SCHOOLS[n % DEMO_SCHOOLS.length]!;
    const surname = r.pick(SURNAMES);
    const guardianCount = n % 10 === 0 ? 0 : n % 3 === 0 ? 2 : 1; // some none, some two
    const guardians = Array.from({ length: guardianCount }, (_, g) => ({
      name: surname + r.pick(ADULT_GIVEN),
      relation: g === 0 ? r.pick(["父亲", "母亲", "爷爷", "奶奶"]) : r.pick(["母亲", "外婆", "外公"]),
      phone: `1380000${String(n * 2 + g).padStart(4, "0")}`,
    }));
    const grade =
      school.kind === "kindergarten"
        ? "大班"
        : canonicalGrade(
            String(
              r.int(
                1,
                ["senior", "vocational", "junior"].includes(school.kind) ? 3 : school.kind === "nine_year" ? 9 : 6,
              ),
            ),
            school.kind,
          );
    plans.push({
      school,
      input: {
        studentNo:
          `G5199${String(2010 + (n % 12))}${String(100000 + n).padStart(6, "0")}${String(n % 97).padStart(4, "0")}`.slice(
            0,
            19,
          ),
        name: surname + r.pick(GIVEN),
        schoolId: school.id,
        grade,
        class: String(r.int(1, 3)),
        village: r.pick(VILLAGES[school.township] ?? ["城关镇"]),
        guardians,
      },
    });
  }
  const imported = students.importItems(
    tenant,
    plans.map((p) => p.input),
  );
  const items: Record<string, unknown>[] = [...imported.items];
  let appCount = 0;
  const system = { id: "seed", role: "system" } as const;
  for (const [idx, { school }] of plans.entries()) {
    const student = imported.students[idx]!;
    for (const [pi, p] of (PROGRAMMES_BY_KIND[school.kind] ?? []).entries()) {
      for (const term of ["2025-spring", "2025-autumn"]) {
        if ((idx + pi) % 4 === 3) continue; // not everyone applies for everything
        const target =
          term === "2025-spring"
            ? idx % 7 === 0
              ? "rejected"
              : "paid"
            : STAGE_CYCLE[(idx + pi) % STAGE_CYCLE.length]!;
        const year = term.slice(0, 4);
        const { put, audits } = applications.historyItems(
          tenant,
          { studentId: student.id, schoolId: school.id, programme: p.programme, term, amountFen: p.fen },
          system,
          pathTo(target, !!school.directlyUnderCounty).map((to) => ({
            to,
            directlyUnderCounty: school.directlyUnderCounty,
            reason:
              to === "rejected"
                ? "家庭经济状况经核查不符合认定条件"
                : to === "objected"
                  ? "公示期间收到实名异议，正在复核"
                  : undefined,
            publicity:
              to === "publicizing"
                ? {
                    listId: stableId("evt", tenant, "seed-list", p.programme, term),
                    start: `${year}-10-20`,
                    end: `${year}-10-27`,
                    objectionContact: "县学生资助管理中心 0000-6612345",
                  }
                : undefined,
            payment:
              to === "paid"
                ? {
                    batchId: `SEED-${term}`,
                    paidDate: term.endsWith("spring") ? "2025-06-20" : "2025-11-25",
                    amountFen: p.fen,
                    accountLast4: String(1000 + (idx % 9000)).slice(-4),
                  }
                : undefined,
          })),
          stableId("app", tenant, student.id, p.programme, term),
          // Stage dates walk up to the payment (or the 公示 start) a week apart, so no stage is dated after the money.
          { endAt: Date.parse(`${endDate(term, target)}T10:00:00+08:00`), stepMs: 7 * 24 * 3600_000 },
        );
        items.push(put.Item, ...audits.map((a) => a.Put.Item));
        appCount++;
      }
    }
  }
  await batchPut(items);
  // Bulk writes bypass the moves' transactions: the dashboard's counters are recounted from what was just written.
  for (const term of ["2025-spring", "2025-autumn"]) await rebuild(tenant, term);
  await tenants.put({
    id: tenant,
    name: "示范县教育局学生资助管理中心",
    hotline: "0000-6612345",
    timeZone: "Asia/Shanghai",
    templates: DEMO_TEMPLATES,
  });
  const first = plans.find((p) => p.input.guardians && p.input.guardians.length > 0)!;
  return {
    seeded: true,
    schools: DEMO_SCHOOLS.length,
    students: plans.length,
    applications: appCount,
    example: {
      name: first.input.name,
      studentNo: first.input.studentNo,
      phoneLast4: first.input.guardians![0]!.phone.slice(-4),
      school: first.school.name,
    },
  };
}

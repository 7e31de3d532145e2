/**
 * Shared setup for the notification pipeline tests: a county with students, guardians bound through the real
 * bindings module, applications walked to a stage through the real stage machine, staff tokens, the fake WeChat
 * API, and the staff API called in-process through the Hono app.
 */
import * as applications from "../../../core/applications/index.js";
import { rebuild } from "../../../core/applications/tally-store.js";
import { batchPut } from "../../../core/db/client.js";
import type { Programme, Stage } from "../../../core/applications/index.js";
import { resetConfig } from "../../../core/config.js";
import { bind } from "../../../core/families/bindings.js";
import { clearCache } from "../../../core/notifications/cache.js";
import { mapLimit } from "../../../core/concurrency.js";
import * as records from "../../../core/notifications/records.js";
import * as schools from "../../../core/schools/index.js";
import * as staff from "../../../core/staff/index.js";
import * as students from "../../../core/students/index.js";
import { FAKE_WECHAT_PATHS, startFakeWechatApi, type FakeWechatApi } from "../../fakes/wechat-api.js";
import { app } from "../../../functions/http/app.js";
import { createTenant, isolatedQueues } from "../../support/stack.js";
import type { QueueUrls } from "../../../core/local/provision.js";

export const TEMPLATES = { publicity: "tpl_publicity", payment: "tpl_payment", broadcast: "tpl_broadcast" };
export const SCHOOL = "xy-primary";
export const OTHER_SCHOOL = "hs-primary";
const system = { id: "system", role: "system" } as const;

const SURNAMES = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴"];
const GIVEN = ["小明", "子涵", "欣怡", "浩然", "梓轩", "雨桐", "宇航", "思琪", "俊杰", "佳怡"];

export interface Kid {
  id: string;
  name: string;
  studentNo: string;
  grade: string;
  class: string;
  users: string[];
  appId?: string;
}

export interface World {
  tenant: string;
  queues: QueueUrls;
  fake: FakeWechatApi;
  bureau: string;
  schoolToken: string;
  otherSchoolToken: string;
  kids: Kid[];
}

/** The fake WeChat API, with config pointed at it. */
export async function startWechat(): Promise<FakeWechatApi> {
  const fake = await startFakeWechatApi({ appId: "wx_test_app", secret: "test_secret" });
  process.env.WECHAT_API_BASE = fake.url;
  process.env.WECHAT_APP_ID = "wx_test_app";
  process.env.WECHAT_APP_SECRET = "test_secret";
  resetConfig();
  return fake;
}

export async function setupWorld(): Promise<Omit<World, "kids">> {
  const queues = await isolatedQueues();
  const fake = await startWechat();
  const tenant = (await createTenant(undefined, { templates: TEMPLATES })).id;
  clearCache();
  await schools.create(tenant, { id: SCHOOL, name: "向阳小学", kind: "primary", township: "城关镇" });
  await schools.create(tenant, { id: OTHER_SCHOOL, name: "河石乡中心小学", kind: "primary", township: "河石乡" });
  const bureau = (await staff.issue(tenant, { role: "bureau", label: "县资助中心" }, "test")).token;
  const schoolToken = (
    await staff.issue(tenant, { role: "school", schoolId: SCHOOL, label: "向阳小学资助专干" }, "test")
  ).token;
  const otherSchoolToken = (
    await staff.issue(tenant, { role: "school", schoolId: OTHER_SCHOOL, label: "河石乡中心小学" }, "test")
  ).token;
  return { tenant, queues, fake, bureau, schoolToken, otherSchoolToken };
}

let serial = 0;

/**
 * `count` students; `guardians(i)` bound chat users each (`web(i)` makes the first one a web-chat user), and an
 * application at `stage` when `programme` is given.
 */
export async function addKids(
  tenant: string,
  count: number,
  opts: {
    guardians: (i: number) => number;
    web?: (i: number) => boolean;
    schoolId?: string;
    grade?: (i: number) => string;
    klass?: (i: number) => string;
    village?: string;
    application?: { programme: Programme; term: string; stage: Stage; amountFen: number };
  },
): Promise<Kid[]> {
  const batch = ++serial;
  const kids = await mapLimit(
    Array.from({ length: count }, (_, i) => i),
    8,
    async (i): Promise<Kid> => {
      const name = `${SURNAMES[i % 10]}${GIVEN[Math.floor(i / 10) % 10]}`;
      const studentNo =
        `G5100${String(batch).padStart(3, "0")}${tenant.slice(-6).replace(/[^0-9a-z]/g, "0")}${String(i).padStart(5, "0")}`.toUpperCase();
      const grade = opts.grade?.(i) ?? "3";
      const klass = opts.klass?.(i) ?? "2";
      const { student } = await students.upsert(tenant, {
        studentNo,
        name,
        schoolId: opts.schoolId ?? SCHOOL,
        grade,
        class: klass,
        village: opts.village,
        guardians: [{ name: "家长", relation: "父亲", phone: "13800001234" }],
      });
      const users: string[] = [];
      for (let g = 0; g < opts.guardians(i); g++) {
        const userKey = g === 0 && opts.web?.(i) ? `web:u${batch}_${i}` : `wechat:o${batch}_${i}_${g}`;
        await bind(tenant, student.id, userKey, "seed");
        users.push(userKey);
      }
      let appId: string | undefined;
      if (opts.application) {
        const a = opts.application;
        const created = await applications.createWithHistory(
          tenant,
          {
            studentId: student.id,
            schoolId: student.schoolId,
            programme: a.programme,
            term: a.term,
            amountFen: a.amountFen,
          },
          system,
          stepsTo(a.stage),
        );
        appId = created.id;
      }
      return { id: student.id, name, studentNo, grade, class: klass, users, appId };
    },
  );
  return kids;
}

function stepsTo(
  stage: Stage,
): { to: Stage; reason?: string; publicity?: applications.ApplicationInfo["publicity"] }[] {
  const path: Stage[] = ["school_approved", "township_approved", "county_approved", "publicizing", "approved"];
  const end = path.indexOf(stage);
  if (end < 0) throw new Error(`fixture cannot reach ${stage}`);
  return path.slice(0, end + 1).map((to) => ({
    to,
    publicity:
      to === "publicizing"
        ? { listId: "evt_fixture000000000", start: "2025-10-01", end: "2025-10-07", objectionContact: "学校资助办" }
        : undefined,
  }));
}

export async function api(
  token: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const isText = typeof body === "string";
  const res = await app.request(path, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { "content-type": isText ? "text/csv" : "application/json" }),
      ...headers,
    },
    body: body === undefined ? undefined : isText ? body : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as any };
}

export async function waitFor<T>(
  check: () => Promise<T | undefined | false>,
  timeoutMs = 30_000,
  what = "condition",
): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Resolves with the report once no notification of the event is pending (queued / sending) and fan-out is done. */
export async function settled(token: string, eventId: string, timeoutMs = 30_000, pendingOk: "held"[] = []) {
  return waitFor(
    async () => {
      const { status, body } = await api(token, "GET", `/api/events/${eventId}/deliveries`);
      if (status !== 200) throw new Error(`deliveries answered ${status}: ${JSON.stringify(body)}`);
      const pending = body.counts.queued + (pendingOk.includes("held") ? 0 : body.counts.held);
      return body.event.fanoutDone && pending === 0 ? body : undefined;
    },
    timeoutMs,
    `event ${eventId} to settle`,
  );
}

/** Template sends the fake accepted, by openid. */
export function sendsByUser(
  fake: FakeWechatApi,
): Map<string, { template_id: string; client_msg_id: string; data: Record<string, { value: string }> }[]> {
  const out = new Map<string, any[]>();
  for (const s of fake.sends) {
    if (s.path !== FAKE_WECHAT_PATHS.templateSend) continue;
    const b = s.body as { touser: string };
    out.set(b.touser, [...(out.get(b.touser) ?? []), b]);
  }
  return out;
}

export async function notificationsOf(tenant: string, eventId: string) {
  return records.ofEvent(tenant, eventId);
}

/**
 * `count` students with an approved 两免一补 application each (625 元, 2025-autumn), written in bulk as the bench seeds
 * them — for long payment files, where one write per step would take minutes. A bulk load bypasses the transactions
 * that change the dashboard's counters, so the term's counters are rebuilt from the records afterwards, as the demo
 * seed does (docs/dashboard.md).
 */
export function seedApprovedStudents(tenant: string, prefix: string, count: number) {
  return seedApprovedStudentNos(
    tenant,
    Array.from({ length: count }, (_, i) => `${prefix}${String(i).padStart(10, "0")}`),
  );
}

export async function seedApprovedStudentNos(
  tenant: string,
  studentNos: string[],
  opts: { term?: string; programme?: Programme; amountFen?: number } = {},
): Promise<{ studentNo: string; appId: string }[]> {
  const { term = "2025-autumn", programme = "compulsory_living", amountFen = 62500 } = opts;
  const imported = students.importItems(
    tenant,
    studentNos.map((studentNo, i) => ({
      studentNo,
      name: `学生${String.fromCharCode(0x4e00 + (i % 2000))}`,
      schoolId: SCHOOL,
      grade: "3",
      class: "2",
      guardians: [{ name: "家长", relation: "母亲", phone: "13800001234" }],
    })),
  );
  const items: Record<string, unknown>[] = [...imported.items];
  const out: { studentNo: string; appId: string }[] = [];
  for (const student of imported.students) {
    const { put } = applications.historyItems(
      tenant,
      { studentId: student.id, schoolId: SCHOOL, programme, term, amountFen },
      system,
      stepsTo("approved"),
    );
    items.push(put.Item);
    out.push({ studentNo: student.studentNo, appId: put.Item.id as string });
  }
  await batchPut(items, 4);
  await rebuild(tenant, term);
  return out;
}

/**
 * Bench: what one WeChat push costs us, per request type, on the full webhook path (the real Hono app in-process,
 * safe mode, the real assistant, DynamoDB Local + the SQS emulator):
 *
 *   policy question             a new user asks a policy question;
 *   policy question, same topic a returning user asks about the topic of their last message (the topic is kept,
 *                               not written again);
 *   status question (bound)     a parent bound to one child asks "查进度";
 *   binding attempt             a new user binds with name + 学籍号 + phone tail (succeeds);
 *   retry of a known message    WeChat re-sends a push already answered.
 *
 * Counted: DynamoDB and SQS round trips (a counting middleware on the SDK clients' own middleware stacks — this
 * file only; production code is not instrumented) and the Node CPU time of the process (process.cpuUsage, user +
 * system) per request, over N sequential requests of each type after a warm-up. The SQS emulator runs in this
 * process, so SQS calls also count its CPU; DynamoDB Local is a separate JVM and does not count.
 */
import { randomBytes } from "node:crypto";
import * as wecom from "@wecom/crypto";
import { resetConfig } from "../../core/config.js";
import { batchPut, ddb } from "../../core/db/client.js";
import { sqs } from "../../core/queue/client.js";
import { bind } from "../../core/families/bindings.js";
import { mapLimit } from "../../core/concurrency.js";
import * as applications from "../../core/applications/index.js";
import * as schools from "../../core/schools/index.js";
import * as students from "../../core/students/index.js";
import * as tenants from "../../core/tenants/index.js";

export const BENCH_WECHAT = {
  token: "benchToken",
  appId: "wx_bench_app",
  aesKey: "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG",
} as const;

let msgSeq = 0;
/** A signed, encrypted safe-mode text push (the client's crypto is done here, before anything is measured). */
export function signedTextPush(
  path: string,
  openId: string,
  content: string,
  msgId = BigInt(Date.now()) * 1000n + BigInt(msgSeq++ % 1000),
): { path: string; body: string } {
  const { token, appId, aesKey } = BENCH_WECHAT;
  const ts = String(Math.floor(Date.now() / 1000));
  const nonce = String(100000 + (msgSeq % 900000));
  const xml =
    `<xml><ToUserName><![CDATA[gh_bench]]></ToUserName><FromUserName><![CDATA[${openId}]]></FromUserName>` +
    `<CreateTime>${ts}</CreateTime><MsgType><![CDATA[text]]></MsgType>` +
    `<Content><![CDATA[${content}]]></Content><MsgId>${msgId}</MsgId></xml>`;
  const enc = wecom.encrypt(aesKey, xml, appId);
  const q = new URLSearchParams({
    signature: wecom.getSignature(token, ts, nonce, ""),
    timestamp: ts,
    nonce,
    openid: openId,
    encrypt_type: "aes",
    msg_signature: wecom.getSignature(token, ts, nonce, enc),
  });
  return {
    path: `${path}?${q}`,
    body: `<xml><ToUserName><![CDATA[gh_bench]]></ToUserName><Encrypt><![CDATA[${enc}]]></Encrypt></xml>`,
  };
}

/** Counts every command sent through the shared DynamoDB and SQS clients, by service and command name. */
export function countSdkCalls(): {
  snapshot: () => { dynamo: number; sqs: number; byCommand: Record<string, number> };
  reset: () => void;
} {
  const byCommand: Record<string, number> = {};
  const totals = { dynamo: 0, sqs: 0 };
  const attach = (
    client: { middlewareStack: { add: (m: unknown, o: unknown) => void; identify?: () => string[] } },
    service: "dynamo" | "sqs",
  ) => {
    const name = `benchCount_${service}`;
    if (client.middlewareStack.identify?.().some((s) => s.startsWith(name))) return;
    client.middlewareStack.add(
      (next: (a: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: unknown) => {
        totals[service]++;
        const cmd = `${service}:${(context.commandName ?? "?").replace(/Command$/, "")}`;
        byCommand[cmd] = (byCommand[cmd] ?? 0) + 1;
        return next(args);
      },
      { step: "initialize", name },
    );
  };
  attach(ddb() as never, "dynamo");
  attach(sqs() as never, "sqs");
  return {
    snapshot: () => ({ ...totals, byCommand: { ...byCommand } }),
    reset: () => {
      totals.dynamo = 0;
      totals.sqs = 0;
      for (const k of Object.keys(byCommand)) delete byCommand[k];
    },
  };
}

export interface CostRow {
  type: string;
  requests: number;
  dynamoPerRequest: number;
  sqsPerRequest: number;
  cpuMsPerRequest: number;
  byCommand: Record<string, number>;
  errors: number;
}

type AppLike = { request: (path: string, init: RequestInit) => Response | Promise<Response> };

/** Seeds a tenant with `n` students, each with an approved application, bound to `wechat:obound<i>` when `bound`. */
async function seed(
  tenant: string,
  n: number,
  offset: number,
  bound: boolean,
): Promise<{ name: string; studentNo: string; phone: string }[]> {
  const imported = students.importItems(
    tenant,
    Array.from({ length: n }, (_, k) => {
      const i = k + offset;
      return {
        studentNo: `G5100003000${String(i).padStart(7, "0")}`,
        name: `测试${"甲乙丙丁戊己庚辛壬癸"[i % 10]}${"子丑寅卯辰巳午未申酉"[Math.floor(i / 10) % 10]}`,
        schoolId: "bench-cost-school",
        grade: "3",
        class: "1",
        guardians: [{ name: "家长", relation: "母亲", phone: `1390000${String(i % 10000).padStart(4, "0")}` }],
      };
    }),
  );
  const items: Record<string, unknown>[] = [...imported.items];
  const system = { id: "bench", role: "system" } as const;
  for (const student of imported.students) {
    const { put } = applications.historyItems(
      tenant,
      {
        studentId: student.id,
        schoolId: "bench-cost-school",
        programme: "compulsory_living",
        term: "2025-autumn",
        amountFen: 62500,
      },
      system,
      [{ to: "school_approved" as const }, { to: "county_approved" as const, directlyUnderCounty: true }],
    );
    items.push(put.Item);
  }
  await batchPut(items, 4);
  if (bound) await mapLimit(imported.students, 8, (s, k) => bind(tenant, s.id, `wechat:obound${k + offset}`, "seed"));
  return imported.students.map((s) => ({ name: s.name, studentNo: s.studentNo, phone: s.guardians[0]?.phone ?? "" }));
}

/** The bench's WeChat credentials in the environment, and a fresh tenant named `<prefix>-<time>`. */
export async function benchTenant(prefix: string): Promise<string> {
  Object.assign(process.env, {
    WECHAT_TOKEN: BENCH_WECHAT.token,
    WECHAT_APP_ID: BENCH_WECHAT.appId,
    WECHAT_AES_KEY: BENCH_WECHAT.aesKey,
  });
  resetConfig();
  const tenant = `${prefix}-${Date.now().toString(36)}`;
  await tenants.put({
    id: tenant,
    name: "基准县学生资助管理中心",
    hotline: "0000-1234567",
    timeZone: "Asia/Shanghai",
    templates: {},
  });
  return tenant;
}

/**
 * Measures each request type on `app` (the full Hono app). The environment must already point at a local stack;
 * WeChat credentials are set here.
 */
export async function benchCost(makeApp: () => Promise<AppLike>, opts: { requests?: number } = {}): Promise<CostRow[]> {
  const n = opts.requests ?? 100;
  const tenant = await benchTenant("bench-cost");
  await schools.create(tenant, {
    id: "bench-cost-school",
    name: "基准小学",
    kind: "primary",
    township: "城关镇",
    directlyUnderCounty: true,
  });
  const warm = 20;
  const boundKids = await seed(tenant, n + warm, 0, true);
  const freeKids = await seed(tenant, n + warm, 10_000, false);
  const app = await makeApp();
  const counter = countSdkCalls();
  const path = `/wechat/${tenant}`;
  const send = async (p: { path: string; body: string }) => {
    const res = await app.request(p.path, { method: "POST", body: p.body, headers: { "content-type": "text/xml" } });
    const text = await res.text();
    return res.status === 200 && (text.includes("<Encrypt>") || text === "success");
  };
  const uid = () => `obench${randomBytes(6).toString("hex")}`;
  const questions = [
    "小学住校一年补多少",
    "高中助学金一年多少钱",
    "助学贷款在哪办",
    "中职免学费吗",
    "大学新生路费补助怎么申请",
  ];
  const types: {
    type: string;
    make: (i: number) => { path: string; body: string };
    before?: (p: { path: string; body: string }, i: number) => Promise<unknown>;
  }[] = [
    { type: "policy question (new user)", make: (i) => signedTextPush(path, uid(), questions[i % questions.length]!) },
    {
      type: "policy question, same topic (returning user)",
      make: (i) => signedTextPush(path, `oreturn${i}`, questions[i % questions.length]!),
      before: (_, i) => send(signedTextPush(path, `oreturn${i}`, questions[i % questions.length]!)),
    },
    { type: "status question (bound parent)", make: (i) => signedTextPush(path, `obound${i}`, "查进度") },
    {
      type: "binding attempt (name + 学籍号 + phone tail)",
      make: (i) => {
        const kid = freeKids[i]!;
        return signedTextPush(path, uid(), `绑定 ${kid.name} ${kid.studentNo} ${kid.phone.slice(-4)}`);
      },
    },
    {
      type: "retry of a known message",
      make: (i) => signedTextPush(path, uid(), questions[i % questions.length]!),
      before: send,
    },
  ];
  const rows: CostRow[] = [];
  for (const t of types) {
    // Warm-up on indices [n, n + warm) so the measured requests use fresh users and children.
    for (let i = n; i < n + warm; i++) {
      const p = t.make(i);
      if (t.before) await t.before(p, i);
      await send(p);
    }
    const pushes = Array.from({ length: n }, (_, i) => t.make(i));
    if (t.before) for (const [i, p] of pushes.entries()) await t.before(p, i);
    counter.reset();
    let errors = 0;
    const cpu0 = process.cpuUsage();
    for (const p of pushes) if (!(await send(p))) errors++;
    const cpu = process.cpuUsage(cpu0);
    const counts = counter.snapshot();
    rows.push({
      type: t.type,
      requests: n,
      dynamoPerRequest: counts.dynamo / n,
      sqsPerRequest: counts.sqs / n,
      cpuMsPerRequest: (cpu.user + cpu.system) / 1000 / n,
      byCommand: Object.fromEntries(
        Object.entries(counts.byCommand).map(([k, v]) => [k, Math.round((v / n) * 100) / 100]),
      ),
      errors,
    });
  }
  void boundKids;
  return rows;
}

export function printCost(rows: CostRow[], load: string): void {
  console.log("\n## Per-request cost on the WeChat webhook path (full app in-process, sequential, after warm-up)");
  console.log(load);
  console.log(
    "| request type | requests | DynamoDB calls/req | SQS calls/req | Node CPU ms/req | calls by command (per req) | errors |",
  );
  console.log("|---|---:|---:|---:|---:|---|---:|");
  for (const r of rows) {
    const by = Object.entries(r.byCommand)
      .map(([k, v]) => `${k}×${v}`)
      .join(", ");
    console.log(
      `| ${r.type} | ${r.requests} | ${r.dynamoPerRequest.toFixed(2)} | ${r.sqsPerRequest.toFixed(2)} | ${r.cpuMsPerRequest.toFixed(2)} | ${by} | ${r.errors} |`,
    );
  }
  console.log(
    "- CPU is this process's user + system time (process.cpuUsage) divided by the requests; DynamoDB Local runs in its own JVM and is not included.",
  );
}

/**
 * Bench: ops/s of the core access patterns against DynamoDB Local, each next to
 * a peer measured in the same run — the bare low-level SDK call doing the same
 * read — so the figure says what our layer costs, not how fast this laptop is.
 */
import { DynamoDBClient, GetItemCommand, QueryCommand } from "@aws-sdk/client-dynamodb";
import * as applications from "../../core/applications/index.js";
import * as schools from "../../core/schools/index.js";
import * as students from "../../core/students/index.js";
import * as tenants from "../../core/tenants/index.js";
import { config } from "../../core/config.js";
import { keys } from "../../core/db/keys.js";

export interface Figure {
  name: string;
  opsPerSecond: number;
  peer?: { name: string; opsPerSecond: number };
}

async function measure(n: number, concurrency: number, op: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) await op(next++);
    }),
  );
  return n / ((performance.now() - start) / 1000);
}

export async function benchStore(opts: { students?: number; ops?: number } = {}): Promise<Figure[]> {
  const tenant = `bench-${Date.now().toString(36)}`;
  const N = opts.students ?? 500;
  const OPS = opts.ops ?? 2000;
  await tenants.put({ id: tenant, name: "bench", hotline: "0000", timeZone: "Asia/Shanghai", templates: {} });
  await schools.create(tenant, { id: "s1", name: "测试小学", kind: "primary", township: "城关镇" });
  const nos: string[] = [];
  const figures: Figure[] = [];

  const upsertRate = await measure(N, 16, async (i) => {
    const studentNo = `G${String(100000000000000000 + i)}`;
    nos.push(studentNo);
    await students.upsert(tenant, {
      studentNo,
      name: "学生" + i,
      schoolId: "s1",
      grade: String((i % 6) + 1),
      class: String((i % 3) + 1),
      guardians: [{ name: "家长", relation: "母亲", phone: `1380000${String(i).padStart(4, "0")}` }],
    });
  });
  figures.push({ name: "student upsert by 学籍号 (read + put)", opsPerSecond: upsertRate });

  const c = config();
  const raw = new DynamoDBClient({
    region: c.region,
    endpoint: c.dynamoEndpoint,
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  const ids = nos.map((no) => students.idFor(tenant, no));
  const byNo = await measure(OPS, 16, (i) => students.fromStudentNo(tenant, nos[i % nos.length]!));
  const rawGet = await measure(OPS, 16, (i) =>
    raw.send(
      new GetItemCommand({
        TableName: c.tableName,
        Key: { pk: { S: keys.student(tenant, ids[i % ids.length]!).pk }, sk: { S: "PROFILE" } },
        ConsistentRead: true,
      }),
    ),
  );
  figures.push({
    name: "student by 学籍号 (get + zod parse)",
    opsPerSecond: byNo,
    peer: { name: "bare GetItem", opsPerSecond: rawGet },
  });

  const byClass = await measure(OPS / 4, 8, (i) =>
    students.bySchool(tenant, "s1", { grade: String((i % 6) + 1), class: String((i % 3) + 1) }),
  );
  const rawQuery = await measure(OPS / 4, 8, (i) =>
    raw.send(
      new QueryCommand({
        TableName: c.tableName,
        IndexName: "gsi1",
        KeyConditionExpression: "gsi1pk = :p AND begins_with(gsi1sk, :s)",
        ExpressionAttributeValues: {
          ":p": { S: keys.studentsOfSchoolPk(tenant, "s1") },
          ":s": { S: `G#${(i % 6) + 1}#C#${(i % 3) + 1}#` },
        },
      }),
    ),
  );
  figures.push({
    name: "students by school/grade/class (~28 each)",
    opsPerSecond: byClass,
    peer: { name: "bare Query", opsPerSecond: rawQuery },
  });

  const system = { id: "bench", role: "system" } as const;
  const apps: string[] = [];
  const createRate = await measure(N, 16, async (i) => {
    const a = await applications.create(
      tenant,
      { studentId: ids[i]!, schoolId: "s1", programme: "compulsory_living", term: "2025-autumn", amountFen: 62500 },
      system,
    );
    apps.push(a.id);
  });
  figures.push({ name: "application create (transaction + audit)", opsPerSecond: createRate });
  const moveRate = await measure(apps.length, 16, (i) =>
    applications.transition(tenant, apps[i]!, { to: "school_approved", actor: system }),
  );
  figures.push({ name: "stage transition (read + transaction + audit)", opsPerSecond: moveRate });
  const ofStudent = await measure(OPS, 16, (i) => applications.ofStudent(tenant, ids[i % ids.length]!));
  figures.push({ name: "applications of a student", opsPerSecond: ofStudent });
  return figures;
}

export function printFigures(title: string, figures: Figure[]) {
  console.log(`\n## ${title}`);
  for (const f of figures) {
    const peer = f.peer
      ? `   peer ${f.peer.name}: ${f.peer.opsPerSecond.toFixed(0)}/s   ours/peer = ${(f.opsPerSecond / f.peer.opsPerSecond).toFixed(2)}`
      : "";
    console.log(`${f.name.padEnd(52)} ${f.opsPerSecond.toFixed(0).padStart(6)} ops/s${peer}`);
  }
}

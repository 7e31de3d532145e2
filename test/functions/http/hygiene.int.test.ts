import { beforeAll, describe, expect, it } from "vitest";
import { app } from "../../../functions/http/app.js";
import { call, county, studentRow, type Json } from "./api/support.js";

let c: Awaited<ReturnType<typeof county>>;
beforeAll(async () => {
  c = await county();
});

async function raw(
  token: string,
  path: string,
  body: string | Uint8Array | ReadableStream<Uint8Array>,
  contentType: string,
  extra: RequestInit = {},
) {
  const res = await app.request(path, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": contentType },
    body,
    ...extra,
  });
  return { status: res.status, body: (await res.json()) as Json };
}

/** The stored student of an upload's first row (the list shows names to staff; 学籍号 are masked there). */
async function firstStudent(upload: { body: Json }) {
  const id = upload.body.rows?.[0]?.studentId as string | undefined;
  const list = await call(c.tokens.bureau, "GET", "/api/students?schoolId=a1");
  return (list.body.items as Json[]).find((s) => s.id === id);
}

describe("body hygiene at the boundary", () => {
  it("refuses a JSON body with invalid UTF-8 with a Chinese 400 and stores nothing", async () => {
    const json = Buffer.from(JSON.stringify({ students: [studentRow("G510000201601017001", "张三", "a1")] }));
    const at = json.indexOf(Buffer.from("张三"));
    json[at + 1] = 0xff; // break the middle byte of 张
    const r = await raw(c.tokens.bureau, "/api/students", json, "application/json");
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe("invalid_utf8");
    expect(r.body.error.message).toMatch(/不是有效的 UTF-8/);
    const list = await call(c.tokens.bureau, "GET", "/api/students?schoolId=a1");
    expect((list.body.items as Json[]).some((s) => String(s.name).startsWith("张"))).toBe(false);
  });

  it("refuses invalid UTF-8 in the web chat too", async () => {
    const res = await app.request("/chat/" + c.tenant, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: new Uint8Array([...Buffer.from('{"text":"助学金'), 0xc3, 0x28, ...Buffer.from('"}')]),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as Json).error.code).toBe("invalid_utf8");
  });

  it("strips zero-width and bidi-override characters from names and free text, typed or escaped", async () => {
    const typed = studentRow("G510000201601017002", "王\u200B小\u202E明\u2066", "a1", {
      village: "柳\uFEFF树村\u0007",
    });
    typed.guardians[0]!.name = "王\u200D大山";
    const r1 = await call(c.tokens.bureau, "POST", "/api/students", { students: [typed] });
    expect(r1.status).toBe(200);
    const escaped = JSON.stringify({ students: [studentRow("G510000201601017003", "赵四", "a1")] }).replace(
      "赵四",
      "\\u8d75\\u200b\\u56db\\u202e",
    );
    const r2 = await raw(c.tokens.bureau, "/api/students", escaped, "application/json; charset=utf-8");
    expect(r2.status).toBe(200);
    const a = await firstStudent(r1);
    expect(a).toMatchObject({ name: "王小明", village: "柳树村" });
    expect(a!.guardians[0].name).toBe("王大山");
    expect((await firstStudent(r2))!.name).toBe("赵四");
  });

  it("strips them from CSV uploads as well", async () => {
    const csv = "姓名,学籍号,学校,年级,班级\n\u202E李\u200B五,G510000201601017004,a1,3,2\n";
    const r = await raw(c.tokens.bureau, "/api/students", csv, "text/csv");
    expect(r.status).toBe(200);
    expect((await firstStudent(r))!.name).toBe("李五");
  });

  it("refuses a chunked body as soon as it passes the limit, without reading the rest", async () => {
    let pulled = 0;
    const chunk = new Uint8Array(1024 * 1024).fill(0x20);
    const stream = new ReadableStream<Uint8Array>({
      pull(ctrl) {
        pulled++;
        if (pulled > 50) ctrl.close();
        else ctrl.enqueue(chunk);
      },
    });
    const r = await raw(c.tokens.bureau, "/api/students", stream, "text/csv", { duplex: "half" } as RequestInit);
    expect(r.status).toBe(413);
    expect(r.body.error.code).toBe("body_too_large");
    expect(r.body.error.message).toMatch(/5 MB/);
    expect(pulled).toBeLessThan(10);
  });

  it("refuses a body whose Content-Length is over the limit before reading it", async () => {
    const res = await app.request("/api/students", {
      method: "POST",
      headers: {
        authorization: `Bearer ${c.tokens.bureau}`,
        "content-type": "application/json",
        "content-length": String(6 * 1024 * 1024),
      },
      body: "{}",
    });
    expect(res.status).toBe(413);
    expect(((await res.json()) as Json).error.code).toBe("body_too_large");
  });
});

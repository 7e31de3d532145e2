/**
 * The route contract (functions/http/api/contract.ts): every declared staff route refuses the roles it does not
 * list and callers without credentials — the cases are generated from the declarations, so a new route is covered
 * the day it is declared; one body limit (413, stable code, Chinese message) before and while a body streams in;
 * the OpenAPI document and the reference page beside it.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { app } from "../../../../functions/http/app.js";
import {
  declaredRoutes,
  FILE_LIMIT_BYTES,
  JSON_LIMIT_BYTES,
  ROLES,
  type StaffRole,
} from "../../../../functions/http/api/contract.js";
import { call, county, type Json } from "./support.js";

let c: Awaited<ReturnType<typeof county>>;
let tokenOf: Record<StaffRole, string>;

beforeAll(async () => {
  c = await county();
  tokenOf = { bureau: c.tokens.bureau, township: c.tokens.chengguan, school: c.tokens.a1 };
});

const staffRoutes = () => declaredRoutes().filter((r) => r.path.startsWith("/api/") && r.roles !== "public");
const concrete = (path: string) => path.replace(/\{\w+\}/g, "x0");
const withBody = (method: string) => (method === "post" || method === "put" ? {} : undefined);

describe("every declared staff route", () => {
  it("is declared: the document lists the routes and the routes the document lists", async () => {
    const doc = (await call(undefined, "GET", "/api/openapi.json")).body;
    const documented = Object.entries(doc.paths as Json).flatMap(([path, ops]) =>
      Object.keys(ops as Json).map((m) => `${m} ${path}`),
    );
    expect(documented.sort()).toEqual(
      declaredRoutes()
        .map((r) => `${r.method} ${r.path}`)
        .sort(),
    );
    expect(staffRoutes().length).toBeGreaterThanOrEqual(45);
  });

  it("answers 401 without credentials", async () => {
    for (const r of staffRoutes()) {
      const res = await call(undefined, r.method.toUpperCase(), concrete(r.path), withBody(r.method));
      expect(res.status, `${r.method} ${r.path}`).toBe(401);
      expect(res.body.error.code).toBe("unauthorized");
    }
  });

  it("answers 403 to every role it does not list, before looking at the record or the body", async () => {
    let refused = 0;
    for (const r of staffRoutes()) {
      for (const role of ROLES.filter((x) => !(r.roles as readonly string[]).includes(x))) {
        const res = await call(tokenOf[role], r.method.toUpperCase(), concrete(r.path), withBody(r.method));
        expect(res.status, `${role}: ${r.method} ${r.path}`).toBe(403);
        expect(res.body.error.code, `${role}: ${r.method} ${r.path}`).toBe(r.refusalCode);
        expect(res.body.error.message).toMatch(/[\u4e00-\u9fff]/);
        refused++;
      }
    }
    // Bureau-only and school-only routes exist, so this cannot pass vacuously.
    expect(refused).toBeGreaterThanOrEqual(20);
  });

  it("lets each listed role through the role check (whatever the record then answers)", async () => {
    for (const r of staffRoutes()) {
      for (const role of r.roles as readonly StaffRole[]) {
        const res = await call(tokenOf[role], r.method.toUpperCase(), concrete(r.path), withBody(r.method));
        expect(res.body.error?.code, `${role}: ${r.method} ${r.path}`).not.toBe("role_required");
      }
    }
  });
});

async function post(path: string, body: string | ReadableStream<Uint8Array>, headers: Record<string, string>) {
  const res = await app.request(path, {
    method: "POST",
    body,
    headers: { authorization: `Bearer ${c.tokens.bureau}`, ...headers },
    duplex: "half",
  } as RequestInit);
  return { status: res.status, body: (await res.json()) as Json };
}

function stream(bytes: number): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    pull(ctl) {
      if (sent >= bytes) return ctl.close();
      const chunk = new Uint8Array(Math.min(64 * 1024, bytes - sent)).fill(0x20);
      sent += chunk.byteLength;
      ctl.enqueue(chunk);
    },
  });
}

describe("the body limit", () => {
  it("declares a JSON limit and a larger file limit", () => {
    const limit = (m: string, p: string) => declaredRoutes().find((r) => r.method === m && r.path === p)?.bodyLimit;
    expect(limit("post", "/api/applications")).toBe(JSON_LIMIT_BYTES);
    expect(limit("post", "/api/students/preview")).toBe(FILE_LIMIT_BYTES);
    expect(limit("post", "/chat/{tenant}")).toBe(8 * 1024);
    expect(limit("get", "/api/students")).toBeUndefined();
  });

  it("refuses a declared Content-Length over the limit with 413 before reading the body", async () => {
    const r = await post("/api/applications", "{}", {
      "content-type": "application/json",
      "content-length": String(JSON_LIMIT_BYTES + 1),
    });
    expect(r.status).toBe(413);
    expect(r.body.error.code).toBe("body_too_large");
    expect(r.body.error.message).toBe("请求内容超过 256 KB：请减少一次提交的内容");
  });

  it("refuses a body without Content-Length as soon as it streams past the limit", async () => {
    const r = await post("/api/applications", stream(JSON_LIMIT_BYTES + 10), { "content-type": "application/json" });
    expect(r.status).toBe(413);
    expect(r.body.error.code).toBe("body_too_large");
    const file = await post("/api/students/preview", stream(FILE_LIMIT_BYTES + 10), {
      "content-type": "application/octet-stream",
    });
    expect(file.status).toBe(413);
    expect(file.body.error.message).toBe("文件超过 5 MB：请分成几个文件上传");
  });

  it("lets a file route take what a JSON route refuses", async () => {
    const csv = `姓名,学籍号,年级,班级\n${"张三,G510000201601010011,3,2\n".repeat(Math.ceil((JSON_LIMIT_BYTES * 2) / 30))}`;
    expect((await post("/api/applications", csv, { "content-type": "application/json" })).status).toBe(413);
    const preview = await post("/api/students/preview", csv, { "content-type": "text/csv" });
    expect(preview.status).not.toBe(413);
  });
});

describe("GET /api/openapi.json", () => {
  it("is OpenAPI 3.1 with a schema for every success response, the parents' routes, and the validation rules", async () => {
    const doc = (await call(undefined, "GET", "/api/openapi.json")).body;
    expect(doc.openapi).toBe("3.1.0");
    for (const [path, ops] of Object.entries(doc.paths as Json)) {
      for (const [method, op] of Object.entries(ops as Json)) {
        for (const [status, res] of Object.entries((op as Json).responses as Json)) {
          if (status.startsWith("2")) expect((res as Json).content, `${method} ${path} ${status}`).toBeDefined();
          if (!status.startsWith("2"))
            expect((res as Json).content["application/json"].schema.$ref, `${method} ${path} ${status}`).toBe(
              "#/components/schemas/Error",
            );
        }
      }
    }
    expect(doc.components.schemas.Error.properties.error.required).toEqual(["code", "message"]);
    expect(
      doc.paths["/chat/{tenant}"].post.requestBody.content["application/json"].schema.properties.text,
    ).toBeDefined();
    expect(doc.paths["/chat/{tenant}"].post.responses["200"].content["application/json"].schema.required).toEqual(
      expect.arrayContaining(["session", "intent", "replies"]),
    );
    expect(Object.keys(doc.paths["/wechat/{tenant}"]).sort()).toEqual(["get", "post"]);
    expect(doc.paths["/api/tokens"].post["x-roles"]).toEqual(["bureau"]);
    const create = doc.paths["/api/applications"].post.requestBody.content["application/json"].schema;
    expect(create.properties.term.pattern).toBe("^\\d{4}-(spring|autumn)$");
    expect(create.properties.amount.description).toMatch(/最多两位小数/);
    const row =
      doc.paths["/api/students"].post.requestBody.content["application/json"].schema.properties.students.items;
    expect(row.properties.studentNo.description).toMatch(/学籍号/);
    expect(row.properties.guardians.items.properties.phone.description).toMatch(/11 位/);
  });
});

describe("GET /api/docs", () => {
  it("serves the reference page and its script from this server, nothing from elsewhere", async () => {
    const res = await app.request("/api/docs");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-security-policy")).toContain("script-src 'self'");
    const html = await res.text();
    const sources = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(sources.length).toBeGreaterThanOrEqual(3);
    for (const s of sources) {
      expect(s.startsWith("/api/docs/"), s).toBe(true);
      const asset = await app.request(s);
      expect(asset.status, s).toBe(200);
    }
    expect(await (await app.request("/api/docs/init.js")).text()).toContain('url: "/api/openapi.json"');
    expect((await app.request("/api/docs/..%2F..%2Fpackage.json")).status).toBe(404);
  });
});

/** A county with two townships, four schools, tokens of every role and a second county, for the staff API tests. */
import { app } from "../../../../functions/http/app.js";
import { ensureAdminToken } from "../../../../core/staff/index.js";
import { resetConfig } from "../../../../core/config.js";
import { createTenant } from "../../../support/stack.js";

// Each county here gets a generated bootstrap token, whatever the developer's shell exports.
delete process.env.ADMIN_TOKEN;
resetConfig();

export type Json = Record<string, any>;

export async function call(
  token: string | undefined,
  method: string,
  path: string,
  body?: unknown,
  contentType = "application/json",
) {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  let payload: string | undefined;
  if (body !== undefined) {
    headers["content-type"] = contentType;
    payload = typeof body === "string" ? body : JSON.stringify(body);
  }
  const res = await app.request(path, { method, headers, body: payload });
  const text = await res.text();
  let json: Json = {};
  try {
    json = JSON.parse(text) as Json;
  } catch {
    json = { raw: text };
  }
  return { status: res.status, body: json };
}

/** What must be identical between an out-of-scope and a missing record (requestId differs per request). */
export function shape(r: { status: number; body: Json }) {
  return { status: r.status, code: r.body.error?.code, message: r.body.error?.message, details: r.body.error?.details };
}

export const guardianPhone = "13912345678";

export function studentRow(no: string, name: string, school: string, extra: Json = {}) {
  return {
    name,
    studentNo: no,
    school,
    grade: "3",
    class: "2",
    guardians: [{ name: "监护人", relation: "母亲", phone: guardianPhone }],
    ...extra,
  };
}

export async function issue(admin: string, body: Json): Promise<string> {
  const r = await call(admin, "POST", "/api/tokens", body);
  if (r.status !== 201) throw new Error(`issue failed: ${JSON.stringify(r.body)}`);
  return r.body.token as string;
}

export async function county() {
  const tenant = (await createTenant()).id;
  const admin = await ensureAdminToken(tenant);
  const schools = [
    { id: "a1", name: "城关一小", kind: "primary", township: "城关镇" },
    { id: "a2", name: "城关二小", kind: "primary", township: "城关镇" },
    { id: "b1", name: "河口小学", kind: "primary", township: "河口乡" },
    { id: "d1", name: "县第一中学", kind: "senior", township: "县直", directlyUnderCounty: true },
  ];
  for (const s of schools) {
    const r = await call(admin, "POST", "/api/schools", s);
    if (r.status !== 201) throw new Error(JSON.stringify(r.body));
  }
  const tokens = {
    bureau: admin,
    a1: await issue(admin, { role: "school", schoolId: "a1", label: "城关一小资助专干" }),
    b1: await issue(admin, { role: "school", schoolId: "b1", label: "河口小学资助专干" }),
    chengguan: await issue(admin, { role: "township", township: "城关镇", label: "城关镇中心校" }),
    hekou: await issue(admin, { role: "township", township: "河口乡", label: "河口乡中心校" }),
  };
  return { tenant, tokens };
}

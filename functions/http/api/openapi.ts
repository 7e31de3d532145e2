/**
 * The OpenAPI document, built from what each route file declares next to its handler with `describe()`, so the
 * document cannot drift from the zod schemas the routes validate with.
 */
import { z } from "zod";

type Method = "get" | "post" | "put" | "delete" | "patch";

export interface RouteDoc {
  method: Method;
  /** OpenAPI style, under /api: "/api/students/{id}". */
  path: string;
  summary: string;
  /** Roles allowed; scope rules are in `description`. */
  roles: readonly ("bureau" | "township" | "school")[];
  description?: string;
  body?: z.ZodType;
  /** Extra request media types accepted besides JSON (e.g. text/csv uploads). */
  bodyAlso?: Record<string, string>;
  query?: z.ZodObject;
  /** The success status and a short description of the response. */
  ok?: { status: number; description: string; schema?: z.ZodType };
}

const docs: RouteDoc[] = [];

export function describe(doc: RouteDoc): void {
  docs.push(doc);
}

function jsonSchema(schema: z.ZodType): Record<string, unknown> {
  // io: "input" describes what a client sends (defaults optional, before transforms).
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
  return rest;
}

const errorSchema = {
  type: "object",
  properties: {
    error: {
      type: "object",
      properties: {
        code: { type: "string" },
        message: { type: "string" },
        requestId: { type: "string" },
        details: { type: "array", items: { type: "object", properties: { line: { type: "integer" }, field: { type: "string" }, message: { type: "string" } } } },
      },
      required: ["code", "message"],
    },
  },
};

export function openApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const d of docs) {
    const params = [...d.path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: "path", required: true, schema: { type: "string" } }));
    const q = d.query ? jsonSchema(d.query) : {};
    const requiredQuery = new Set((q.required ?? []) as string[]);
    const query = Object.entries((q.properties ?? {}) as Record<string, unknown>).map(([name, schema]) => ({ name, in: "query", required: requiredQuery.has(name), schema }));
    const content: Record<string, unknown> = {};
    if (d.body) content["application/json"] = { schema: jsonSchema(d.body) };
    for (const [type, description] of Object.entries(d.bodyAlso ?? {})) content[type] = { schema: { type: "string", description } };
    const ok = d.ok ?? { status: 200, description: "OK" };
    (paths[d.path] ??= {})[d.method] = {
      summary: d.summary,
      description: [`Roles: ${d.roles.join(", ")}.`, d.description].filter(Boolean).join(" "),
      parameters: [...params, ...query],
      ...(Object.keys(content).length ? { requestBody: { required: true, content } } : {}),
      responses: {
        [ok.status]: { description: ok.description, ...(ok.schema ? { content: { "application/json": { schema: jsonSchema(ok.schema) } } } : {}) },
        400: { description: "invalid input (details name the field, or the line of an uploaded file)", content: { "application/json": { schema: errorSchema } } },
        401: { description: "missing, unknown or revoked token", content: { "application/json": { schema: errorSchema } } },
        403: { description: "the token's role may not do this", content: { "application/json": { schema: errorSchema } } },
        404: { description: "not found — also for records outside the token's scope", content: { "application/json": { schema: errorSchema } } },
      },
      security: [{ bearer: [] }],
    };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Zizhu (资助通) staff API",
      version: "1",
      description:
        "Staff API of a county's student-aid assistant. Authorization: Bearer <token>. Tokens carry a role and scope: bureau (whole tenant), township (its schools), school (its own school). Records outside the scope answer 404 exactly like missing ones. Amounts are sent in yuan (decimal string or number) and returned in fen (amountFen) plus yuan.",
    },
    servers: [{ url: "/" }],
    components: { securitySchemes: { bearer: { type: "http", scheme: "bearer", description: "zz_<tenant>_<secret>" } } },
    paths,
  };
}

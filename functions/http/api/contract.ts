/**
 * The HTTP contract, declared once per route: path, query, request body, response schemas, roles, scope and body
 * limit. From that one declaration come (1) the OpenAPI document (`GET /api/openapi.json`, built with
 * @hono/zod-openapi's registry and generator), (2) the role check that runs before the handler, (3) the body limit,
 * (4) query and JSON-body validation (zod once, errors in Chinese through functions/http/errors.ts), and (5) the
 * list of staff routes a test calls with every role each one does not list (test/functions/http/api/roles.test.ts).
 *
 * Scope (WHICH school or township a caller may touch) is decided in core (core/staff/scope.ts); a declaration only
 * names the rule, so the document can say it.
 */
import { OpenAPIHono, createRoute, type RouteConfig } from "@hono/zod-openapi";
import type { Context, Env, Hono, MiddlewareHandler } from "hono";
import { z } from "zod";
import { AppError } from "../../../core/errors.js";
import type { FieldLabels } from "../../../core/zod-zh.js";
import { Role } from "../../../core/staff/tokens.js";
import { limitBody } from "../middleware.js";
import { invalidInput } from "../errors.js";

export const ROLES = Role.options;
export type StaffRole = z.infer<typeof Role>;
type Method = "get" | "post" | "put" | "delete";

/** Body limits: JSON requests (a few hundred rows at most) and file uploads (a county's student or payment file). */
export const JSON_LIMIT_BYTES = 256 * 1024;
export const FILE_LIMIT_BYTES = 5 * 1024 * 1024;

/** What the scope rule of a route is; enforced in core, stated in the document. */
export const Scopes = {
  tenant: "全县（本租户）：县资助中心看全部，乡镇看本乡镇学校，学校看本校；范围外的记录与不存在一样回答 404",
  own: "只涉及调用者本人（令牌或控制台账号）",
  ownSchool: "只限学生所在学校本身（乡镇和县级也不行）",
  managed: "调用者管理的账号：县资助中心管全部，乡镇管本乡镇学校的账号",
  public: "不需要登录",
} as const;
export type Scope = keyof typeof Scopes;

export interface ResponseDecl {
  description: string;
  /** A JSON body. */
  schema?: z.ZodType;
  /** A file (e.g. an .xlsx download): its media type. */
  file?: string;
  /** A text body (e.g. WeChat's XML reply): its media type. */
  text?: string;
}

export interface RequestDecl<B extends z.ZodType | undefined, Q extends z.ZodObject | undefined> {
  query?: Q;
  /** The JSON body. Query and body are validated before the handler unless `checkedBy: "core"` (the core verb validates them itself). */
  body?: B;
  checkedBy?: "route" | "core";
  /** Other media types accepted, each with a description (file uploads): the file limit applies; the handler reads them. */
  files?: Record<string, string>;
  /** Descriptions of the path parameters (all strings). */
  params?: Record<string, string>;
  /** Chinese names of body fields this route means differently from the shared table (core/zod-zh.ts), by dotted path. */
  labels?: FieldLabels;
}

export interface RouteDecl<B extends z.ZodType | undefined = undefined, Q extends z.ZodObject | undefined = undefined> {
  method: Method;
  /** OpenAPI style, full: "/api/students/{id}", "/chat/{tenant}". */
  path: string;
  summary: string;
  description?: string;
  tags?: string[];
  /** Who may call it; "public" needs no credential. */
  roles: readonly StaffRole[] | "public";
  scope: Scope;
  /** The refusal a listed-out role gets, when a plainer one than role_required helps the reader. */
  refusal?: { code: string; message: string };
  request?: RequestDecl<B, Q>;
  /** Success responses by status. */
  responses: Record<number, ResponseDecl>;
  /** Other refusals worth naming (e.g. 409), by status. */
  errors?: Record<number, string>;
  /** Overrides the body limit (bytes) the request kind implies. */
  bodyLimit?: number;
  /** How the caller authenticates, for routes outside the staff API (WeChat's signature). */
  security?: "staff" | "none";
}

/** One staff route as the roles test needs it. */
export interface DeclaredRoute {
  method: Method;
  path: string;
  roles: readonly StaffRole[] | "public";
  /** The code a role outside `roles` gets. */
  refusalCode: string;
  bodyLimit: number | undefined;
}

const registryHolder = new OpenAPIHono();
const declared: DeclaredRoute[] = [];
const chains = new Map<string, MiddlewareHandler[]>();

/** Every route declared so far (route modules declare when imported). */
export function declaredRoutes(): readonly DeclaredRoute[] {
  return declared;
}

export const ErrorBody = z
  .object({
    error: z.object({
      code: z
        .string()
        .describe("stable English code for programs, e.g. invalid_input, role_required, not_found, body_too_large"),
      message: z.string().describe("what went wrong and what to do, in Chinese"),
      requestId: z.string().optional(),
      details: z
        .array(
          z.object({
            line: z.number().int().optional().describe("1-based line of an uploaded file"),
            field: z.string().optional(),
            message: z.string(),
          }),
        )
        .optional(),
    }),
  })
  .describe("every refusal has this shape");

// One component, referenced by every refusal (keeps the document and the console's generated types small).
const ErrorRef = registryHolder.openAPIRegistry.register("Error", ErrorBody);
const errorResponse = (description: string) => ({ description, content: { "application/json": { schema: ErrorRef } } });

function bodyLimitOf(d: RouteDecl<z.ZodType | undefined, z.ZodObject | undefined>): number | undefined {
  if (d.bodyLimit !== undefined) return d.bodyLimit;
  if (d.request?.files) return FILE_LIMIT_BYTES;
  if (d.method === "post" || d.method === "put") return JSON_LIMIT_BYTES;
  return undefined;
}

const mb = (bytes: number) => (bytes >= 1024 * 1024 ? `${bytes / 1024 / 1024} MB` : `${Math.round(bytes / 1024)} KB`);

function routeConfig(
  d: RouteDecl<z.ZodType | undefined, z.ZodObject | undefined>,
  limit: number | undefined,
): RouteConfig {
  const names = [...d.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
  const params = names.length
    ? z.object(Object.fromEntries(names.map((n) => [n, z.string().describe(d.request?.params?.[n] ?? n)])))
    : undefined;
  const content: Record<string, { schema: z.ZodType | Record<string, unknown> }> = {};
  if (d.request?.body) content["application/json"] = { schema: d.request.body };
  for (const [type, description] of Object.entries(d.request?.files ?? {}))
    content[type] = { schema: { type: "string", format: "binary", description } };
  const responses: RouteConfig["responses"] = {};
  for (const [status, r] of Object.entries(d.responses)) {
    responses[status] = {
      description: r.description,
      ...(r.schema ? { content: { "application/json": { schema: r.schema } } } : {}),
      ...(r.file ? { content: { [r.file]: { schema: { type: "string", format: "binary" } } } } : {}),
      ...(r.text ? { content: { [r.text]: { schema: { type: "string" } } } } : {}),
    };
  }
  if (d.request?.body || d.request?.query || d.request?.files)
    responses[400] = errorResponse("填写有误：details 指出字段，或上传文件的行号");
  if (d.roles !== "public" || d.security === "staff") {
    responses[401] = errorResponse("没有登录，或令牌不存在、已吊销");
    responses[403] = errorResponse(
      d.roles === "public" ? "不允许" : `角色不符（只限 ${d.roles.join("、")}），或控制台请求缺少 CSRF 令牌`,
    );
    responses[429] = errorResponse("调用太频繁（Retry-After 给出秒数）");
  }
  if (names.length) responses[404] = errorResponse("不存在——范围外的记录也这样回答");
  if (limit !== undefined) responses[413] = errorResponse(`请求内容超过 ${mb(limit)}（code: body_too_large）`);
  for (const [status, description] of Object.entries(d.errors ?? {})) responses[status] = errorResponse(description);
  responses[503] = errorResponse("存储暂时不可用（Retry-After）");

  const roleLine = d.roles === "public" ? "公开" : `角色：${d.roles.join("、")}`;
  return createRoute({
    method: d.method,
    path: d.path,
    summary: d.summary,
    description: [
      `${roleLine}。范围：${Scopes[d.scope]}。`,
      limit !== undefined ? `请求体上限 ${mb(limit)}。` : "",
      d.description ?? "",
    ]
      .filter(Boolean)
      .join(" "),
    tags: d.tags ?? [d.path.startsWith("/api/") ? (d.path.split("/")[2] ?? "api") : d.path.split("/")[1]!],
    ...(d.roles !== "public" ? { security: [{ bearer: [] }, { session: [] }] } : {}),
    "x-roles": d.roles === "public" ? [] : [...d.roles],
    "x-scope": d.scope,
    request: {
      ...(params ? { params } : {}),
      ...(d.request?.query ? { query: d.request.query } : {}),
      ...(Object.keys(content).length ? { body: { required: true, content } } : {}),
    },
    responses,
  } as RouteConfig);
}

/** Refuses, before the handler, every role the declaration does not list (after staffAuth has set c.var.staff). */
export function requireRoles(
  roles: readonly StaffRole[],
  refusal?: { code: string; message: string },
): MiddlewareHandler {
  const allowed = new Set<string>(roles);
  return async function requireRolesMiddleware(c, next) {
    if (!allowed.has(c.var.staff.role)) {
      throw AppError.forbidden(
        refusal?.code ?? "role_required",
        refusal?.message ??
          `您的账号角色不能做这件事（只限${roles.map((r) => RoleLabel[r]).join("、")}）：请联系县资助中心`,
      );
    }
    await next();
  };
}

const RoleLabel: Record<StaffRole, string> = { bureau: "县资助中心", township: "乡镇中心校", school: "学校" };

/** A JSON body as the staff API has always read it: a BOM is dropped, an empty body is `{}`, bad JSON is one clear 400. */
export function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch {
    throw AppError.validation("invalid_json", "请求内容不是有效的 JSON：请检查格式");
  }
}

export async function readJson(c: Context): Promise<unknown> {
  const text = await c.req.text();
  return text.trim() === "" ? {} : parseJsonText(text);
}

function validateRequest(d: RouteDecl<z.ZodType | undefined, z.ZodObject | undefined>): MiddlewareHandler | undefined {
  if (d.request?.checkedBy === "core") return undefined;
  const query = d.request?.query;
  const body = d.request?.body && !d.request.files ? d.request.body : undefined;
  if (!query && !body) return undefined;
  return async function validateRequestMiddleware(c, next) {
    if (query) c.req.addValidatedData("query", query.parse(c.req.query()) as object);
    if (body) {
      const parsed = body.safeParse(await readJson(c));
      if (!parsed.success) throw invalidInput(parsed.error, d.request?.labels);
      c.req.addValidatedData("json", parsed.data as object);
    }
    await next();
  };
}

/** The middleware a declaration implies, in order: roles, body limit, validation. Also registers the document entry. */
export function declare<B extends z.ZodType | undefined, Q extends z.ZodObject | undefined>(
  d: RouteDecl<B, Q>,
): MiddlewareHandler[] {
  // Idempotent: an app built twice (tests build one per fake) declares each route once.
  const key = `${d.method} ${d.path}`;
  const known = chains.get(key);
  if (known) return known;
  const limit = bodyLimitOf(d);
  registryHolder.openAPIRegistry.registerPath(routeConfig(d, limit));
  declared.push({
    method: d.method,
    path: d.path,
    roles: d.roles,
    refusalCode: d.refusal?.code ?? "role_required",
    bodyLimit: limit,
  });
  const chain: MiddlewareHandler[] = [];
  if (d.roles !== "public") chain.push(requireRoles(d.roles, d.refusal));
  if (limit !== undefined) chain.push(limitBody({ maxBytes: limit, file: d.request?.files !== undefined }));
  const validate = validateRequest(d);
  if (validate) chain.push(validate);
  chains.set(key, chain);
  return chain;
}

type Out<T> = T extends z.ZodType ? z.output<T> : never;
export type RouteContext<B, Q> = Context<Env, string, { out: { json: Out<B>; query: Out<Q> } }>;

/** The Hono path for a declared path below `mount` ("/api/students/{id}" under "/api" → "/students/:id"). */
export function honoPath(path: string, mount = ""): string {
  if (!path.startsWith(mount)) throw new Error(`${path} is not under ${mount}`);
  return path.slice(mount.length).replace(/\{(\w+)\}/g, ":$1");
}

/**
 * Declares a route and registers it on `app` (mounted at `mount`): the handler gets `c.req.valid("json")` and
 * `c.req.valid("query")` already checked against the declared schemas, and runs only for the roles declared.
 */
export function route<B extends z.ZodType | undefined = undefined, Q extends z.ZodObject | undefined = undefined>(
  app: Hono,
  d: RouteDecl<B, Q>,
  handler: (c: RouteContext<B, Q>) => Response | Promise<Response>,
  mount = "",
): void {
  const chain = declare(d);
  app.on([d.method.toUpperCase()], [honoPath(d.path, mount)], ...chain, handler as unknown as MiddlewareHandler);
}

/** A staff route: mounted under /api (functions/http/api/index.ts), behind staffAuth(). */
export function staffRoute<B extends z.ZodType | undefined = undefined, Q extends z.ZodObject | undefined = undefined>(
  app: Hono,
  d: RouteDecl<B, Q>,
  handler: (c: RouteContext<B, Q>) => Response | Promise<Response>,
): void {
  route(app, d, handler, "/api");
}

export const apiDescription =
  "县学生资助助手（资助通）的接口。员工接口在 /api/… 下：`Authorization: Bearer <token>`（自动化）或控制台登录后的会话 cookie（写操作另带 `x-csrf-token`）。令牌带角色和范围：县资助中心（bureau，全县）、乡镇中心校（township，本乡镇学校）、学校（school，本校）；每个接口写明允许的角色（x-roles，其余角色一律 403 role_required）和范围（x-scope）；范围外的记录与不存在一样回答 404。金额以元提交（字符串或数字，最多两位小数），以分（amountFen）和元（amountYuan）返回。每个错误的形状都是 `{ error: { code, message, details?, requestId } }`，message 为中文。家长一侧：`POST /chat/{tenant}`（网页聊天）和 `GET|POST /wechat/{tenant}`（微信公众号服务器回调）。";

export function openApiDocument(): Record<string, unknown> {
  const doc = registryHolder.getOpenAPI31Document({
    openapi: "3.1.0",
    info: { title: "资助通 Zizhu API", version: "1", description: apiDescription },
    servers: [{ url: "/" }],
  }) as unknown as Record<string, unknown> & { components?: Record<string, unknown> };
  doc.components = {
    ...(doc.components ?? {}),
    securitySchemes: {
      bearer: { type: "http", scheme: "bearer", description: "员工令牌 zz_<tenant>_<secret>" },
      session: {
        type: "apiKey",
        in: "cookie",
        name: "zz_session",
        description: "控制台会话（POST /api/session 登录后设置）；写操作另带 x-csrf-token",
      },
    },
  };
  return doc;
}

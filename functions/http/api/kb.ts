/**
 * Policy knowledge overrides per tenant (local hotline, amounts, deadlines): bureau staff replace, patch, add or
 * hide entries; they take effect on the next message, no redeploy. Every token may read them.
 */
import { Hono } from "hono";
import { z } from "zod";
import { AppError } from "../../../core/errors.js";
import { KbOverride } from "../../../core/policy/kb.js";
import * as overrides from "../../../core/policy/overrides.js";
import { ROLES, parseJsonText, staffRoute } from "./contract.js";
import { Items, KbOne, OverrideRecord } from "./views.js";

export const kbRoutes = new Hono();
const EntryId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/);
const entry = { id: "条目编号：小写字母、数字和 -" };

function entryId(raw: string): string {
  const id = EntryId.safeParse(raw);
  if (!id.success) throw AppError.notFound("knowledge entry");
  return id.data;
}

staffRoute(
  kbRoutes,
  {
    method: "get",
    path: "/api/kb",
    summary: "This tenant's knowledge overrides",
    roles: ROLES,
    scope: "tenant",
    responses: { 200: { description: "the overrides", schema: Items(OverrideRecord) } },
  },
  async (c) => c.json({ items: await overrides.list(c.var.staff.tenant) }),
);

staffRoute(
  kbRoutes,
  {
    method: "get",
    path: "/api/kb/{id}",
    summary: "One override, and the entry as families now get it (repository merged with the override)",
    roles: ROLES,
    scope: "tenant",
    request: { params: entry },
    responses: { 200: { description: "override and effective entry (either may be null)", schema: KbOne } },
  },
  async (c) => {
    const id = entryId(c.req.param("id")!);
    const [override, kb] = await Promise.all([
      overrides.get(c.var.staff.tenant, id),
      overrides.tenantKb(c.var.staff.tenant),
    ]);
    const effective = kb.entries.find((e) => e.id === id);
    if (!override && !effective) throw AppError.notFound("knowledge entry");
    return c.json({ override: override ?? null, effective: effective ?? null });
  },
);

staffRoute(
  kbRoutes,
  {
    method: "put",
    path: "/api/kb/{id}",
    summary:
      "Save an override: a whole entry (same id replaces the repository entry, a new id adds one), mode patch (passages by heading; empty text removes), or mode remove (hide)",
    roles: ["bureau"],
    scope: "tenant",
    // core/policy/overrides.put validates the override (and names the passage at fault); the schema is for readers.
    request: { params: entry, body: KbOverride as unknown as z.ZodType, checkedBy: "core" },
    responses: { 200: { description: "the saved override", schema: z.object({ override: OverrideRecord }) } },
  },
  async (c) => {
    const id = entryId(c.req.param("id")!);
    const raw = parseJsonText(await c.req.text());
    const bodyId = (raw as { id?: unknown } | null)?.id;
    if (bodyId !== undefined && bodyId !== id)
      throw AppError.validation(
        "id_mismatch",
        `条目编号不一致：内容里的 id 是“${String(bodyId).slice(0, 60)}”，地址里是“${id}”——请改成一致，或删去内容里的 id`,
      );
    return c.json({ override: await overrides.put(c.var.staff.tenant, id, raw, c.var.staff.tokenId) });
  },
);

staffRoute(
  kbRoutes,
  {
    method: "delete",
    path: "/api/kb/{id}",
    summary: "Remove an override (the repository entry, if any, applies again)",
    roles: ["bureau"],
    scope: "tenant",
    request: { params: entry },
    responses: { 200: { description: "removed", schema: z.object({ deleted: z.string() }) } },
  },
  async (c) => {
    const id = entryId(c.req.param("id")!);
    if (!(await overrides.remove(c.var.staff.tenant, id))) throw AppError.notFound("knowledge entry");
    return c.json({ deleted: id });
  },
);

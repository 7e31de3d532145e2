/** zod at the boundary: body and query parsing with one clear 400 for anything malformed. */
import type { Context } from "hono";
import type { z } from "zod";
import { AppError } from "../../../core/errors.js";

/** The largest body a staff route reads (a county's student file is well under this). */
export const MAX_BODY_BYTES = 5 * 1024 * 1024;

export async function bodyText(c: Context): Promise<string> {
  const declared = Number(c.req.header("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES) throw AppError.validation("body_too_large", `the body is larger than ${MAX_BODY_BYTES / 1024 / 1024} MB`);
  const text = await c.req.text();
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) throw AppError.validation("body_too_large", `the body is larger than ${MAX_BODY_BYTES / 1024 / 1024} MB`);
  return text;
}

export function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch {
    throw AppError.validation("invalid_json", "the body is not valid JSON");
  }
}

export async function jsonBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.output<S>> {
  const text = await bodyText(c);
  return schema.parse(text.trim() === "" ? {} : parseJsonText(text));
}

export function queryOf<S extends z.ZodType>(c: Context, schema: S): z.output<S> {
  return schema.parse(c.req.query());
}

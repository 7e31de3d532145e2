/**
 * The client address of a request, from what the runtime saw — never from a header the client can set
 * (X-Forwarded-For is theirs to forge unless a proxy we run rewrites it):
 *   - Lambda (Function URL / API Gateway v2): `requestContext.http.sourceIp`, filled in by AWS;
 *   - @hono/node-server (npm run dev): the socket's remote address.
 * Undefined in-process (`app.request()` without an env): limits keyed by client then do not apply.
 */
import type { Context } from "hono";

interface RuntimeEnv {
  requestContext?: { http?: { sourceIp?: string } };
  event?: { requestContext?: { http?: { sourceIp?: string } } };
  incoming?: { socket?: { remoteAddress?: string } };
}

export function clientAddress(c: Context): string | undefined {
  const env = (c.env ?? {}) as RuntimeEnv;
  const ip =
    env.requestContext?.http?.sourceIp ??
    env.event?.requestContext?.http?.sourceIp ??
    env.incoming?.socket?.remoteAddress;
  return typeof ip === "string" && ip.length > 0 && ip.length <= 64 ? ip : undefined;
}

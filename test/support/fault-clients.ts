/**
 * The two ways a family reaches the service, as the fault tests (storage paused, killed, throttled) call them: the
 * web chat and a plain-mode WeChat push from a fresh follower. The app and tenant are read when called, since the
 * tests build them in `beforeAll`.
 */
import type { buildApp } from "../../functions/http/app.js";
import { randomOpenId, type wechatPeer } from "../core/channels/wechat/peer.js";

export function faultClients(
  get: () => { app: ReturnType<typeof buildApp>; tenant: string },
  peer: ReturnType<typeof wechatPeer>,
) {
  async function chat(text: string, session?: string) {
    const { app, tenant } = get();
    const res = await app.request(`/chat/${tenant}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ text, ...(session ? { session } : {}) }),
    });
    return {
      status: res.status,
      retryAfter: res.headers.get("retry-after"),
      json: (await res.json()) as Record<string, any>,
    };
  }

  async function wechat(text: string) {
    const { app, tenant } = get();
    const push = peer.push(`/wechat/${tenant}`, peer.text(randomOpenId(), text));
    const res = await app.request(push.url, {
      method: "POST",
      body: push.body,
      headers: { "content-type": "text/xml" },
    });
    const body = await res.text();
    return { status: res.status, reply: res.status === 200 ? peer.openReply(body) : undefined };
  }

  return { chat, wechat };
}

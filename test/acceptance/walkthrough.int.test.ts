/**
 * Issue 5's acceptance, run as an outside client would: the walkthrough script
 * talks to a real HTTP server (the same Hono app on a port) with nothing but the
 * documented API and WeChat's safe-mode protocol.
 */
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resetConfig } from "../../core/config.js";
import { containsUnmaskedPersonalData } from "../../core/mask.js";
import { ensureAdminToken } from "../../core/staff/index.js";
import { startFakeWechatApi, type FakeWechatApi } from "../../core/local/fake-wechat-api.js";
import { buildApp } from "../../functions/http/app.js";
import { runWalkthrough, type WalkthroughResult } from "../../scripts/acceptance/walkthrough.js";
import { createTenant, isolatedQueues } from "../support/stack.js";

const wechat = {
  token: "acceptance-token",
  appId: "wx00000000acceptance",
  aesKey: "Zizhu0acceptance0test0key0abcdefghijklmnopq",
};
let server: ReturnType<typeof serve>;
let fake: FakeWechatApi;
let result: WalkthroughResult;

beforeAll(async () => {
  await isolatedQueues();
  fake = await startFakeWechatApi();
  Object.assign(process.env, {
    WECHAT_TOKEN: wechat.token,
    WECHAT_APP_ID: wechat.appId,
    WECHAT_AES_KEY: wechat.aesKey,
    WECHAT_APP_SECRET: "acceptance-secret",
    WECHAT_API_BASE: fake.url,
  });
  resetConfig();
  const tenant = (await createTenant()).id;
  const adminToken = await ensureAdminToken(tenant);
  server = serve({ fetch: buildApp().fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise((r) => server.once("listening", r));
  const { port } = server.address() as AddressInfo;
  result = await runWalkthrough({
    baseUrl: `http://127.0.0.1:${port}`,
    adminToken,
    tenant,
    wechat,
    log: process.env.WALKTHROUGH_LOG ? (l) => console.log(l) : undefined,
  });
  if (process.env.WALKTHROUGH_LOG) for (const s of result.statusReplies) console.log(`--- ${s.stage}\n${s.reply}`);
}, 120_000);

afterAll(async () => {
  server?.close();
  await fake?.stop();
});

describe("the records walkthrough through the public API and WeChat safe mode", () => {
  it("reads a correct status reply at every stage", () => {
    expect(result.statusReplies.map((s) => s.stage)).toEqual([
      "submitted",
      "school_approved",
      "township_approved",
      "county_approved",
      "publicizing",
      "approved",
      "paid",
    ]);
    // The contract's labels, written out (docs/design.md §4.3), not read from the code's own table.
    const label: Record<string, string> = {
      submitted: "已提交申请",
      school_approved: "学校审核通过",
      township_approved: "乡镇审核通过",
      county_approved: "县级审核通过",
      publicizing: "公示中",
      approved: "公示无异议",
      paid: "已发放",
    };
    for (const { stage, reply } of result.statusReplies) {
      expect(label[stage], stage).toMatch(/\S/);
      expect(reply, stage).toContain(label[stage]);
      expect(reply, stage).toContain("义务教育");
      expect(reply, stage).toContain("2025年秋季学期");
    }
    const paid = result.statusReplies.at(-1)!.reply;
    expect(paid).toMatch(/625/);
    expect(paid).toContain("尾号4321");
    expect(result.statusReplies.find((s) => s.stage === "publicizing")!.reply).toMatch(/0000-6612345/);
  });

  it("never shows an unmasked 学籍号, phone, ID number or account in a reply", () => {
    for (const { reply } of result.statusReplies) expect(containsUnmaskedPersonalData(reply)).toBe(false);
    expect(containsUnmaskedPersonalData(result.lockoutReply)).toBe(false);
  });

  it("locks a chat user out after five wrong binding attempts and says when to retry", () => {
    expect(result.lockoutReply).toMatch(/\d{1,2}:\d{2}|小时|明天|之后/);
  });

  it("answers another school's token as if the student and application did not exist", () => {
    expect(result.crossSchoolStatus).toEqual([404, 404, 404, 404]);
  });
});

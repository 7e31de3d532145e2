import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { beforeAll, describe, expect, it } from "vitest";
import { ddb, tableName } from "../../../../core/db/client.js";
import { keys } from "../../../../core/db/keys.js";
import { hashToken } from "../../../../core/staff/index.js";
import { call, county, issue } from "./support.js";

let c: Awaited<ReturnType<typeof county>>;
beforeAll(async () => {
  c = await county();
});

async function expireNow(token: string) {
  await ddb().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.staffToken(c.tenant, hashToken(token)),
      UpdateExpression: "SET validUntil = :at",
      ExpressionAttributeValues: { ":at": new Date(Date.now() - 1000).toISOString() },
    }),
  );
}

describe("staff token expiry and rotation", () => {
  it("issues tokens that expire (180 days by default, validDays when given)", async () => {
    const r = await call(c.tokens.bureau, "POST", "/api/tokens", { role: "school", schoolId: "a1", label: "脚本" });
    const days = (Date.parse(r.body.info.validUntil) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(179.9);
    expect(days).toBeLessThanOrEqual(180);
    const short = await call(c.tokens.bureau, "POST", "/api/tokens", {
      role: "school",
      schoolId: "a1",
      label: "脚本",
      validDays: 7,
    });
    expect(Math.round((Date.parse(short.body.info.validUntil) - Date.now()) / 86_400_000)).toBe(7);
    const listed = await call(c.tokens.bureau, "GET", "/api/tokens");
    expect(listed.body.items.find((t: { tokenId: string }) => t.tokenId === short.body.info.tokenId).validUntil).toBe(
      short.body.info.validUntil,
    );
  });

  it("answers an expired token with 401 token_expired in Chinese", async () => {
    const token = await issue(c.tokens.bureau, { role: "school", schoolId: "a1", label: "过期测试" });
    expect((await call(token, "GET", "/api/me")).status).toBe(200);
    await expireNow(token);
    const r = await call(token, "GET", "/api/me");
    expect(r.status).toBe(401);
    expect(r.body.error.code).toBe("token_expired");
    expect(r.body.error.message).toMatch(/^这个令牌已于 \d{4}-\d{2}-\d{2} 过期：请县资助中心重新签发/);
  });

  it("rotates a token: the successor keeps role, scope and label, the old one stops at once", async () => {
    const token = await issue(c.tokens.bureau, { role: "school", schoolId: "a1", label: "城关一小 对接脚本" });
    const old = (await call(token, "GET", "/api/me")).body.staff.tokenId;
    const r = await call(token, "POST", "/api/tokens/rotate", { validDays: 30 });
    expect(r.status).toBe(201);
    expect(r.body.info).toMatchObject({ role: "school", schoolId: "a1", label: "城关一小 对接脚本", rotatedFrom: old });
    expect(Math.round((Date.parse(r.body.info.validUntil) - Date.now()) / 86_400_000)).toBe(30);
    expect((await call(token, "GET", "/api/me")).status).toBe(401);
    const me = await call(r.body.token, "GET", "/api/me");
    expect(me.body.staff).toMatchObject({ role: "school", schoolId: "a1" });
  });

  it("gives one successor when the same token is rotated twice at once", async () => {
    const token = await issue(c.tokens.bureau, { role: "township", township: "城关镇", label: "并发" });
    const both = await Promise.all([
      call(token, "POST", "/api/tokens/rotate", {}),
      call(token, "POST", "/api/tokens/rotate", {}),
    ]);
    expect(both.map((r) => r.status).sort()).toEqual([201, 401]);
    const winner = both.find((r) => r.status === 201)!;
    expect((await call(winner.body.token, "GET", "/api/me")).status).toBe(200);
    const working = (await call(c.tokens.bureau, "GET", "/api/tokens")).body.items.filter(
      (t: { label: string; revokedAt?: string }) => t.label === "并发" && !t.revokedAt,
    );
    expect(working).toHaveLength(1);
  });

  it("refuses to rotate the bootstrap token (it is set by ADMIN_TOKEN) and an expired one", async () => {
    const boot = await call(c.tokens.bureau, "POST", "/api/tokens/rotate", {});
    expect(boot.status).toBe(409);
    expect(boot.body.error.code).toBe("bootstrap_token");
    const token = await issue(c.tokens.bureau, { role: "school", schoolId: "a1", label: "过期后换新" });
    await expireNow(token);
    expect((await call(token, "POST", "/api/tokens/rotate", {})).body.error.code).toBe("token_expired");
  });
});

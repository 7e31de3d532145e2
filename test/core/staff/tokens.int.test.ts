import { GetCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { resetConfig } from "../../../core/config.js";
import { ddb, tableName } from "../../../core/db/client.js";
import { keys } from "../../../core/db/keys.js";
import * as staff from "../../../core/staff/index.js";
import { createTenant, uniqueTenant } from "../../support/stack.js";

let tenant: string;
beforeAll(async () => {
  tenant = (await createTenant()).id;
});
afterEach(() => {
  delete process.env.ADMIN_TOKEN;
  resetConfig();
});

describe("staff tokens", () => {
  it("stores only an HMAC of the token and resolves it to its role and scope", async () => {
    const { token, info } = await staff.issue(
      tenant,
      { role: "township", township: "城关镇", label: "中心校" },
      "tok_test",
    );
    expect(token).toMatch(new RegExp(`^zz_${tenant}_[0-9a-z]{32}$`));
    const stored = await ddb().send(
      new GetCommand({ TableName: tableName(), Key: keys.staffToken(tenant, staff.hashToken(token)) }),
    );
    expect(JSON.stringify(stored.Item)).not.toContain(token.slice(-32));
    expect(staff.hashToken(token)).toMatch(/^[0-9a-f]{64}$/);
    expect(await staff.resolve(token)).toMatchObject({
      tokenId: info.tokenId,
      role: "township",
      township: "城关镇",
      tenant,
    });
  });

  it("does not resolve a token moved to another tenant, a truncated one, or a revoked one", async () => {
    const { token, info } = await staff.issue(tenant, { role: "bureau", label: "x" }, "tok_test");
    const other = (await createTenant()).id;
    expect(await staff.resolve(token.replace(`zz_${tenant}_`, `zz_${other}_`))).toBeUndefined();
    expect(await staff.resolve(token.slice(0, -1))).toBeUndefined();
    await staff.revoke(tenant, info.tokenId);
    expect(await staff.resolve(token)).toBeUndefined();
  });

  it("registers ADMIN_TOKEN as the bootstrap bureau token, idempotently, even without our prefix", async () => {
    process.env.ADMIN_TOKEN = `plain-admin-secret-${uniqueTenant()}`;
    resetConfig();
    const t = (await createTenant()).id;
    expect(await staff.ensureAdminToken(t)).toBe(process.env.ADMIN_TOKEN);
    expect(await staff.ensureAdminToken(t)).toBe(process.env.ADMIN_TOKEN);
    expect(await staff.resolve(process.env.ADMIN_TOKEN)).toMatchObject({
      tenant: t,
      role: "bureau",
      createdBy: "bootstrap",
    });
    expect((await staff.list(t)).filter((i) => i.createdBy === "bootstrap")).toHaveLength(1);
    await expect(staff.ensureAdminToken((await createTenant()).id)).rejects.toThrow(/another tenant/);
  });

  it("generates a fresh bootstrap token when ADMIN_TOKEN is unset", async () => {
    const token = await staff.ensureAdminToken(tenant);
    expect(token).toMatch(new RegExp(`^zz_${tenant}_`));
    expect((await staff.resolve(token))?.role).toBe("bureau");
  });

  it("gives the bootstrap token an expiry, and retires the one before at the next start or a new ADMIN_TOKEN", async () => {
    const t = (await createTenant()).id;
    const first = await staff.ensureAdminToken(t);
    const info = await staff.resolve(first);
    const days = (Date.parse(info!.validUntil!) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(179);
    expect(days).toBeLessThanOrEqual(180);
    // A dev restart without ADMIN_TOKEN prints a fresh token: the one printed before stops working.
    const second = await staff.ensureAdminToken(t);
    expect(second).not.toBe(first);
    expect(await staff.resolve(first)).toBeUndefined();
    expect((await staff.resolve(second))?.role).toBe("bureau");
    // Setting ADMIN_TOKEN (rotating the bootstrap secret) retires the generated one; the same setting again keeps it.
    process.env.ADMIN_TOKEN = `zz_${t}_${"b".repeat(32)}`;
    resetConfig();
    expect(await staff.ensureAdminToken(t)).toBe(process.env.ADMIN_TOKEN);
    expect(await staff.ensureAdminToken(t)).toBe(process.env.ADMIN_TOKEN);
    expect(await staff.resolve(second)).toBeUndefined();
    expect((await staff.resolve(process.env.ADMIN_TOKEN))?.createdBy).toBe("bootstrap");
    expect((await staff.list(t)).filter((i) => i.createdBy === "bootstrap" && !i.revokedAt)).toHaveLength(1);
  });

  it("ends a token stored before expiry existed 180 days after it was made", async () => {
    const { token, info } = await staff.issue(tenant, { role: "school", schoolId: "s1", label: "旧令牌" }, "tok_test");
    const legacy = async (createdAt: string) =>
      ddb().send(
        new UpdateCommand({
          TableName: tableName(),
          Key: keys.staffToken(tenant, staff.hashToken(token)),
          UpdateExpression: "SET createdAt = :c REMOVE validUntil",
          ExpressionAttributeValues: { ":c": createdAt },
        }),
      );
    await legacy(new Date(Date.now() - 179 * 86_400_000).toISOString());
    expect((await staff.resolve(token))?.tokenId).toBe(info.tokenId);
    await legacy(new Date(Date.now() - 181 * 86_400_000).toISOString());
    await expect(staff.resolve(token)).rejects.toMatchObject({ code: "token_expired" });
  });

  it("refuses an ADMIN_TOKEN that names another tenant", async () => {
    process.env.ADMIN_TOKEN = `zz_someone-else_${"a".repeat(32)}`;
    resetConfig();
    await expect(staff.ensureAdminToken(tenant)).rejects.toThrow(/names tenant/);
  });
});

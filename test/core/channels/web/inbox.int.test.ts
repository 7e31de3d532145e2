import { beforeAll, describe, expect, it } from "vitest";
import * as inbox from "../../../../core/channels/web/inbox.js";
import { createTenant } from "../../../support/stack.js";

let tenant: string;
const user = "web:u1";
const item = (n: number, at: string) => ({
  id: `ntf_${String(n).padStart(16, "0")}`,
  eventId: "evt_0000000000000000",
  kind: "broadcast" as const,
  text: `通知${n}`,
  at,
});

beforeAll(async () => {
  tenant = (await createTenant()).id;
});

describe("the web-chat inbox", () => {
  it("keeps one item per notification however often it is pushed", async () => {
    expect(await inbox.push(tenant, user, item(1, "2025-11-20T01:00:00.000Z"))).toEqual({ created: true });
    expect(await inbox.push(tenant, user, item(1, "2025-11-20T01:00:00.000Z"))).toEqual({ created: false });
    expect((await inbox.read(tenant, user)).items).toHaveLength(1);
  });

  it("reads what came after a cursor, oldest first, and items at or after an ISO time", async () => {
    await inbox.push(tenant, user, item(2, "2025-11-20T02:00:00.000Z"));
    await inbox.push(tenant, user, item(3, "2025-11-20T02:00:00.000Z"));
    await inbox.push(tenant, user, item(4, "2025-11-20T03:00:00.000Z"));
    const first = await inbox.read(tenant, user, undefined, 2);
    expect(first.items.map((i) => i.text)).toEqual(["通知1", "通知2"]);
    const rest = await inbox.read(tenant, user, first.cursor);
    expect(rest.items.map((i) => i.text)).toEqual(["通知3", "通知4"]);
    expect((await inbox.read(tenant, user, rest.cursor)).items).toEqual([]);
    expect((await inbox.read(tenant, user, "2025-11-20T02:00:00.000Z")).items.map((i) => i.text)).toEqual([
      "通知2",
      "通知3",
      "通知4",
    ]);
  });

  it("is per user", async () => {
    expect((await inbox.read(tenant, "web:someone-else")).items).toEqual([]);
  });
});

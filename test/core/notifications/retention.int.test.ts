/** Delivery records carry a TTL (docs/privacy.md: one school year and a term) and an expired one is read as absent. */
import { GetCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { beforeAll, describe, expect, it } from "vitest";
import { ddb, nowSeconds, tableName, TTL } from "../../../core/db/client.js";
import { keys } from "../../../core/db/keys.js";
import * as records from "../../../core/notifications/records.js";
import { queuedNotification } from "../../support/notifications.js";
import { createTenant } from "../../support/stack.js";

let tenant: string;
const eventId = "evt_0000000000000003";

beforeAll(async () => {
  tenant = (await createTenant()).id;
});

describe("delivery record retention", () => {
  it("stores each notification with an expiry 400 days out, and reads an expired one as gone", async () => {
    const kept = queuedNotification(tenant, eventId, "stu_dddddddddddddddd");
    const old = queuedNotification(tenant, eventId, "stu_eeeeeeeeeeeeeeee");
    await records.createMany([kept, old]);
    const key = keys.notification(tenant, eventId, old.id);
    const stored = await ddb().send(new GetCommand({ TableName: tableName(), Key: key, ConsistentRead: true }));
    const days = ((stored.Item?.[TTL] as number) - nowSeconds()) / 86_400;
    expect(days).toBeGreaterThan(399);
    expect(days).toBeLessThanOrEqual(400);

    // Past its expiry but not yet deleted by DynamoDB (which may take days): absent for every read.
    await ddb().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: key,
        UpdateExpression: "SET #ttl = :past",
        ExpressionAttributeNames: { "#ttl": TTL },
        ExpressionAttributeValues: { ":past": nowSeconds() - 60 },
      }),
    );
    expect(await records.get(tenant, eventId, old.id)).toBeUndefined();
    expect((await records.get(tenant, eventId, kept.id))?.id).toBe(kept.id);
    const listed = await records.ofEvent(tenant, eventId);
    expect(listed.map((n) => n.studentId)).toEqual(["stu_dddddddddddddddd"]);
  });
});

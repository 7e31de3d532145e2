/**
 * A chat user's SESSION# items (binding flow, conversation topic, safety topic) read together: within one message
 * the first read is one Query on the user's partition and the rest come from it; writes are seen by later reads of
 * the same message; outside a message every read is its own GetItem. Against DynamoDB Local.
 */
import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { beforeAll, describe, expect, test } from "vitest";
import { dynamoConversationStore } from "../../../core/assistant/conversation-dynamo.js";
import { withSessionItems } from "../../../core/chatusers/session-items.js";
import { ddb, getItem, nowSeconds, tableName, TTL } from "../../../core/db/client.js";
import { keys } from "../../../core/db/keys.js";
import * as safetyTopic from "../../../core/families/safety-topic.js";
import * as session from "../../../core/families/session.js";
import { uniqueTenant } from "../../support/stack.js";

/** Commands sent through the shared document client, by name, while `fn` runs. */
async function commandsOf(fn: () => Promise<unknown>): Promise<string[]> {
  const seen: string[] = [];
  const name = `sessionItemsTest_${Math.random().toString(36).slice(2)}`;
  const stack = ddb().middlewareStack;
  stack.add(
    (next, context) => async (args) => {
      seen.push(String(context.commandName).replace(/Command$/, ""));
      return next(args);
    },
    { step: "initialize", name },
  );
  try {
    await fn();
  } finally {
    stack.remove(name);
  }
  return seen;
}

let tenant: string;
let n = 0;
const user = () => `wechat:osession${n++}`;

beforeAll(() => {
  tenant = uniqueTenant("ses");
});

describe("a chat user's session items", () => {
  test("a message reads the binding flow, the topic and the safety topic with one Query", async () => {
    const u = user();
    await session.put(tenant, u, { name: "张三" });
    await safetyTopic.put(tenant, u, "scam");
    const store = dynamoConversationStore();
    await store.save(tenant, u, { programme: "雨露计划" });
    let read: unknown[] = [];
    const sent = await commandsOf(() =>
      withSessionItems(tenant, u, async () => {
        read = [await store.load(tenant, u), await session.get(tenant, u), await safetyTopic.get(tenant, u)];
      }),
    );
    expect(sent).toEqual(["Query"]);
    expect(read[0]).toMatchObject({ programme: "雨露计划" });
    expect(read[1]).toEqual({ name: "张三" });
    expect(read[2]).toBe("scam");
  });

  test("outside a message every read is its own GetItem, as before", async () => {
    const u = user();
    await session.put(tenant, u, { studentNo: "G1" });
    const sent = await commandsOf(async () => {
      expect(await session.get(tenant, u)).toEqual({ studentNo: "G1" });
      expect(await safetyTopic.get(tenant, u)).toBeUndefined();
    });
    expect(sent).toEqual(["GetItem", "GetItem"]);
  });

  test("a flow written in a message is read back by the same message; clearing a flow it saw absent sends nothing", async () => {
    const u = user();
    const sent = await commandsOf(() =>
      withSessionItems(tenant, u, async () => {
        expect(await session.get(tenant, u)).toBeUndefined();
        await session.clear(tenant, u);
        await session.put(tenant, u, { name: "李四", phoneLast4: "1234" });
        expect(await session.get(tenant, u)).toEqual({ name: "李四", phoneLast4: "1234" });
        await session.clear(tenant, u);
        expect(await session.get(tenant, u)).toBeUndefined();
      }),
    );
    expect(sent).toEqual(["Query", "PutItem", "DeleteItem"]);
    expect(await getItem(keys.bindingSession(tenant, u))).toBeUndefined();
  });

  test("the topic the message read is not written again while fresh, and is written once a tenth of its TTL has passed", async () => {
    const u = user();
    const store = dynamoConversationStore({ ttlSeconds: 100 });
    const topic = { programme: "生源地贷款", aspect: "where" };
    const stored = async (writtenSecondsAgo: number) =>
      ddb().send(
        new PutCommand({
          TableName: tableName(),
          Item: {
            ...keys.conversationTopic(tenant, u),
            type: "topic",
            topic,
            marker: "as stored",
            [TTL]: nowSeconds() + 100 - writtenSecondsAgo,
          },
        }),
      );
    const answerOnce = () =>
      withSessionItems(tenant, u, async () => {
        const loaded = await store.load(tenant, u);
        expect(loaded).toMatchObject({ programme: "生源地贷款" });
        await store.save(tenant, u, loaded!);
      });

    await stored(2);
    expect(await commandsOf(answerOnce)).toEqual(["Query"]);
    expect((await getItem(keys.conversationTopic(tenant, u)))?.marker).toBe("as stored");

    await stored(30);
    expect(await commandsOf(answerOnce)).toEqual(["Query", "PutItem"]);
    const after = await getItem(keys.conversationTopic(tenant, u));
    expect(after?.marker).toBeUndefined();
    expect(Number(after?.[TTL])).toBeGreaterThanOrEqual(nowSeconds() + 98);

    // A different topic is always written.
    const sent = await commandsOf(() =>
      withSessionItems(tenant, u, async () => {
        await store.load(tenant, u);
        await store.save(tenant, u, { programme: "雨露计划" });
      }),
    );
    expect(sent).toEqual(["Query", "PutItem"]);
    expect((await store.load(tenant, u))?.programme).toBe("雨露计划");
  });
});

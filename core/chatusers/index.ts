/**
 * Chat users (a WeChat follower or a web-chat visitor), keyed by userKey
 * (`wechat:<openid>`, `web:<id>`). Holds only what delivery needs: whether they
 * follow us and whether they take school broadcasts.
 */
import { GetCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { z } from "zod";
import { ddb, tableName, withoutKeys } from "../db/client.js";
import { keys } from "../db/keys.js";

export const ChatUserInfo = z.object({
  userKey: z.string(),
  channel: z.enum(["wechat", "web", "cli"]),
  /** False after WeChat's unsubscribe event: nothing is sent until they follow again. */
  following: z.boolean().default(true),
  /** 退订 turns off school broadcasts only; notices about one's own child still go. */
  broadcasts: z.boolean().default(true),
  updatedAt: z.string().optional(),
});
export type ChatUserInfo = z.infer<typeof ChatUserInfo>;

export function channelOf(userKey: string): "wechat" | "web" | "cli" {
  const c = userKey.split(":")[0];
  return c === "wechat" || c === "web" ? c : "cli";
}

/** The channel's own id (WeChat OpenID, web user id). */
export function channelIdOf(userKey: string): string {
  return userKey.slice(userKey.indexOf(":") + 1);
}

export async function get(tenant: string, userKey: string): Promise<ChatUserInfo> {
  const out = await ddb().send(
    new GetCommand({ TableName: tableName(), Key: keys.chatUser(tenant, userKey), ConsistentRead: true }),
  );
  return ChatUserInfo.parse(out.Item ? withoutKeys(out.Item) : { userKey, channel: channelOf(userKey) });
}

async function set(tenant: string, userKey: string, field: "following" | "broadcasts", value: boolean): Promise<void> {
  await ddb().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.chatUser(tenant, userKey),
      UpdateExpression: "SET #f = :v, userKey = :u, channel = :c, updatedAt = :t, #type = :type",
      ExpressionAttributeNames: { "#f": field, "#type": "type" },
      ExpressionAttributeValues: {
        ":v": value,
        ":u": userKey,
        ":c": channelOf(userKey),
        ":t": new Date().toISOString(),
        ":type": "chatUser",
      },
    }),
  );
}

export const setFollowing = (tenant: string, userKey: string, on: boolean) => set(tenant, userKey, "following", on);
export const setBroadcasts = (tenant: string, userKey: string, on: boolean) => set(tenant, userKey, "broadcasts", on);

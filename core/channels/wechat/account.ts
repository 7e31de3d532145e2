/**
 * Which WeChat Official Account a county speaks through: its own, entered by the bureau in the console
 * (core/tenants/wechat-credentials.ts, decrypted here on the server and nowhere else), or — when the county has
 * saved none — the deployment's WECHAT_* (the demo tenant, and any county not yet onboarded).
 *
 * Never a mix: once a county has saved anything, only its own values count, and a part it has not saved yet is
 * "not configured" (the webhook answers 503, a send fails as a configuration error). Mixing its AppID with the
 * deployment's Token or AppSecret would accept another account's pushes or send as another account.
 *
 * Cached per tenant in this process for CACHE_MS (30 s): a changed credential takes effect within 30 s everywhere
 * (at once in the process that saved it, through `forgetWechatAccount`), and a message costs no storage read on a
 * warm instance. The deployment's values are read from config at use, so they are never stale.
 *
 * Storage down while the cache is cold: the read is bounded (a quarter of the webhook's deadline); the last
 * known values are used when there are any, else the deployment's — a county on its own account then fails the
 * signature check and WeChat retries, which is better than answering nobody for the deployment's tenant.
 */
import { config } from "../../config.js";
import { AppError, isStorageFault } from "../../errors.js";
import { isTenantId } from "../../ids.js";
import { log } from "../../log.js";
import { decrypted } from "../../tenants/wechat-credentials.js";
import { DeadlineExceeded, withDeadline } from "../offline.js";
import { aesKeyRingFrom } from "./crypto.js";
import { settingsFromConfig, type WechatSettings } from "./webhook.js";

export interface WechatAccount {
  /** Whose values these are: the county's own (saved in the console) or the deployment's WECHAT_*. */
  source: "tenant" | "deployment";
  appId?: string;
  appSecret?: string;
  token?: string;
  aesKey?: string;
  /** Deployment only: the previous EncodingAESKey during a key change. */
  aesKeyPrevious?: string;
}

type Own = Omit<WechatAccount, "source" | "aesKeyPrevious">;

export const CACHE_MS = 30_000;
/** After a failed read, how long the fallback is used before storage is asked again. */
const FAULT_MS = 5_000;
const MAX_ENTRIES = 1_000;

interface Entry {
  until: number;
  /** The county's own values; undefined when it saved none. */
  own: Promise<Own | undefined>;
  /** Webhook settings built from `own`, once. */
  settings?: WechatSettings;
}

const entries = new Map<string, Entry>();
/** The last values read successfully, kept past their 30 s for use while storage is down. */
const lastKnown = new Map<string, Own | undefined>();

const alog = log.child({ channel: "wechat" });

function remember(tenant: string, own: Own | undefined): void {
  if (lastKnown.size >= MAX_ENTRIES && !lastKnown.has(tenant)) lastKnown.clear();
  lastKnown.set(tenant, own);
}

async function load(tenant: string): Promise<Own | undefined> {
  const c = await decrypted(tenant);
  const own: Own = {};
  if (c.appId) own.appId = c.appId;
  if (c.appSecret) own.appSecret = c.appSecret;
  if (c.token) own.token = c.token;
  if (c.aesKey) own.aesKey = c.aesKey;
  return Object.keys(own).length > 0 ? own : undefined;
}

/** A quarter of the webhook's hard deadline (4.6 s → 1.15 s): the rest is for the dedupe write and the answer. */
const readBudget = () => Math.floor(config().wechat.hardDeadlineMs / 4);

function ownValues(tenant: string): Promise<Own | undefined> {
  if (!isTenantId(tenant)) return Promise.resolve(undefined); // 404 later, after the signature check
  const now = Date.now();
  const hit = entries.get(tenant);
  if (hit && hit.until > now) return hit.own;
  if (entries.size >= MAX_ENTRIES) entries.clear();
  const read = load(tenant);
  const entry: Entry = {
    until: now + CACHE_MS,
    own: withDeadline(read, readBudget()).then(
      (own) => {
        remember(tenant, own);
        return own;
      },
      (e: unknown) => {
        const current = entries.get(tenant) === entry;
        if (!isStorageFault(e) && !(e instanceof DeadlineExceeded)) {
          // A secret that no longer decrypts (the key changed): unusable until saved again; asked again next time.
          if (current) entries.delete(tenant);
          throw e;
        }
        alog.warn("could not read the county's WeChat account in time; using the last known one", {
          tenant,
          known: lastKnown.has(tenant),
        });
        if (current) {
          entry.until = Date.now() + FAULT_MS;
          // A read that was only slow still lands: the next message uses what it found.
          read.then(
            (own) => {
              remember(tenant, own);
              if (entries.get(tenant) === entry)
                entries.set(tenant, { until: Date.now() + CACHE_MS, own: Promise.resolve(own) });
            },
            () => undefined,
          );
        }
        return lastKnown.get(tenant);
      },
    ),
  };
  entries.set(tenant, entry);
  return entry.own;
}

/** The account a county uses now (cached; see the module comment). Plain secrets: never for a response or a log. */
export async function wechatAccount(tenant: string): Promise<WechatAccount> {
  const own = await ownValues(tenant);
  if (own) return { source: "tenant", ...own };
  const w = config().wechat;
  return {
    source: "deployment",
    ...(w.appId ? { appId: w.appId } : {}),
    ...(w.appSecret ? { appSecret: w.appSecret } : {}),
    ...(w.token ? { token: w.token } : {}),
    ...(w.aesKey ? { aesKey: w.aesKey } : {}),
    ...(w.aesKeyPrevious ? { aesKeyPrevious: w.aesKeyPrevious } : {}),
  };
}

/** The webhook's settings for a county: its own Token / EncodingAESKey / AppID, or the deployment's. */
export async function webhookSettings(tenant: string): Promise<WechatSettings> {
  const own = await ownValues(tenant);
  if (!own) return settingsFromConfig();
  const entry = entries.get(tenant);
  if (entry?.settings && (await entry.own) === own) return entry.settings;
  if (!own.token || !own.appId) {
    throw new AppError(
      "unavailable",
      "wechat_not_configured",
      "this county's WeChat account has no Token or AppID saved yet (console: 公众号设置)",
    );
  }
  const settings: WechatSettings = {
    token: own.token,
    appId: own.appId,
    ...(own.aesKey ? { keys: aesKeyRingFrom(own.aesKey) } : {}),
  };
  if (entry) entry.settings = settings;
  return settings;
}

/** Drops the cached account of `tenant` (after the bureau saved it), or of every county. */
export function forgetWechatAccount(tenant?: string): void {
  if (tenant === undefined) {
    entries.clear();
    lastKnown.clear();
  } else {
    entries.delete(tenant);
    lastKnown.delete(tenant);
  }
}

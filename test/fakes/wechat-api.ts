/** The fake WeChat API lives in core/local (with the rest of the local stack) because `npm run dev` uses it too; tests import it from here. */
export * from "../../core/local/fake-wechat-api.js";

import { afterAll, beforeAll, beforeEach } from "vitest";
import { resetConfig } from "../../core/config.js";
import { startFakeWechatApi, type FakeWechatApi } from "../../core/local/fake-wechat-api.js";

/**
 * For a test file that talks to WeChat's API: starts the fake before the file's tests, points core/config at it
 * with these credentials, resets its records before each test and stops it after. Call at the top level.
 */
export function useFakeWechatApi(creds: { appId: string; secret: string }): { readonly api: FakeWechatApi } {
  let fake: FakeWechatApi | undefined;
  beforeAll(async () => {
    fake = await startFakeWechatApi(creds);
    Object.assign(process.env, {
      WECHAT_API_BASE: fake.url,
      WECHAT_APP_ID: creds.appId,
      WECHAT_APP_SECRET: creds.secret,
    });
    resetConfig();
  });
  afterAll(async () => {
    await fake?.stop();
  });
  beforeEach(() => fake?.reset());
  return {
    get api() {
      if (!fake) throw new Error("the fake WeChat API is not started yet (use it inside tests or hooks)");
      return fake;
    },
  };
}

/** The fake WeChat API lives in core/ because `npm run dev` uses it too; tests import it from here. */
export * from "../../core/channels/wechat/fake-api.js";

/** Typed c.var for every route. */
import type { Logger } from "../../core/log.js";

declare module "hono" {
  interface ContextVariableMap {
    requestId: string;
    log: Logger;
  }
}
export {};

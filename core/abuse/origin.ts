/**
 * Where the current request came from (the client address of a web chat), carried through the assistant without
 * threading it through every signature: the binding limits (core/families/binding.ts) charge failures to the
 * client as well as to the chat user, because web-chat users are free to create. WeChat messages carry no client
 * (the sender is WeChat's server; an openid is not free to create).
 */
import { AsyncLocalStorage } from "node:async_hooks";

export interface Origin {
  /** The client address (IP) as the HTTP edge saw it; never a header the client chose. */
  client?: string;
}

const store = new AsyncLocalStorage<Origin>();

export function withOrigin<T>(origin: Origin, fn: () => Promise<T>): Promise<T> {
  return store.run(origin, fn);
}

export function currentOrigin(): Origin {
  return store.getStore() ?? {};
}

import { createContext, useContext } from "react";
import type { Result } from "./api/client";

export type SessionInfo = Result<"/api/session", "get">;
/** Where the browser keeps the 单位代码 of the last login (not secret: it is printed on every account slip). */
export const TENANT_KEY = "zz_tenant";
export const currentTenant = () => localStorage.getItem(TENANT_KEY) ?? "demo";
export const SessionContext = createContext<{ session: SessionInfo; refresh: () => Promise<void> } | null>(null);
export function useSession() {
  const s = useContext(SessionContext);
  if (!s) throw new Error("no session");
  return s;
}

/** SPA navigation under /console/. */
export function navigate(path: string) {
  history.pushState(null, "", `/console${path}`);
  window.dispatchEvent(new PopStateEvent("popstate"));
}

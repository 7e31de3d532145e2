import { createContext, useContext } from "react";
import type { Result } from "./api/client";

export type SessionInfo = Result<"/api/session", "get">;
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

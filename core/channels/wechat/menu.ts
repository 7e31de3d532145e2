/**
 * The custom menu (自定义菜单) keys we understand. The menu itself is configured in the WeChat console (or via
 * the menu API) with `click` buttons carrying these keys; a click arrives as a CLICK event with EventKey = key.
 *
 * Each key maps to what a user could have typed, so the answer is the assistant's own — except POLICY, which
 * has no single good question and answers with a guide to asking by school stage.
 */
export const MenuKey = {
  policy: "POLICY",
  status: "STATUS",
  bind: "BIND",
  human: "HUMAN",
} as const;
export type MenuKey = (typeof MenuKey)[keyof typeof MenuKey];

export type MenuAction = { kind: "ask"; text: string } | { kind: "policyGuide" } | { kind: "unknown" };

const ASK: Record<Exclude<MenuKey, "POLICY">, string> = {
  STATUS: "查进度",
  BIND: "绑定",
  HUMAN: "人工",
};

export function menuAction(eventKey: string): MenuAction {
  const key = eventKey.trim().toUpperCase();
  if (key === MenuKey.policy) return { kind: "policyGuide" };
  if (Object.hasOwn(ASK, key)) return { kind: "ask", text: ASK[key as keyof typeof ASK] };
  return { kind: "unknown" };
}

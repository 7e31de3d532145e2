import { Grid } from "antd";

/**
 * Whether the screen is a phone's (narrower than antd's md, 768 px). The main lists then show fewer columns (those
 * marked `responsive: ["md"]` hide) and drop their horizontal scroll width, so a 390 px screen never scrolls sideways.
 */
export function useNarrow(): boolean {
  const screens = Grid.useBreakpoint();
  return screens.md === false;
}

/** A table's `scroll` prop: the wide layout's minimum width on a computer, none on a phone. */
export function wideScroll(narrow: boolean, x: number): { x: number } | undefined {
  return narrow ? undefined : { x };
}

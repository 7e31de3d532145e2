/**
 * Builds the staff console (Vite) into console/dist when it is missing or older than its sources. `npm run dev`
 * and the test global setup call ensureConsoleBuilt(); `npm run console:build` forces a build.
 */
import { existsSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../console/", import.meta.url));
const STAMP = join(ROOT, "dist", ".built");

function newest(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(st.mtimeMs, ...readdirSync(path).map((f) => newest(join(path, f))));
}

export function consoleIsStale(): boolean {
  if (!existsSync(STAMP)) return true;
  const sources = Math.max(
    newest(join(ROOT, "src")),
    newest(join(ROOT, "index.html")),
    newest(join(ROOT, "vite.config.ts")),
  );
  return sources > statSync(STAMP).mtimeMs;
}

/** Build when stale; resolves to whether it built. */
export async function ensureConsoleBuilt(opts: { force?: boolean } = {}): Promise<boolean> {
  if (!opts.force && !consoleIsStale()) return false;
  const { build } = await import("vite");
  await build({ configFile: join(ROOT, "vite.config.ts"), logLevel: "warn" });
  writeFileSync(STAMP, new Date().toISOString());
  return true;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const started = Date.now();
  await ensureConsoleBuilt({ force: true });
  console.log(`console built into console/dist in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

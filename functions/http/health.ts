import { Hono } from "hono";
import { checkHealth } from "../../core/health.js";

export const healthRoutes = new Hono().get("/health", async (c) => {
  const report = await checkHealth();
  return c.json(report, report.ok ? 200 : 503);
});

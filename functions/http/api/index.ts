/**
 * The staff API, mounted at /api. Every route sits behind staffAuth() (c.var.staff) except the contract's public
 * readings (openapi.json, docs) and the console login. Each route is declared once in its area file with
 * staffRoute() (./contract.ts): document, roles, body limit and validation come from that declaration.
 * Route files each take one area; add a new area with one `api.route("/", …)` line below.
 */
import { Hono } from "hono";
import { staffAuth } from "../../../core/accounts/middleware.js";
import { docsRoutes } from "./openapi.js";
import { tokenRoutes } from "./tokens.js";
import { tenantRoutes } from "./tenant.js";
import { schoolRoutes } from "./schools.js";
import { studentRoutes } from "./students.js";
import { applicationRoutes } from "./applications.js";
import { kbRoutes } from "./kb.js";
import { handoffRoutes } from "./handoffs.js";
import { dashboardRoutes } from "./dashboard.js";
import { notificationRoutes } from "./notifications.js";
import { alertRoutes } from "./alerts.js";
import { accountRoutes, sessionPublicRoutes } from "./accounts.js";
import { consoleApiRoutes } from "./console.js";
import { slipRoutes } from "./slips.js";
import { privacyRoutes } from "./privacy.js";
import { tokenRotationRoutes } from "./token-rotation.js";

const api = new Hono();

// Public, registered before the auth middleware: the OpenAPI document and the reference page.
api.route("/", docsRoutes);

// Console login: before the auth middleware (it is how a session starts).
api.route("/", sessionPublicRoutes);

api.use("*", staffAuth());

// Before the area routes: /students/search must not be taken for /students/:id.
api.route("/", consoleApiRoutes);
api.route("/", tokenRoutes);
api.route("/", tenantRoutes);
api.route("/", schoolRoutes);
api.route("/", studentRoutes);
api.route("/", applicationRoutes);
api.route("/", kbRoutes);
api.route("/", handoffRoutes);
api.route("/", dashboardRoutes);
api.route("/", notificationRoutes);
api.route("/", alertRoutes);
api.route("/", privacyRoutes);
api.route("/", tokenRotationRoutes);
api.route("/", accountRoutes);
api.route("/", slipRoutes);

export const apiRoutes = api;

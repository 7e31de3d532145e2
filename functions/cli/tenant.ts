/** The tenant the offline CLIs answer as: the demo county, with no hotline configured (replies say where to find it). */
import type { TenantSettings } from "../../core/policy/kb";

export const cliTenant: TenantSettings = { name: "演示县学生资助管理中心", hotline: "" };

/**
 * What a staff token may see: bureau — its whole tenant; township — the schools of its township; school — its own
 * school. Every staff route goes through these helpers, and an out-of-scope record is reported exactly like a
 * missing one (same AppError), so a token cannot probe whether another school's student or application exists.
 */
import { AppError } from "../errors.js";
import * as applications from "../applications/index.js";
import * as schools from "../schools/index.js";
import * as students from "../students/index.js";
import type { Actor } from "../audit/index.js";
import type { Level } from "../applications/index.js";
import type { Role } from "./tokens.js";

/** The authenticated caller, as set on `c.var.staff` by staffAuth(). */
export interface Staff {
  tokenId: string;
  tenant: string;
  role: Role;
  /** school tokens only */
  schoolId?: string;
  /** township tokens only */
  township?: string;
  /** Who acts: 李老师（学校资助专干） for a console account, the token's label for automation. */
  person?: string;
  /** Console accounts: the login name (tokenId is then `acc:<username>`). */
  username?: string;
}

/** The audit actor for a staff action: the token or account id and the person with their role. */
export function actorOf(staff: Staff): Actor {
  return { id: staff.tokenId, role: staff.role, ...(staff.person ? { name: staff.person.slice(0, 60) } : {}) };
}

/** The review level a token acts at (the stage machine's staff levels match the roles one to one). */
export function levelOf(staff: Staff): Level {
  return staff.role;
}

/** Whether `school` (a record of the staff's own tenant) is inside the token's scope. */
export function canSeeSchool(staff: Staff, school: Pick<schools.SchoolInfo, "id" | "township" | "tenant">): boolean {
  if (school.tenant !== staff.tenant) return false;
  if (staff.role === "bureau") return true;
  if (staff.role === "township") return school.township === staff.township;
  return school.id === staff.schoolId;
}

/** The school when it exists in the staff's tenant and scope; undefined otherwise. */
export async function schoolInScope(staff: Staff, schoolId: string): Promise<schools.SchoolInfo | undefined> {
  // A school token can only ever see one id: skip the read for any other.
  if (staff.role === "school" && schoolId !== staff.schoolId) return undefined;
  const school = await schools.fromId(staff.tenant, schoolId);
  return school && canSeeSchool(staff, school) ? school : undefined;
}

/** Same as schoolInScope, for callers that only need a yes/no. */
export async function canSeeSchoolId(staff: Staff, schoolId: string): Promise<boolean> {
  return (await schoolInScope(staff, schoolId)) !== undefined;
}

/** The schools the token may see (bureau: all of the tenant's). */
export async function visibleSchools(staff: Staff): Promise<schools.SchoolInfo[]> {
  if (staff.role === "school") {
    const own = staff.schoolId ? await schools.fromId(staff.tenant, staff.schoolId) : undefined;
    return own ? [own] : [];
  }
  return (await schools.list(staff.tenant)).filter((s) => canSeeSchool(staff, s));
}

export async function requireSchool(staff: Staff, schoolId: string): Promise<schools.SchoolInfo> {
  const school = await schoolInScope(staff, schoolId);
  if (!school) throw AppError.notFound("school");
  return school;
}

export async function requireStudent(
  staff: Staff,
  studentId: string,
): Promise<{ student: students.StudentInfo; school: schools.SchoolInfo }> {
  const student = await students.fromId(staff.tenant, studentId);
  const school = student ? await schoolInScope(staff, student.schoolId) : undefined;
  if (!student || !school) throw AppError.notFound("student");
  return { student, school };
}

export async function requireApplication(
  staff: Staff,
  applicationId: string,
): Promise<{ application: applications.ApplicationInfo; school: schools.SchoolInfo }> {
  const application = await applications.fromId(staff.tenant, applicationId);
  const school = application ? await schoolInScope(staff, application.schoolId) : undefined;
  if (!application || !school) throw AppError.notFound("application");
  return { application, school };
}

/** For routes only one role may use (tokens, tenant settings, knowledge base). Not a scope question: 403. */
export function requireRole(staff: Staff, ...roles: Role[]): void {
  if (!roles.includes(staff.role)) {
    throw AppError.forbidden("role_required", `this needs a ${roles.join(" or ")} token`);
  }
}

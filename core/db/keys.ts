/**
 * Every key of the single table is built here and nowhere else.
 *
 * Access patterns (T = `T#<tenant>`; every key is tenant-scoped except the tenant registry):
 *
 * | # | pattern                                   | index | pk                              | sk / range                          |
 * |---|-------------------------------------------|-------|---------------------------------|-------------------------------------|
 * |  1| tenant settings                           | table | T                               | TENANT                              |
 * |  2| list tenants (cron, seed)                 | table | TENANTS                         | T#<tenant>                          |
 * |  3| school by id / list schools               | table | T#SCHOOLS                       | SCH#<schoolId>                      |
 * |  4| student (+ guardians, phones) by id       | table | T#STU#<studentId>               | PROFILE                             |
 * |  5| student by 学籍号                          | —     | id = stableId(tenant, 学籍号) → #4 (no lookup item needed)            |
 * |  6| students by school / grade / class        | gsi1  | T#SCH#<schoolId>#STU            | G#<grade>#C#<class>#<studentId>     |
 * |  7| chat users bound to a student (guardians) | table | T#STU#<studentId>               | BIND#<userKey>                      |
 * |  8| students bound to a chat user             | gsi1  | T#USR#<userKey>#BIND            | <studentId>                         |
 * |  9| application by id                         | table | T#APP#<appId>                   | APP                                 |
 * | 10| applications of a student                 | gsi1  | T#STU#<studentId>#APPS          | <term>#<programme>#<appId>          |
 * | 11| applications by programme + term + stage  | gsi2  | T#APPS#<programme>#<term>       | <stage>#<appId>                     |
 * | 12| audit trail of an entity                  | table | T#AUDIT#<entityId>              | <iso time>#<auditId>                |
 * | 13| event (list, payment batch, broadcast)    | table | T#EVT#<eventId>                 | EVT                                 |
 * | 14| events of a tenant, newest first          | gsi1  | T#EVENTS                        | <iso time>#<eventId>                |
 * | 15| notifications of an event                 | table | T#EVT#<eventId>                 | NTF#<notificationId>                |
 * |15b| members of an event (listed / paid)       | table | T#EVT#<eventId>                 | MEM#<studentId>                     |
 * |15c| unreached student told in person          | table | T#EVT#<eventId>                 | TOLD#<studentId>                    |
 * | 16| held / scheduled notifications due        | gsi2  | T#HELD                          | <release iso time>#<notificationId> |
 * |16b| scheduled events due (same index as 16)   | gsi2  | T#HELD                          | <release iso time>#<eventId>        |
 * | 17| notification by WeChat template msgid     | table | T#WXMSG#<msgid>                 | WXMSG                               |
 * | 18| inbound-message dedupe (TTL)              | table | T#DEDUPE#<hash of dedupe key>   | DEDUPE                              |
 * | 19| chat user (subscription, follow state)    | table | T#USR#<userKey>                 | PROFILE                             |
 * | 20| chat session state / memory (TTL)         | table | T#USR#<userKey>                 | SESSION                             |
 * |20b| step-by-step binding flow (TTL)           | table | T#USR#<userKey>                 | SESSION#BIND                        |
 * |20c| last conversation topic, for follow-ups   | table | T#USR#<userKey>                 | SESSION#TOPIC                       |
 * |20s| last safety topic of a chat user (TTL)     | table | T#USR#<userKey>                 | SESSION#SAFETY                      |
 * | 21| web-chat session → user (TTL)             | table | T#WEBSES#<sessionId>            | WEBSES                              |
 * | 22| web-chat inbox of a user                  | table | T#USR#<userKey>                 | INBOX#<iso time>#<notificationId>   |
 * | 23| binding attempt counters (TTL)            | table | T#LIMIT#<subject>               | BIND#<window>                       |
 * | 24| one-time binding code (TTL)               | table | T#BCODE#<code>                  | BCODE                               |
 * |24b| a student's code on the latest slip (TTL)  | table | T#STU#<studentId>               | SLIPCODE                            |
 * | 25| staff token by hash                       | table | T#TOKEN#<hash>                  | TOKEN                               |
 * |25b| staff tokens of a tenant                  | gsi1  | T#TOKENS                        | <tokenId>                           |
 * |25c| bootstrap token without tenant prefix     | table | TOKENALIAS#<hash>               | ALIAS  (not tenant-scoped: → tenant)|
 * | 26| WeChat access token + refresh lease       | table | T#WXTOKEN#<appId>               | TOKEN / LEASE                       |
 * | 27| policy knowledge overrides of a tenant    | table | T#KB                            | KB#<entryId>                        |
 * | 28| payment batch record (idempotent upload)  | table | T#BATCH#<batchId>               | BATCH                               |
 * |28b| import job of a long file (state, progress)| table | T#JOB#<jobId>                  | JOB   (TTL)                         |
 * |28c| a job's chunks (rows, done, errors)       | table | T#JOB#<jobId>                   | CHUNK#<nnnnn>  (TTL; Query for errors)|
 * | 29| handoff requests (to a person), newest    | table | T#HANDOFF                       | <iso time>#<handoffId>              |
 * | 30| request-rate window counter (TTL)         | table | T#RATE#<rule>#<subject hash>    | W#<window start, epoch s>           |
 * | 31| suspicious-binding alerts, newest last    | table | T#ALERTS                        | <iso time>#<alertId>                |
 * | 32| staff account by username (login)        | table | T#ACCT#<username>               | ACCOUNT                             |
 * |32b| staff accounts of a tenant                | gsi1  | T#ACCOUNTS                      | <username>                          |
 * | 33| console session by hash of its cookie (TTL)| table | T#STAFFSES#<hash>              | SESSION                             |
 * | 50| a tenant's WeChat account credentials      | table | T                               | WXCRED  (secrets AES-256-GCM)       |
 * | 55| open handoff requests (sparse, on #29)    | gsi2  | T#HANDOFF#OPEN                  | <iso time>#<handoffId>              |
 * | 56| a chat user's open handoff (the bot-quiet marker) | table | T#USR#<userKey>         | HANDOFF                             |
 * | 57| handoff request by id (sparse, on #29)    | gsi1  | T#HANDOFF#<handoffId>           | HANDOFF                             |
 * | 60| a chat user's SESSION# items (20b/20c/20s) | table | T#USR#<userKey>                 | begins_with SESSION#  (one Query)   |
 * | 70| dashboard counter: term × school × programme × stage (count, fen) | table | T#TALLY#<term> | SCH#<schoolId>#P#<programme>#S#<stage> |
 * |70b| distinct paid students of a school in a term | table | T#TALLY#<term>             | SCH#<schoolId>#PAIDSTU              |
 * |70c| distinct paid students of the county in a term | table | T#TALLY#<term>          | COUNTY#PAIDSTU                      |
 * |70d| a term's counters (bureau) / one school's | table | T#TALLY#<term>                  | all / begins_with SCH#<schoolId>#   |
 * | 71| schools where a student was paid in a term | table | T#PAIDSTU#<term>#<studentId>   | PAIDSTU  (drives 70b/70c exactly)   |
 */

import { isTenantId } from "../ids.js";

export type Key = { pk: string; sk: string };

const t = (tenant: string) => {
  if (!isTenantId(tenant)) throw new Error("invalid tenant id");
  return `T#${tenant}`;
};

export const keys = {
  /** 1 */ tenant: (tenant: string): Key => ({ pk: t(tenant), sk: "TENANT" }),
  /** 50 */ wechatCredentials: (tenant: string): Key => ({ pk: t(tenant), sk: "WXCRED" }),
  /** 2 */ tenantRegistry: (tenant: string): Key => ({ pk: "TENANTS", sk: t(tenant) }),
  tenantRegistryPk: () => "TENANTS",

  /** 3 */ school: (tenant: string, schoolId: string): Key => ({ pk: `${t(tenant)}#SCHOOLS`, sk: `SCH#${schoolId}` }),
  schoolsPk: (tenant: string) => `${t(tenant)}#SCHOOLS`,

  /** 4 */ student: (tenant: string, studentId: string): Key => ({
    pk: `${t(tenant)}#STU#${studentId}`,
    sk: "PROFILE",
  }),
  /** 6 */ studentBySchool: (tenant: string, schoolId: string, grade: string, klass: string, studentId: string) => ({
    gsi1pk: `${t(tenant)}#SCH#${schoolId}#STU`,
    gsi1sk: `G#${grade}#C#${klass}#${studentId}`,
  }),
  studentsOfSchoolPk: (tenant: string, schoolId: string) => `${t(tenant)}#SCH#${schoolId}#STU`,
  /** Range prefix for a grade, or a grade and class, of pattern 6. */
  studentsOfSchoolPrefix: (grade?: string, klass?: string) =>
    grade === undefined ? "G#" : klass === undefined ? `G#${grade}#C#` : `G#${grade}#C#${klass}#`,

  /** 7 + 8: one item per (student, chat user); the inverted index gives the other direction. */
  binding: (tenant: string, studentId: string, userKey: string) => ({
    pk: `${t(tenant)}#STU#${studentId}`,
    sk: `BIND#${userKey}`,
    gsi1pk: `${t(tenant)}#USR#${userKey}#BIND`,
    gsi1sk: studentId,
  }),
  bindingsOfStudentPk: (tenant: string, studentId: string) => `${t(tenant)}#STU#${studentId}`,
  bindingsOfUserPk: (tenant: string, userKey: string) => `${t(tenant)}#USR#${userKey}#BIND`,

  /** 9, 10, 11 */
  application: (tenant: string, appId: string): Key => ({ pk: `${t(tenant)}#APP#${appId}`, sk: "APP" }),
  applicationOfStudent: (tenant: string, studentId: string, term: string, programme: string, appId: string) => ({
    gsi1pk: `${t(tenant)}#STU#${studentId}#APPS`,
    gsi1sk: `${term}#${programme}#${appId}`,
  }),
  applicationsOfStudentPk: (tenant: string, studentId: string) => `${t(tenant)}#STU#${studentId}#APPS`,
  applicationByStage: (tenant: string, programme: string, term: string, stage: string, appId: string) => ({
    gsi2pk: `${t(tenant)}#APPS#${programme}#${term}`,
    gsi2sk: `${stage}#${appId}`,
  }),
  applicationsByProgrammePk: (tenant: string, programme: string, term: string) =>
    `${t(tenant)}#APPS#${programme}#${term}`,

  /** 12 */
  audit: (tenant: string, entityId: string, at: string, auditId: string): Key => ({
    pk: `${t(tenant)}#AUDIT#${entityId}`,
    sk: `${at}#${auditId}`,
  }),
  auditPk: (tenant: string, entityId: string) => `${t(tenant)}#AUDIT#${entityId}`,

  /** 13, 14 */
  event: (tenant: string, eventId: string): Key => ({ pk: `${t(tenant)}#EVT#${eventId}`, sk: "EVT" }),
  eventListing: (tenant: string, createdAt: string, eventId: string) => ({
    gsi1pk: `${t(tenant)}#EVENTS`,
    gsi1sk: `${createdAt}#${eventId}`,
  }),
  eventsPk: (tenant: string) => `${t(tenant)}#EVENTS`,

  /** 15, 16, 17 */
  notification: (tenant: string, eventId: string, notificationId: string): Key => ({
    pk: `${t(tenant)}#EVT#${eventId}`,
    sk: `NTF#${notificationId}`,
  }),
  notificationsOfEventPk: (tenant: string, eventId: string) => `${t(tenant)}#EVT#${eventId}`,
  heldNotification: (tenant: string, releaseAt: string, notificationId: string) => ({
    gsi2pk: `${t(tenant)}#HELD`,
    gsi2sk: `${releaseAt}#${notificationId}`,
  }),
  heldPk: (tenant: string) => `${t(tenant)}#HELD`,
  /** 15b: a listed / paid student of an event, carrying what that student's notice needs. */
  eventMember: (tenant: string, eventId: string, studentId: string): Key => ({
    pk: `${t(tenant)}#EVT#${eventId}`,
    sk: `MEM#${studentId}`,
  }),
  /** 15c */ toldInPerson: (tenant: string, eventId: string, studentId: string): Key => ({
    pk: `${t(tenant)}#EVT#${eventId}`,
    sk: `TOLD#${studentId}`,
  }),
  /** 16b: a broadcast with a send time waits in the held index until the release job starts its fan-out. */
  scheduledEvent: (tenant: string, releaseAt: string, eventId: string) => ({
    gsi2pk: `${t(tenant)}#HELD`,
    gsi2sk: `${releaseAt}#${eventId}`,
  }),
  wechatMsg: (tenant: string, msgid: string): Key => ({ pk: `${t(tenant)}#WXMSG#${msgid}`, sk: "WXMSG" }),

  /** 18 */ dedupe: (tenant: string, keyHash: string): Key => ({ pk: `${t(tenant)}#DEDUPE#${keyHash}`, sk: "DEDUPE" }),

  /** 19, 20, 22 */
  chatUser: (tenant: string, userKey: string): Key => ({ pk: `${t(tenant)}#USR#${userKey}`, sk: "PROFILE" }),
  session: (tenant: string, userKey: string): Key => ({ pk: `${t(tenant)}#USR#${userKey}`, sk: "SESSION" }),
  /** 20c: the last topic (programme, level, aspect, child) — its own item, beside LLM memory, with a TTL. */
  conversationTopic: (tenant: string, userKey: string): Key => ({
    pk: `${t(tenant)}#USR#${userKey}`,
    sk: "SESSION#TOPIC",
  }),
  inboxItem: (tenant: string, userKey: string, at: string, notificationId: string): Key => ({
    pk: `${t(tenant)}#USR#${userKey}`,
    sk: `INBOX#${at}#${notificationId}`,
  }),
  inboxPk: (tenant: string, userKey: string) => `${t(tenant)}#USR#${userKey}`,
  /** 20b: its own item, so the assistant's session writes never clobber a half-done binding. */
  bindingSession: (tenant: string, userKey: string): Key => ({ pk: `${t(tenant)}#USR#${userKey}`, sk: "SESSION#BIND" }),
  /** 20s: the last safety answer's topic (scam / privacy / crisis; also a binding attempt or a request for a person), so a short follow-up is understood. */
  safetyTopic: (tenant: string, userKey: string): Key => ({ pk: `${t(tenant)}#USR#${userKey}`, sk: "SESSION#SAFETY" }),
  /** 60: 20b, 20c and 20s read together, one Query per message (core/chatusers/session-items.ts). */
  sessionItemsPk: (tenant: string, userKey: string) => `${t(tenant)}#USR#${userKey}`,
  sessionItemsPrefix: "SESSION#",

  /** 21 */ webSession: (tenant: string, sessionId: string): Key => ({
    pk: `${t(tenant)}#WEBSES#${sessionId}`,
    sk: "WEBSES",
  }),

  /** 23 */ limit: (tenant: string, subject: string, window: string): Key => ({
    pk: `${t(tenant)}#LIMIT#${subject}`,
    sk: `BIND#${window}`,
  }),
  /** 24 */ bindingCode: (tenant: string, code: string): Key => ({ pk: `${t(tenant)}#BCODE#${code}`, sk: "BCODE" }),
  /** 24b */ slipCode: (tenant: string, studentId: string): Key => ({
    pk: `${t(tenant)}#STU#${studentId}`,
    sk: "SLIPCODE",
  }),
  /** 25 */ staffToken: (tenant: string, hash: string): Key => ({ pk: `${t(tenant)}#TOKEN#${hash}`, sk: "TOKEN" }),
  /** 25b */ staffTokenListing: (tenant: string, tokenId: string) => ({
    gsi1pk: `${t(tenant)}#TOKENS`,
    gsi1sk: tokenId,
  }),
  staffTokensPk: (tenant: string) => `${t(tenant)}#TOKENS`,
  /** 25c: ADMIN_TOKEN may be any string; this maps its hash to the tenant it was registered for. */
  staffTokenAlias: (hash: string): Key => ({ pk: `TOKENALIAS#${hash}`, sk: "ALIAS" }),
  /** 26 */ wechatToken: (tenant: string, appId: string): Key => ({ pk: `${t(tenant)}#WXTOKEN#${appId}`, sk: "TOKEN" }),
  wechatTokenLease: (tenant: string, appId: string): Key => ({ pk: `${t(tenant)}#WXTOKEN#${appId}`, sk: "LEASE" }),
  /** 27 */ kbOverride: (tenant: string, entryId: string): Key => ({ pk: `${t(tenant)}#KB`, sk: `KB#${entryId}` }),
  kbOverridesPk: (tenant: string) => `${t(tenant)}#KB`,
  /** 29 */ handoff: (tenant: string, at: string, handoffId: string): Key => ({
    pk: `${t(tenant)}#HANDOFF`,
    sk: `${at}#${handoffId}`,
  }),
  handoffsPk: (tenant: string) => `${t(tenant)}#HANDOFF`,
  /** 55: set on a request while it is open, removed when it is closed — the inbox reads only open ones. */
  openHandoff: (tenant: string, at: string, handoffId: string) => ({
    gsi2pk: `${t(tenant)}#HANDOFF#OPEN`,
    gsi2sk: `${at}#${handoffId}`,
  }),
  openHandoffsPk: (tenant: string) => `${t(tenant)}#HANDOFF#OPEN`,
  /** 56: read once per message by the reply path; deleted with everything else under the user on 注销. */
  userHandoff: (tenant: string, userKey: string): Key => ({ pk: `${t(tenant)}#USR#${userKey}`, sk: "HANDOFF" }),
  /** 57 */ handoffById: (tenant: string, handoffId: string) => ({
    gsi1pk: `${t(tenant)}#HANDOFF#${handoffId}`,
    gsi1sk: "HANDOFF",
  }),
  /** 30: one fixed window of one rate rule for one subject (IP, session, token), hashed so no IP sits in a key. */
  rateWindow: (tenant: string, rule: string, subjectHash: string, windowStart: number): Key => ({
    pk: `${t(tenant)}#RATE#${rule}#${subjectHash}`,
    sk: `W#${windowStart}`,
  }),
  /** 31 */ alert: (tenant: string, at: string, alertId: string): Key => ({
    pk: `${t(tenant)}#ALERTS`,
    sk: `${at}#${alertId}`,
  }),
  alertsPk: (tenant: string) => `${t(tenant)}#ALERTS`,
  /** 32 */ account: (tenant: string, username: string): Key => ({
    pk: `${t(tenant)}#ACCT#${username}`,
    sk: "ACCOUNT",
  }),
  /** 32b */ accountListing: (tenant: string, username: string) => ({
    gsi1pk: `${t(tenant)}#ACCOUNTS`,
    gsi1sk: username,
  }),
  accountsPk: (tenant: string) => `${t(tenant)}#ACCOUNTS`,
  /** 33 */ staffSession: (tenant: string, hash: string): Key => ({
    pk: `${t(tenant)}#STAFFSES#${hash}`,
    sk: "SESSION",
  }),
  /** 70: one counter cell of the dashboard, changed only inside the transaction that moves an application. */
  tallyCell: (tenant: string, term: string, schoolId: string, programme: string, stage: string): Key => ({
    pk: `${t(tenant)}#TALLY#${term}`,
    sk: `SCH#${schoolId}#P#${programme}#S#${stage}`,
  }),
  /** 70b */ tallySchoolPaid: (tenant: string, term: string, schoolId: string): Key => ({
    pk: `${t(tenant)}#TALLY#${term}`,
    sk: `SCH#${schoolId}#PAIDSTU`,
  }),
  /** 70c */ tallyCountyPaid: (tenant: string, term: string): Key => ({
    pk: `${t(tenant)}#TALLY#${term}`,
    sk: "COUNTY#PAIDSTU",
  }),
  /** 70d: the whole partition for the county, or `begins_with(sk, prefix)` for one school. */
  talliesPk: (tenant: string, term: string) => `${t(tenant)}#TALLY#${term}`,
  tallySchoolPrefix: (schoolId: string) => `SCH#${schoolId}#`,
  /** 71: the paid-student marker that makes 70b / 70c count each student once, however many programmes pay. */
  paidStudent: (tenant: string, term: string, studentId: string): Key => ({
    pk: `${t(tenant)}#PAIDSTU#${term}#${studentId}`,
    sk: "PAIDSTU",
  }),
  /** 28 */ paymentBatch: (tenant: string, batchId: string): Key => ({
    pk: `${t(tenant)}#BATCH#${batchId}`,
    sk: "BATCH",
  }),
  /** 28b: one job per long file (a payment batch past what one request applies), read by the console's poll. */
  importJob: (tenant: string, jobId: string): Key => ({ pk: `${t(tenant)}#JOB#${jobId}`, sk: "JOB" }),
  /** 28c: the job's rows, a few hundred per chunk; one queue message per chunk. */
  importChunk: (tenant: string, jobId: string, chunk: number): Key => ({
    pk: `${t(tenant)}#JOB#${jobId}`,
    sk: `CHUNK#${String(chunk).padStart(5, "0")}`,
  }),
  importJobPk: (tenant: string, jobId: string) => `${t(tenant)}#JOB#${jobId}`,
} as const;

/** Chat users are keyed by channel and the channel's own id (WeChat OpenID, web session user). */
export function userKey(channel: "wechat" | "web" | "cli", id: string): string {
  return `${channel}:${id}`;
}

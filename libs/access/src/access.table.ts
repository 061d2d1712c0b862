import { AgencyKind as K, CaseSection as S, type SectionAccess, TaskForceRole as R } from './vocabulary';

/**
 * THE access policy. Every "may this member do or see X" in the hub is answered from these three
 * tables by `access.policy.ts`, plus one rule on top of SECTION_ACCESS: a standing referral lets its
 * receiving agency read the sections it names, of that one case (`caseSectionAccess`). Nothing else
 * grants access. Change a cell here and its test.
 */

/** What a role may do inside a task force it belongs to. */
export const TASK_FORCE_PERMISSIONS = {
  //                          COORDINATOR  MEMBER  OBSERVER
  'taskForce.read': [R.COORDINATOR, R.MEMBER, R.OBSERVER],
  'membership.read': [R.COORDINATOR, R.MEMBER, R.OBSERVER],
  'membership.manage': [R.COORDINATOR],
  'member.createInTaskForce': [R.COORDINATOR],
  'audit.read': [R.COORDINATOR],
  'meeting.read': [R.COORDINATOR, R.MEMBER, R.OBSERVER],
  'meeting.manage': [R.COORDINATOR], // schedule, edit, cancel, agenda, run, decisions, others' attendance
  'meeting.attend': [R.COORDINATOR, R.MEMBER, R.OBSERVER], // check oneself in and out
  'meeting.minutes': [R.COORDINATOR, R.MEMBER], // append minutes notes
  'actionItem.read': [R.COORDINATOR, R.MEMBER, R.OBSERVER],
  'actionItem.manage': [R.COORDINATOR], // create for anyone, edit, any status change
  'actionItem.createOwn': [R.COORDINATOR, R.MEMBER], // create one assigned to oneself or one's agency
  'actionItem.work': [R.COORDINATOR, R.MEMBER], // take, update and comment on items of oneself or one's agency
  'caseSummary.read': [R.COORDINATOR, R.MEMBER, R.OBSERVER], // sections further limited by SECTION_ACCESS
  'caseSummary.create': [R.COORDINATOR, R.MEMBER], // and write access to the overview
  'events.read': [R.COORDINATOR, R.MEMBER, R.OBSERVER], // live rooms and subscriptions, redacted per agency
  'report.read': [R.COORDINATOR, R.MEMBER, R.OBSERVER], // the task force's own indicators and their exports
  'serviceAccount.manage': [R.COORDINATOR], // client apps' accounts, their keys and webhooks
  'referral.read': [R.COORDINATOR, R.MEMBER, R.OBSERVER], // referrals from or to one's agency; coordinators all
  'referral.request': [R.COORDINATOR, R.MEMBER], // record consent, refer from one's agency, answer for it
  'referral.override': [R.COORDINATOR], // refer without a covering consent, with a reason (audited, counted)
  'hearing.read': [R.COORDINATOR, R.MEMBER, R.OBSERVER],
  'hearing.manage': [R.COORDINATOR, R.MEMBER], // schedule hearings; owners update their checklist items
} as const satisfies Record<string, readonly R[]>;

export type TaskForcePermission = keyof typeof TASK_FORCE_PERMISSIONS;

/**
 * What a platform administrator may do. Administrators run the platform; they are not on a case,
 * so they hold no case-summary section unless they are also a member of the task force.
 */
export const PLATFORM_ADMIN_PERMISSIONS = [
  'taskForce.create',
  'agency.create',
  'member.create',
  'member.disable',
  'member.list',
  'audit.readAll',
  'member.grantNationalProgramme',
  'report.closePeriod',
  // Inside every task force, for running the platform:
  'taskForce.read',
  'membership.read',
  'membership.manage',
  'audit.read',
  'serviceAccount.manage',
] as const;

export type PlatformPermission = (typeof PLATFORM_ADMIN_PERMISSIONS)[number];

/**
 * What the national programme role may do (the national agency's and the coordinating international
 * organisation's programme staff, granted by a platform administrator). It reads aggregates across
 * task forces, computed from closed-period snapshots with small counts suppressed, and nothing else:
 * outside task forces it belongs to, every task-force or case-level query answers FORBIDDEN.
 */
export const NATIONAL_PROGRAMME_PERMISSIONS = ['report.national'] as const;

export type NationalPermission = (typeof NATIONAL_PROGRAMME_PERMISSIONS)[number];

const _ = 'none' as const;
const r = 'read' as const;
const w = 'write' as const;

/**
 * Case-summary sections by agency kind (need to know). Observers get at most `read` of a cell.
 *                                   OVERVIEW INVESTIGATION PROSECUTION VICTIM_SUPPORT */
export const SECTION_ACCESS: Record<K, Record<S, SectionAccess>> = {
  [K.POLICE]: row(w, w, r, _),
  [K.ORGANISED_CRIME_PROSECUTION]: row(w, w, w, r),
  [K.PROSECUTION]: row(w, r, w, r),
  [K.COURT]: row(r, _, r, _),
  [K.BORDER_POLICE]: row(w, w, _, _),
  [K.LABOUR_INSPECTION]: row(w, r, _, _),
  [K.SOCIAL_SERVICES]: row(w, _, _, w),
  [K.VICTIM_SUPPORT_NGO]: row(w, _, _, w),
  [K.NATIONAL_AGENCY]: row(w, _, r, w),
  [K.INTERNATIONAL_ORGANISATION]: row(r, _, _, r),
  [K.OTHER]: row(r, _, _, _),
};

function row(
  overview: SectionAccess,
  investigation: SectionAccess,
  prosecution: SectionAccess,
  victimSupport: SectionAccess,
) {
  return {
    [S.OVERVIEW]: overview,
    [S.INVESTIGATION]: investigation,
    [S.PROSECUTION]: prosecution,
    [S.VICTIM_SUPPORT]: victimSupport,
  };
}

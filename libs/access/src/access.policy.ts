import { forbidden, notFound } from '@hub/core';
import {
  NATIONAL_PROGRAMME_PERMISSIONS,
  type NationalPermission,
  PLATFORM_ADMIN_PERMISSIONS,
  type PlatformPermission,
  SECTION_ACCESS,
  TASK_FORCE_PERMISSIONS,
  type TaskForcePermission,
} from './access.table';
import { type Actor, type AgencyKind, ApiScope, CaseSection, type SectionAccess, TaskForceRole } from './vocabulary';

const adminPermissions: ReadonlySet<string> = new Set(PLATFORM_ADMIN_PERMISSIONS);
const nationalPermissions: ReadonlySet<string> = new Set(NATIONAL_PROGRAMME_PERMISSIONS);

export function roleIn(actor: Actor, taskForceId: string): TaskForceRole | undefined {
  return actor.roles.get(taskForceId);
}

export function canOnPlatform(actor: Actor, permission: PlatformPermission): boolean {
  return actor.isPlatformAdmin && adminPermissions.has(permission);
}

export function can(actor: Actor, permission: TaskForcePermission, taskForceId: string): boolean {
  const role = roleIn(actor, taskForceId);
  if (role && (TASK_FORCE_PERMISSIONS[permission] as readonly TaskForceRole[]).includes(role)) return true;
  return actor.isPlatformAdmin && adminPermissions.has(permission);
}

/** A task force the actor may not even see answers NOT_FOUND, so its existence does not leak. */
export function canSeeTaskForce(actor: Actor, taskForceId: string): boolean {
  return can(actor, 'taskForce.read', taskForceId);
}

export function canNationally(actor: Actor, permission: NationalPermission): boolean {
  return actor.isNationalProgramme === true && nationalPermissions.has(permission);
}

export function assertCanNationally(actor: Actor, permission: NationalPermission): void {
  if (!canNationally(actor, permission)) {
    throw forbidden(`Only the national programme role may read the national roll-up (${permission}).`);
  }
}

/**
 * The national role knows every task force exists (the roll-up lists them), so hiding one behind
 * NOT_FOUND would protect nothing; it is told plainly that it reads aggregates only. Call it before
 * answering NOT_FOUND for a row of a task force the actor does not belong to.
 */
export function refuseAggregatesOnly(actor: Actor, taskForceId?: string | null): void {
  if (actor.isNationalProgramme && !actor.isPlatformAdmin && !(taskForceId && roleIn(actor, taskForceId))) {
    throw forbidden('The national programme role reads aggregates only: no task force data or case.');
  }
}

export function assertCan(actor: Actor, permission: TaskForcePermission, taskForceId: string): void {
  if (!canSeeTaskForce(actor, taskForceId)) {
    refuseAggregatesOnly(actor, taskForceId);
    throw notFound('The task force');
  }
  if (!can(actor, permission, taskForceId)) {
    throw forbidden(`Your role in this task force does not allow this (${permission}). Ask a coordinator.`);
  }
}

export function assertCanOnPlatform(actor: Actor, permission: PlatformPermission): void {
  if (!canOnPlatform(actor, permission)) {
    throw forbidden(`Only a platform administrator may do this (${permission}).`);
  }
}

/** Need to know: the agency kind decides the cell, an observer never writes, a non-member gets nothing. */
export function sectionAccess(actor: Actor, taskForceId: string, section: CaseSection): SectionAccess {
  const role = roleIn(actor, taskForceId);
  if (!role) return 'none';
  const cell = SECTION_ACCESS[actor.agencyKind][section];
  if (role === TaskForceRole.OBSERVER && cell === 'write') return 'read';
  return cell;
}

/**
 * Sections of one case that another agency shared with the reader's agency through referrals that
 * stand now (accepted or in service, their consent not withdrawn). Who holds which is the referrals
 * domain's to say; what it grants is said here, once, for every channel.
 */
export type SharedSections = ReadonlySet<CaseSection>;

/**
 * Need to know for one case: the table's cell, or `read` of a section a standing referral shares with
 * the actor's agency. A referral never grants writing, and only to a member of the task force.
 */
export function caseSectionAccess(
  actor: Actor,
  taskForceId: string,
  section: CaseSection,
  shared?: SharedSections,
): SectionAccess {
  const own = sectionAccess(actor, taskForceId, section);
  if (own !== 'none' || !shared?.has(section) || !roleIn(actor, taskForceId)) return own;
  return 'read';
}

/** The same rule for a live audience (everyone of one agency kind, with what is shared with their agency). */
export function audienceMayRead(kind: AgencyKind, section: CaseSection, shared?: SharedSections): boolean {
  return SECTION_ACCESS[kind][section] !== 'none' || !!shared?.has(section);
}

export function readableSections(actor: Actor, taskForceId: string, shared?: SharedSections): CaseSection[] {
  return Object.values(CaseSection).filter(
    (section) => caseSectionAccess(actor, taskForceId, section, shared) !== 'none',
  );
}

/** The task forces whose data the actor may see at all; `all` for platform administrators. */
export function visibleTaskForces(actor: Actor): 'all' | string[] {
  return actor.isPlatformAdmin ? 'all' : [...actor.roles.keys()];
}

/** A section some agency kind may not read: reading it is audited. Derived from the table, not listed. */
export function isRestrictedSection(section: CaseSection): boolean {
  return Object.values(SECTION_ACCESS).some((row) => row[section] === 'none');
}

export function writableSections(actor: Actor, taskForceId: string): CaseSection[] {
  return Object.values(CaseSection).filter((section) => sectionAccess(actor, taskForceId, section) === 'write');
}

/** The section a case-summary field belongs to: sections are themselves; header fields follow the overview. */
export function sectionOfField(field: string): CaseSection {
  return (Object.values(CaseSection) as string[]).includes(field) ? (field as CaseSection) : CaseSection.OVERVIEW;
}

const SCOPE_USE: Record<ApiScope, string> = {
  [ApiScope.READ]: 'read data (queries)',
  [ApiScope.SUBSCRIBE]: 'open live connections (subscriptions, Socket.IO)',
  [ApiScope.WRITE]: 'make changes (mutations)',
};

/** Whether the actor's credential may be used this way: a person always, a service account per its key's scopes. */
export function hasScope(actor: Actor, scope: ApiScope): boolean {
  return !actor.serviceAccount || actor.serviceAccount.scopes.has(scope);
}

export function assertScope(actor: Actor, scope: ApiScope): void {
  if (!hasScope(actor, scope))
    throw forbidden(
      `This service account may not ${SCOPE_USE[scope]}: it lacks the ${scope} scope. A coordinator can change its scopes.`,
      { scope },
    );
}

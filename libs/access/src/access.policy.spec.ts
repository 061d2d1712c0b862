import { DomainError } from '@hub/core';
import {
  assertCan,
  assertCanNationally,
  canNationally,
  refuseAggregatesOnly,
  assertScope,
  hasScope,
  assertCanOnPlatform,
  audienceMayRead,
  caseSectionAccess,
  can,
  canOnPlatform,
  canSeeTaskForce,
  readableSections,
  roleIn,
  sectionAccess,
  visibleTaskForces,
} from './access.policy';
import {
  PLATFORM_ADMIN_PERMISSIONS,
  type PlatformPermission,
  TASK_FORCE_PERMISSIONS,
  type TaskForcePermission,
} from './access.table';
import { type Actor, AgencyKind, ApiScope, CaseSection, type SectionAccess, TaskForceRole } from './vocabulary';

/*
 * The expected policy, written out independently of access.table.ts. A changed cell in the table
 * must be mirrored here, on purpose.
 */

const TF = 'tf-bucharest';
const OTHER_TF = 'tf-iasi';

const ROLES = [TaskForceRole.COORDINATOR, TaskForceRole.MEMBER, TaskForceRole.OBSERVER] as const;
const KINDS = Object.values(AgencyKind);
const SECTIONS = Object.values(CaseSection);

/** Role × task-force permission. Columns: COORDINATOR, MEMBER, OBSERVER. */
const EXPECTED_TASK_FORCE_PERMISSIONS: Record<TaskForcePermission, [boolean, boolean, boolean]> = {
  'taskForce.read': [true, true, true],
  'membership.read': [true, true, true],
  'membership.manage': [true, false, false],
  'member.createInTaskForce': [true, false, false],
  'audit.read': [true, false, false],
  'meeting.read': [true, true, true],
  'meeting.manage': [true, false, false],
  'meeting.attend': [true, true, true],
  'meeting.minutes': [true, true, false],
  'actionItem.read': [true, true, true],
  'actionItem.manage': [true, false, false],
  'actionItem.createOwn': [true, true, false],
  'actionItem.work': [true, true, false],
  'caseSummary.read': [true, true, true],
  'caseSummary.create': [true, true, false],
  'events.read': [true, true, true],
  'report.read': [true, true, true],
  'serviceAccount.manage': [true, false, false],
  'referral.read': [true, true, true],
  'referral.request': [true, true, false],
  'referral.override': [true, false, false],
  'hearing.read': [true, true, true],
  'hearing.manage': [true, true, false],
};

const EXPECTED_PLATFORM_ADMIN_PERMISSIONS: PlatformPermission[] = [
  'taskForce.create',
  'agency.create',
  'member.create',
  'member.disable',
  'member.list',
  'audit.readAll',
  'member.grantNationalProgramme',
  'report.closePeriod',
  'taskForce.read',
  'membership.read',
  'membership.manage',
  'audit.read',
  'serviceAccount.manage',
];

/** What a platform administrator who is NOT a member may do inside any task force. */
const EXPECTED_ADMIN_NON_MEMBER_IN_TASK_FORCE: Record<TaskForcePermission, boolean> = {
  'taskForce.read': true,
  'membership.read': true,
  'membership.manage': true,
  'member.createInTaskForce': false,
  'audit.read': true,
  // Administrators run the platform; they are not on cases or in meetings.
  'meeting.read': false,
  'meeting.manage': false,
  'meeting.attend': false,
  'meeting.minutes': false,
  'actionItem.read': false,
  'actionItem.manage': false,
  'actionItem.createOwn': false,
  'actionItem.work': false,
  'caseSummary.read': false,
  'caseSummary.create': false,
  'events.read': false,
  'report.read': false,
  'serviceAccount.manage': true,
  'referral.read': false,
  'referral.request': false,
  'referral.override': false,
  'hearing.read': false,
  'hearing.manage': false,
};

const N = 'none' as const;
const R = 'read' as const;
const W = 'write' as const;

/** Agency kind × case section for MEMBER and COORDINATOR. Columns: OVERVIEW, INVESTIGATION, PROSECUTION, VICTIM_SUPPORT. */
const EXPECTED_SECTION_ACCESS: Record<AgencyKind, [SectionAccess, SectionAccess, SectionAccess, SectionAccess]> = {
  [AgencyKind.POLICE]: [W, W, R, N],
  [AgencyKind.ORGANISED_CRIME_PROSECUTION]: [W, W, W, R],
  [AgencyKind.PROSECUTION]: [W, R, W, R],
  [AgencyKind.COURT]: [R, N, R, N],
  [AgencyKind.BORDER_POLICE]: [W, W, N, N],
  [AgencyKind.LABOUR_INSPECTION]: [W, R, N, N],
  [AgencyKind.SOCIAL_SERVICES]: [W, N, N, W],
  [AgencyKind.VICTIM_SUPPORT_NGO]: [W, N, N, W],
  [AgencyKind.NATIONAL_AGENCY]: [W, N, R, W],
  [AgencyKind.INTERNATIONAL_ORGANISATION]: [R, N, N, R],
  [AgencyKind.OTHER]: [R, N, N, N],
};

const SECTION_COLUMN: Record<CaseSection, number> = {
  [CaseSection.OVERVIEW]: 0,
  [CaseSection.INVESTIGATION]: 1,
  [CaseSection.PROSECUTION]: 2,
  [CaseSection.VICTIM_SUPPORT]: 3,
};

const ROLE_COLUMN: Record<TaskForceRole, number> = {
  [TaskForceRole.COORDINATOR]: 0,
  [TaskForceRole.MEMBER]: 1,
  [TaskForceRole.OBSERVER]: 2,
};

function expectedPermission(role: TaskForceRole, permission: TaskForcePermission): boolean {
  return EXPECTED_TASK_FORCE_PERMISSIONS[permission][ROLE_COLUMN[role]];
}

function expectedMemberSection(kind: AgencyKind, section: CaseSection): SectionAccess {
  return EXPECTED_SECTION_ACCESS[kind][SECTION_COLUMN[section]];
}

/** An observer never writes: write → read, everything else unchanged. */
function expectedSection(kind: AgencyKind, role: TaskForceRole, section: CaseSection): SectionAccess {
  const cell = expectedMemberSection(kind, section);
  return role === TaskForceRole.OBSERVER && cell === 'write' ? 'read' : cell;
}

function actor(
  options: {
    kind?: AgencyKind;
    admin?: boolean;
    national?: boolean;
    roles?: Array<[string, TaskForceRole]>;
  } = {},
): Actor {
  return {
    memberId: 'member-1',
    sessionId: 'session-1',
    agencyId: 'agency-1',
    agencyKind: options.kind ?? AgencyKind.POLICE,
    isPlatformAdmin: options.admin ?? false,
    isNationalProgramme: options.national ?? false,
    roles: new Map(options.roles ?? []),
    ip: '127.0.0.1',
  };
}

function thrown(fn: () => void): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}

function expectDomainError(fn: () => void, code: DomainError['code']): void {
  const error = thrown(fn);
  expect(error).toBeInstanceOf(DomainError);
  expect((error as DomainError).code).toBe(code);
}

const PERMISSIONS = Object.keys(EXPECTED_TASK_FORCE_PERMISSIONS) as TaskForcePermission[];

const permissionCells = ROLES.flatMap((role) =>
  PERMISSIONS.map((permission) => ({ role, permission, expected: expectedPermission(role, permission) })),
);

const sectionCells = (roles: readonly TaskForceRole[]) =>
  roles.flatMap((role) =>
    KINDS.flatMap((kind) =>
      SECTIONS.map((section) => ({ role, kind, section, expected: expectedSection(kind, role, section) })),
    ),
  );

describe('the expected tables cover the policy tables', () => {
  test('every permission in TASK_FORCE_PERMISSIONS has an expected row, and no more', () => {
    expect(Object.keys(EXPECTED_TASK_FORCE_PERMISSIONS).sort()).toEqual(Object.keys(TASK_FORCE_PERMISSIONS).sort());
  });

  test('PLATFORM_ADMIN_PERMISSIONS is exactly the expected list', () => {
    expect([...PLATFORM_ADMIN_PERMISSIONS].sort()).toEqual([...EXPECTED_PLATFORM_ADMIN_PERMISSIONS].sort());
  });

  test('every agency kind has an expected section row', () => {
    expect(Object.keys(EXPECTED_SECTION_ACCESS).sort()).toEqual([...KINDS].sort());
  });

  test('the task-force roles are COORDINATOR, MEMBER, OBSERVER', () => {
    expect(Object.values(TaskForceRole).sort()).toEqual([...ROLES].sort());
  });

  test('the case sections are OVERVIEW, INVESTIGATION, PROSECUTION, VICTIM_SUPPORT', () => {
    expect(Object.keys(SECTION_COLUMN).sort()).toEqual([...SECTIONS].sort());
  });
});

describe('task-force permissions by role (non-admin member)', () => {
  test.each(permissionCells)('$role / $permission → $expected', ({ role, permission, expected }) => {
    const member = actor({ roles: [[TF, role]] });
    expect(can(member, permission, TF)).toBe(expected);
  });

  test.each(permissionCells)(
    'assertCan: $role / $permission → allowed: $expected',
    ({ role, permission, expected }) => {
      const member = actor({ roles: [[TF, role]] });
      if (expected) {
        expect(() => assertCan(member, permission, TF)).not.toThrow();
      } else {
        // The member can see the task force (taskForce.read holds for every role), so it is FORBIDDEN, not NOT_FOUND.
        expectDomainError(() => assertCan(member, permission, TF), 'FORBIDDEN');
      }
    },
  );

  test.each(permissionCells)('$role of one task force has no $permission in another', ({ role, permission }) => {
    const member = actor({ roles: [[TF, role]] });
    expect(can(member, permission, OTHER_TF)).toBe(false);
  });

  test('every role may see its task force', () => {
    for (const role of ROLES) expect(canSeeTaskForce(actor({ roles: [[TF, role]] }), TF)).toBe(true);
  });

  test('a MEMBER lacking membership.manage gets FORBIDDEN with the permission in the message', () => {
    const error = thrown(() => assertCan(actor({ roles: [[TF, TaskForceRole.MEMBER]] }), 'membership.manage', TF));
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('FORBIDDEN');
    expect((error as DomainError).message).toContain('membership.manage');
  });
});

describe('case-section access by agency kind (MEMBER and COORDINATOR)', () => {
  test.each(sectionCells([TaskForceRole.MEMBER, TaskForceRole.COORDINATOR]))(
    '$role of $kind / $section → $expected',
    ({ role, kind, section, expected }) => {
      expect(sectionAccess(actor({ kind, roles: [[TF, role]] }), TF, section)).toBe(expected);
    },
  );
});

describe('observer downgrade (write → read, others unchanged)', () => {
  test.each(sectionCells([TaskForceRole.OBSERVER]))(
    'OBSERVER of $kind / $section → $expected',
    ({ kind, section, expected }) => {
      const observer = actor({ kind, roles: [[TF, TaskForceRole.OBSERVER]] });
      expect(sectionAccess(observer, TF, section)).toBe(expected);
      expect(sectionAccess(observer, TF, section)).not.toBe('write');
    },
  );

  test.each(KINDS)('an OBSERVER of %s never writes anything', (kind) => {
    const observer = actor({ kind, roles: [[TF, TaskForceRole.OBSERVER]] });
    expect(SECTIONS.map((section) => sectionAccess(observer, TF, section))).not.toContain('write');
  });
});

describe('readableSections', () => {
  const cases = ROLES.flatMap((role) =>
    KINDS.map((kind) => ({
      role,
      kind,
      expected: SECTIONS.filter((section) => expectedSection(kind, role, section) !== 'none'),
    })),
  );

  test.each(cases)('$role of $kind reads $expected', ({ role, kind, expected }) => {
    expect(readableSections(actor({ kind, roles: [[TF, role]] }), TF)).toEqual(expected);
  });

  test.each(KINDS)('a non-member of %s reads no section', (kind) => {
    expect(readableSections(actor({ kind, roles: [[OTHER_TF, TaskForceRole.COORDINATOR]] }), TF)).toEqual([]);
  });
});

describe('a non-member (not admin)', () => {
  const outsider = (kind: AgencyKind) => actor({ kind, roles: [[OTHER_TF, TaskForceRole.COORDINATOR]] });

  test.each(KINDS.flatMap((kind) => SECTIONS.map((section) => ({ kind, section }))))(
    '$kind / $section → none',
    ({ kind, section }) => {
      expect(sectionAccess(outsider(kind), TF, section)).toBe('none');
    },
  );

  test.each(PERMISSIONS)('has no %s', (permission) => {
    expect(can(outsider(AgencyKind.POLICE), permission, TF)).toBe(false);
  });

  test.each(PERMISSIONS)('assertCan %s → NOT_FOUND, not FORBIDDEN', (permission) => {
    expectDomainError(() => assertCan(outsider(AgencyKind.POLICE), permission, TF), 'NOT_FOUND');
  });

  test('cannot see the task force, and has no role in it', () => {
    expect(canSeeTaskForce(outsider(AgencyKind.POLICE), TF)).toBe(false);
    expect(roleIn(outsider(AgencyKind.POLICE), TF)).toBeUndefined();
  });

  test('a member of no task force sees none', () => {
    const nobody = actor();
    expect(visibleTaskForces(nobody)).toEqual([]);
    expect(canSeeTaskForce(nobody, TF)).toBe(false);
    expectDomainError(() => assertCan(nobody, 'taskForce.read', TF), 'NOT_FOUND');
  });
});

describe('platform permissions', () => {
  test.each(EXPECTED_PLATFORM_ADMIN_PERMISSIONS)('a platform admin has %s', (permission) => {
    const admin = actor({ admin: true });
    expect(canOnPlatform(admin, permission)).toBe(true);
    expect(() => assertCanOnPlatform(admin, permission)).not.toThrow();
  });

  test.each(EXPECTED_PLATFORM_ADMIN_PERMISSIONS)('a non-admin (even a coordinator) lacks %s', (permission) => {
    const coordinator = actor({ roles: [[TF, TaskForceRole.COORDINATOR]] });
    expect(canOnPlatform(coordinator, permission)).toBe(false);
    expectDomainError(() => assertCanOnPlatform(coordinator, permission), 'FORBIDDEN');
  });
});

describe('a platform admin who is not a member', () => {
  const admin = (kind: AgencyKind = AgencyKind.NATIONAL_AGENCY) => actor({ kind, admin: true });

  test.each(Object.entries(EXPECTED_ADMIN_NON_MEMBER_IN_TASK_FORCE) as Array<[TaskForcePermission, boolean]>)(
    'in any task force: %s → %s',
    (permission, expected) => {
      expect(can(admin(), permission, TF)).toBe(expected);
      expect(can(admin(), permission, OTHER_TF)).toBe(expected);
      if (expected) {
        expect(() => assertCan(admin(), permission, TF)).not.toThrow();
      } else {
        expectDomainError(() => assertCan(admin(), permission, TF), 'FORBIDDEN');
      }
    },
  );

  test('covers every task-force permission', () => {
    expect(Object.keys(EXPECTED_ADMIN_NON_MEMBER_IN_TASK_FORCE).sort()).toEqual(
      Object.keys(TASK_FORCE_PERMISSIONS).sort(),
    );
  });

  test('every in-task-force permission in PLATFORM_ADMIN_PERMISSIONS is granted through can()', () => {
    const taskForcePermissions = new Set<string>(Object.keys(TASK_FORCE_PERMISSIONS));
    for (const permission of PLATFORM_ADMIN_PERMISSIONS) {
      if (taskForcePermissions.has(permission)) expect(can(admin(), permission as TaskForcePermission, TF)).toBe(true);
    }
  });

  test.each([TF, OTHER_TF, 'any-id'])('sees task force %s and all task forces', (taskForceId) => {
    expect(canSeeTaskForce(admin(), taskForceId)).toBe(true);
    expect(visibleTaskForces(admin())).toBe('all');
    expect(roleIn(admin(), taskForceId)).toBeUndefined();
  });

  test.each(KINDS.flatMap((kind) => SECTIONS.map((section) => ({ kind, section }))))(
    'holds no case section: $kind / $section → none',
    ({ kind, section }) => {
      expect(sectionAccess(admin(kind), TF, section)).toBe('none');
    },
  );

  test.each(KINDS)('reads no section as %s', (kind) => {
    expect(readableSections(admin(kind), TF)).toEqual([]);
  });
});

describe('a platform admin who is also a member', () => {
  const cells = sectionCells(ROLES);

  test.each(cells)(
    '$role of $kind / $section → $expected (as a member), none elsewhere',
    ({ role, kind, section, expected }) => {
      const adminMember = actor({ kind, admin: true, roles: [[TF, role]] });
      expect(sectionAccess(adminMember, TF, section)).toBe(expected);
      expect(sectionAccess(adminMember, OTHER_TF, section)).toBe('none');
    },
  );

  test('keeps admin permissions where the role lacks them', () => {
    const adminObserver = actor({ admin: true, roles: [[TF, TaskForceRole.OBSERVER]] });
    expect(can(adminObserver, 'membership.manage', TF)).toBe(true);
    expect(can(adminObserver, 'audit.read', TF)).toBe(true);
    expect(can(adminObserver, 'member.createInTaskForce', TF)).toBe(false);
    expect(roleIn(adminObserver, TF)).toBe(TaskForceRole.OBSERVER);
    expect(visibleTaskForces(adminObserver)).toBe('all');
  });
});

describe('roleIn and visibleTaskForces', () => {
  test('roleIn answers the role per task force', () => {
    const member = actor({
      roles: [
        [TF, TaskForceRole.COORDINATOR],
        [OTHER_TF, TaskForceRole.OBSERVER],
      ],
    });
    expect(roleIn(member, TF)).toBe(TaskForceRole.COORDINATOR);
    expect(roleIn(member, OTHER_TF)).toBe(TaskForceRole.OBSERVER);
    expect(roleIn(member, 'unknown')).toBeUndefined();
  });

  test('a non-admin sees exactly the task forces it belongs to', () => {
    const member = actor({
      roles: [
        [TF, TaskForceRole.MEMBER],
        [OTHER_TF, TaskForceRole.OBSERVER],
      ],
    });
    expect(visibleTaskForces(member)).toEqual([TF, OTHER_TF]);
    expect(canSeeTaskForce(member, TF)).toBe(true);
    expect(canSeeTaskForce(member, OTHER_TF)).toBe(true);
    expect(canSeeTaskForce(member, 'unknown')).toBe(false);
  });

  test('roles in different task forces are independent', () => {
    const member = actor({
      roles: [
        [TF, TaskForceRole.COORDINATOR],
        [OTHER_TF, TaskForceRole.OBSERVER],
      ],
    });
    expect(can(member, 'membership.manage', TF)).toBe(true);
    expect(can(member, 'membership.manage', OTHER_TF)).toBe(false);
    expectDomainError(() => assertCan(member, 'membership.manage', OTHER_TF), 'FORBIDDEN');
  });
});

describe('the national programme role', () => {
  const PERMISSIONS = Object.keys(TASK_FORCE_PERMISSIONS) as TaskForcePermission[];

  test('reads the national roll-up; nobody else does', () => {
    expect(canNationally(actor({ national: true }), 'report.national')).toBe(true);
    expect(canNationally(actor({ admin: true }), 'report.national')).toBe(false);
    expect(canNationally(actor({ roles: [[TF, TaskForceRole.COORDINATOR]] }), 'report.national')).toBe(false);
    expectDomainError(() => assertCanNationally(actor({ admin: true }), 'report.national'), 'FORBIDDEN');
  });

  test.each(PERMISSIONS)('gets FORBIDDEN, not NOT_FOUND, for %s in a task force it is not in', (permission) => {
    expectDomainError(() => assertCan(actor({ national: true }), permission, TF), 'FORBIDDEN');
  });

  test('a row of a task force it is not in is refused as FORBIDDEN; its own task force is not', () => {
    expectDomainError(() => refuseAggregatesOnly(actor({ national: true }), TF), 'FORBIDDEN');
    expectDomainError(() => refuseAggregatesOnly(actor({ national: true }), null), 'FORBIDDEN');
    expect(thrown(() => refuseAggregatesOnly(actor({ national: true, roles: [[TF, TaskForceRole.MEMBER]] }), TF))).toBe(
      undefined,
    );
    expect(thrown(() => refuseAggregatesOnly(actor({}), TF))).toBe(undefined);
  });

  test('holds no section of any case', () => {
    for (const section of SECTIONS) expect(sectionAccess(actor({ national: true }), TF, section)).toBe('none');
  });
});

describe('API scopes', () => {
  const serviceAccount = (scopes: ApiScope[]) => ({
    ...actor({ roles: [[TF, TaskForceRole.MEMBER]] }),
    serviceAccount: { id: 'sa-1', scopes: new Set(scopes) },
  });
  test.each(Object.values(ApiScope))('a person may use %s', (scope) => {
    expect(hasScope(actor(), scope)).toBe(true);
    expect(() => assertScope(actor(), scope)).not.toThrow();
  });
  test.each(Object.values(ApiScope))('a service account without %s is refused it, and only it', (scope) => {
    const others = Object.values(ApiScope).filter((s) => s !== scope);
    const account = serviceAccount(others);
    expectDomainError(() => assertScope(account, scope), 'FORBIDDEN');
    for (const other of others) expect(hasScope(account, other)).toBe(true);
  });
});

describe('a standing referral shares the sections it names, of its one case (issue 18)', () => {
  const shared = new Set([CaseSection.INVESTIGATION]);

  test.each(KINDS.flatMap((kind) => SECTIONS.map((section) => ({ kind, section }))))(
    '$kind, $section: the table cell, or read when shared and the table says none; never write',
    ({ kind, section }) => {
      const member = actor({ kind, roles: [[TF, TaskForceRole.MEMBER]] });
      const own = sectionAccess(member, TF, section);
      const expected = own === 'none' && shared.has(section) ? 'read' : own;
      expect(caseSectionAccess(member, TF, section, shared)).toBe(expected);
      expect(caseSectionAccess(member, TF, section)).toBe(own);
      expect(audienceMayRead(kind, section, shared)).toBe(expected !== 'none');
    },
  );

  test('grants nothing to someone who is not a member of the task force', () => {
    const outsider = actor({ kind: AgencyKind.VICTIM_SUPPORT_NGO, roles: [[OTHER_TF, TaskForceRole.COORDINATOR]] });
    expect(caseSectionAccess(outsider, TF, CaseSection.INVESTIGATION, shared)).toBe('none');
    expect(readableSections(outsider, TF, shared)).toEqual([]);
  });

  test('readableSections adds the shared ones', () => {
    const ngo = actor({ kind: AgencyKind.VICTIM_SUPPORT_NGO, roles: [[TF, TaskForceRole.MEMBER]] });
    expect(readableSections(ngo, TF, shared)).toEqual([
      CaseSection.OVERVIEW,
      CaseSection.INVESTIGATION,
      CaseSection.VICTIM_SUPPORT,
    ]);
  });
});

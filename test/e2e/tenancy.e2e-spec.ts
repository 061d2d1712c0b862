import { AgencyKind, TaskForceRole } from '@hub/access';
import { AuditRecord } from '@hub/audit';
import { Membership } from '@hub/identity';
import { TaskForce } from '@hub/task-forces';
import { IdentityFactory } from '../factories/identity.factory';
import { startTestApp, type TestApp } from '../utils/test-app';

/**
 * A member of one task force tries everything against another with a valid token:
 * every answer is FORBIDDEN or NOT_FOUND and carries no data of the other task force.
 */
describe('task-force isolation', () => {
  let app: TestApp;
  let make: IdentityFactory;
  let mine: TaskForce;
  let theirs: TaskForce;
  let outsider: Awaited<ReturnType<IdentityFactory['signedIn']>>;
  let theirCoordinator: Awaited<ReturnType<IdentityFactory['signedIn']>>;
  let theirMember: Awaited<ReturnType<IdentityFactory['signedIn']>>;

  beforeAll(async () => {
    app = await startTestApp();
    make = new IdentityFactory(app);
    mine = await make.taskForce();
    theirs = await make.taskForce();
    outsider = await make.signedIn(mine, TaskForceRole.COORDINATOR);
    theirCoordinator = await make.signedIn(theirs, TaskForceRole.COORDINATOR);
    theirMember = await make.signedIn(theirs, TaskForceRole.MEMBER, { kind: AgencyKind.VICTIM_SUPPORT_NGO });
  });
  afterAll(() => app.close());

  const attempts: [string, string, () => Record<string, unknown>][] = [
    [
      'read the task force',
      'query($id: ID!) { taskForce(id: $id) { id code members { id } } }',
      () => ({ id: theirs.id }),
    ],
    [
      'read its audit trail',
      'query($id: ID!) { auditRecords(filter: { taskForceId: $id }) { nodes { id action } } }',
      () => ({ id: theirs.id }),
    ],
    [
      'add a membership',
      'mutation($id: ID!, $email: String!) { addMembership(input: { taskForceId: $id, email: $email, role: MEMBER }) { id } }',
      () => ({ id: theirs.id, email: outsider.member.email }),
    ],
    [
      'change a role',
      'mutation($id: ID!) { changeMembershipRole(input: { membershipId: $id, role: OBSERVER }) { id role } }',
      () => ({ id: theirMember.membership!.id }),
    ],
    [
      'remove a membership',
      'mutation($id: ID!) { removeMembership(membershipId: $id) { id } }',
      () => ({ id: theirMember.membership!.id }),
    ],
    [
      'create a member into it',
      'mutation($id: ID!, $agency: ID!) { createMember(input: { email: "intruder@test.local", displayName: "Intruder", agencyId: $agency, password: "a long enough password", taskForceId: $id }) { id } }',
      () => ({ id: theirs.id, agency: outsider.member.agency.id }),
    ],
  ];

  it.each(attempts)('a coordinator of another task force cannot %s', async (_, query, variables) => {
    const auditBefore = await app.em().count(AuditRecord, { taskForceId: theirs.id });
    const result = await app.gql.request(query, variables(), { token: outsider.token });
    expect(result.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect(result.data).toBeNull();
    expect(JSON.stringify(result)).not.toContain(theirs.code);
    // Nothing of theirs changed.
    const membership = await app.em().findOneOrFail(Membership, { id: theirMember.membership!.id });
    expect(membership.role).toBe(TaskForceRole.MEMBER);
    expect(await app.em().count(Membership, { taskForce: theirs.id })).toBe(2);
    expect(await app.em().count(AuditRecord, { taskForceId: theirs.id })).toBe(auditBefore);
  });

  it('cannot tell a task force that exists from one that does not', async () => {
    const query = 'query($id: ID!) { taskForce(id: $id) { id } }';
    const existing = await app.gql.error(query, { id: theirs.id }, { token: outsider.token });
    const missing = await app.gql.error(
      query,
      { id: '00000000-0000-4000-8000-000000000000' },
      { token: outsider.token },
    );
    expect(existing).toEqual({ ...missing, path: existing.path });
  });

  it('lists only the task forces one belongs to', async () => {
    const { taskForces } = await app.gql.data('{ taskForces { id code myRole } }', {}, { token: outsider.token });
    expect(taskForces).toEqual([{ id: mine.id, code: mine.code, myRole: 'COORDINATOR' }]);
  });

  it("shows a shared colleague's memberships only in task forces the viewer belongs to", async () => {
    const both = await make.member();
    await make.membership(mine, both, TaskForceRole.MEMBER);
    await make.membership(theirs, both, TaskForceRole.OBSERVER);
    const { taskForce } = await app.gql.data(
      'query($id: ID!) { taskForce(id: $id) { members { member { id memberships { role taskForce { id code } } } } } }',
      { id: mine.id },
      { token: outsider.token },
    );
    const shared = taskForce.members.find((m: { member: { id: string } }) => m.member.id === both.id);
    expect(shared.member.memberships).toEqual([{ role: 'MEMBER', taskForce: { id: mine.id, code: mine.code } }]);
    expect(JSON.stringify(taskForce)).not.toContain(theirs.id);
  });

  it('keeps platform operations for administrators', async () => {
    const adminOnly = [
      'mutation { createTaskForce(input: { code: "NEW", name: "New task force", region: "Region", courtOfAppeal: "Curtea de Apel X", counties: ["Dolj"] }) { id } }',
      'mutation { createAgency(input: { name: "Some agency", kind: POLICE }) { id } }',
      '{ members { id email } }',
      '{ auditRecords { nodes { id } } }',
      `mutation { disableMember(memberId: "${theirCoordinator.member.id}") { id } }`,
    ];
    for (const query of adminOnly) {
      const result = await app.gql.request(query, {}, { token: outsider.token });
      expect({ query, code: result.errors?.[0].extensions?.code }).toEqual({ query, code: 'FORBIDDEN' });
      expect(result.data).toBeNull();
    }
    expect(await app.em().count(TaskForce, { code: 'NEW' })).toBe(0);
  });

  it("refuses a plain member the coordinator's operations in their own task force", async () => {
    const queries: [string, Record<string, unknown>][] = [
      ['query($id: ID!) { auditRecords(filter: { taskForceId: $id }) { nodes { id } } }', { id: theirs.id }],
      [
        'mutation($id: ID!) { addMembership(input: { taskForceId: $id, email: "x@test.local", role: MEMBER }) { id } }',
        { id: theirs.id },
      ],
      [
        'mutation($id: ID!) { changeMembershipRole(input: { membershipId: $id, role: MEMBER }) { id } }',
        { id: theirCoordinator.membership!.id },
      ],
      ['mutation($id: ID!) { removeMembership(membershipId: $id) { id } }', { id: theirCoordinator.membership!.id }],
    ];
    for (const [query, variables] of queries) {
      const error = await app.gql.error(query, variables, { token: theirMember.token });
      expect(error.extensions?.code).toBe('FORBIDDEN');
    }
    expect((await app.em().findOneOrFail(Membership, { id: theirCoordinator.membership!.id })).role).toBe(
      TaskForceRole.COORDINATOR,
    );
  });

  it('takes effect on the next request when a membership is removed', async () => {
    const leaving = await make.signedIn(theirs, TaskForceRole.MEMBER);
    const query = 'query($id: ID!) { taskForce(id: $id) { code } }';
    expect((await app.gql.data(query, { id: theirs.id }, { token: leaving.token })).taskForce.code).toBe(theirs.code);
    await app.gql.data(
      'mutation($id: ID!) { removeMembership(membershipId: $id) { id } }',
      { id: leaving.membership!.id },
      { token: theirCoordinator.token },
    );
    expect((await app.gql.error(query, { id: theirs.id }, { token: leaving.token })).extensions?.code).toBe(
      'NOT_FOUND',
    );
  });
});

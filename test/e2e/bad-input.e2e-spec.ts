import { TaskForceRole } from '@hub/access';
import { ENTITIES } from '@hub/database';
import { Membership } from '@hub/identity';
import { type TaskForce } from '@hub/task-forces';
import { IdentityFactory } from '../factories/identity.factory';
import { startTestApp, type TestApp } from '../utils/test-app';

/**
 * Every mutation with bad input: BAD_USER_INPUT naming the field, a sentence a person can act on,
 * no stack trace or SQL, and not one row written anywhere.
 */
describe('bad input on every mutation', () => {
  let app: TestApp;
  let make: IdentityFactory;
  let adminToken: string;
  let taskForce: TaskForce;
  let membership: Membership;
  let agencyId: string;

  beforeAll(async () => {
    app = await startTestApp();
    make = new IdentityFactory(app);
    adminToken = (await make.signedIn(null, TaskForceRole.MEMBER, { admin: true })).token;
    taskForce = await make.taskForce();
    const coordinator = await make.signedIn(taskForce, TaskForceRole.COORDINATOR);
    membership = coordinator.membership!;
    agencyId = coordinator.member.agency.id;
  });
  afterAll(() => app.close());

  const rowCounts = async () => {
    const em = app.em();
    return Object.fromEntries(
      await Promise.all(ENTITIES.map(async (entity) => [entity.name, await em.count(entity, {})])),
    );
  };

  const taskForceInput = {
    code: 'NEW',
    name: 'New task force',
    region: 'Region',
    courtOfAppeal: 'Curtea de Apel',
    counties: ['Dolj'],
  };
  const memberInput = () => ({
    email: 'new@test.local',
    displayName: 'New Member',
    agencyId,
    password: 'a long enough password',
  });

  const cases: [string, string, () => Record<string, unknown>, string][] = [
    [
      'login: empty email',
      'mutation($e: String!) { login(email: $e, password: "x") { accessToken } }',
      () => ({ e: '' }),
      'email',
    ],
    [
      'login: huge password',
      'mutation($p: String!) { login(email: "a@b.c", password: $p) { accessToken } }',
      () => ({ p: 'x'.repeat(10_000) }),
      'password',
    ],
    [
      'refreshToken: huge token',
      'mutation($t: String!) { refreshToken(token: $t) { accessToken } }',
      () => ({ t: 'x'.repeat(10_000) }),
      'token',
    ],
    [
      'createTaskForce: bad code',
      'mutation($i: CreateTaskForceInput!) { createTaskForce(input: $i) { id } }',
      () => ({ i: { ...taskForceInput, code: 'no spaces allowed' } }),
      'code',
    ],
    [
      'createTaskForce: empty name',
      'mutation($i: CreateTaskForceInput!) { createTaskForce(input: $i) { id } }',
      () => ({ i: { ...taskForceInput, name: '' } }),
      'name',
    ],
    [
      'createTaskForce: no counties',
      'mutation($i: CreateTaskForceInput!) { createTaskForce(input: $i) { id } }',
      () => ({ i: { ...taskForceInput, counties: [] } }),
      'counties',
    ],
    [
      'createTaskForce: long region',
      'mutation($i: CreateTaskForceInput!) { createTaskForce(input: $i) { id } }',
      () => ({ i: { ...taskForceInput, region: 'r'.repeat(500) } }),
      'region',
    ],
    [
      'createAgency: short name',
      'mutation { createAgency(input: { name: "x", kind: POLICE }) { id } }',
      () => ({}),
      'name',
    ],
    [
      'createMember: bad email',
      'mutation($i: CreateMemberInput!) { createMember(input: $i) { id } }',
      () => ({ i: { ...memberInput(), email: 'not-an-email' } }),
      'email',
    ],
    [
      'createMember: short password',
      'mutation($i: CreateMemberInput!) { createMember(input: $i) { id } }',
      () => ({ i: { ...memberInput(), password: 'short' } }),
      'password',
    ],
    [
      'createMember: agency id not a UUID',
      'mutation($i: CreateMemberInput!) { createMember(input: $i) { id } }',
      () => ({ i: { ...memberInput(), agencyId: "1' or '1'='1" } }),
      'agencyId',
    ],
    [
      'createMember: unknown agency',
      'mutation($i: CreateMemberInput!) { createMember(input: $i) { id } }',
      () => ({ i: { ...memberInput(), agencyId: '00000000-0000-4000-8000-000000000000' } }),
      'agencyId',
    ],
    [
      'createMember: role without task force',
      'mutation($i: CreateMemberInput!) { createMember(input: $i) { id } }',
      () => ({ i: { ...memberInput(), role: 'COORDINATOR' } }),
      'role',
    ],
    [
      'createMember: empty display name',
      'mutation($i: CreateMemberInput!) { createMember(input: $i) { id } }',
      () => ({ i: { ...memberInput(), displayName: '' } }),
      'displayName',
    ],
    ['disableMember: not a UUID', 'mutation { disableMember(memberId: "42") { id } }', () => ({}), 'memberId'],
    [
      'addMembership: bad email',
      'mutation($id: ID!) { addMembership(input: { taskForceId: $id, email: "nope", role: MEMBER }) { id } }',
      () => ({ id: taskForce.id }),
      'email',
    ],
    [
      'addMembership: unknown email',
      'mutation($id: ID!) { addMembership(input: { taskForceId: $id, email: "ghost@test.local", role: MEMBER }) { id } }',
      () => ({ id: taskForce.id }),
      'email',
    ],
    [
      'addMembership: task force not a UUID',
      'mutation { addMembership(input: { taskForceId: "BUC", email: "a@b.ro", role: MEMBER }) { id } }',
      () => ({}),
      'taskForceId',
    ],
    [
      'changeMembershipRole: not a UUID',
      'mutation { changeMembershipRole(input: { membershipId: "x", role: MEMBER }) { id } }',
      () => ({}),
      'membershipId',
    ],
    [
      'removeMembership: not a UUID',
      'mutation { removeMembership(membershipId: "x") { id } }',
      () => ({}),
      'membershipId',
    ],
  ];

  it.each(cases)('%s', async (_, query, variables, field) => {
    const before = await rowCounts();
    const result = await app.gql.request(query, variables(), { token: adminToken });
    const error = result.errors?.[0];
    expect(error?.extensions).toEqual({ code: 'BAD_USER_INPUT', field });
    expect(error?.message).toMatch(/^[A-Z"a-z].{10,}[.)]$/);
    expect(JSON.stringify(result)).not.toMatch(/stack|sql|select |insert |at .*\.ts:/i);
    expect(result.data).toBeNull();
    expect(await rowCounts()).toEqual(before);
  });

  it('answers a value of the wrong GraphQL type with BAD_USER_INPUT and no data', async () => {
    const result = await app.gql.request(
      'mutation($i: CreateAgencyInput!) { createAgency(input: $i) { id } }',
      { i: { name: 'Agency', kind: 'SPY_AGENCY' } },
      { token: adminToken },
    );
    expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0].message).toContain('kind');
  });

  it('leaves the membership untouched after a refused change', async () => {
    await app.gql.request(
      'mutation($id: ID!) { changeMembershipRole(input: { membershipId: $id, role: CAPTAIN }) { id } }',
      { id: membership.id },
      { token: adminToken },
    );
    expect((await app.em().findOneOrFail(Membership, { id: membership.id })).role).toBe(TaskForceRole.COORDINATOR);
  });
});

import { TaskForceRole } from '@hub/access';
import { AuditRecord } from '@hub/audit';
import { AuthSession, Member, RefreshToken } from '@hub/identity';
import { IdentityFactory, LOGIN, login, PASSWORD, refreshTokenHash, spentAgo } from '../factories/identity.factory';
import { startTestApp, type TestApp } from '../utils/test-app';

const ME = '{ me { id email memberships { role taskForce { id code } } } }';
const REFRESH = 'mutation($token: String!) { refreshToken(token: $token) { accessToken refreshToken expiresAt } }';
const LOGOUT = 'mutation { logout }';
const DISABLE = 'mutation($id: ID!) { disableMember(memberId: $id) { id disabledAt } }';

describe('authentication', () => {
  let app: TestApp;
  let make: IdentityFactory;

  beforeAll(async () => {
    app = await startTestApp();
    make = new IdentityFactory(app);
  });
  afterAll(() => app.close());

  it('signs in with email and password and answers `me` with memberships', async () => {
    const taskForce = await make.taskForce();
    const member = await make.member();
    await make.membership(taskForce, member, TaskForceRole.COORDINATOR);
    const tokens = await login(app, member.email.toUpperCase()); // email is case-insensitive
    expect(tokens.accessToken.split('.')).toHaveLength(3);
    const expiresIn = new Date(tokens.expiresAt).getTime() - Date.now();
    expect(expiresIn).toBeGreaterThan(14 * 60_000);
    expect(expiresIn).toBeLessThanOrEqual(15 * 60_000);
    const { me } = await app.gql.data(ME, {}, { token: tokens.accessToken });
    expect(me).toEqual({
      id: member.id,
      email: member.email,
      memberships: [{ role: 'COORDINATOR', taskForce: { id: taskForce.id, code: taskForce.code } }],
    });
  });

  it('gives the same answer for an unknown email and a wrong password, and audits both', async () => {
    const member = await make.member();
    const wrongPassword = await app.gql.error(LOGIN, { email: member.email, password: 'not the password' });
    const unknownEmail = await app.gql.error(LOGIN, { email: 'nobody@test.local', password: PASSWORD });
    expect(wrongPassword).toMatchObject({
      message: 'The email or password is incorrect.',
      extensions: { code: 'UNAUTHENTICATED' },
    });
    expect(unknownEmail.message).toBe(wrongPassword.message);
    expect(unknownEmail.extensions).toEqual(wrongPassword.extensions);
    const failures = await app.em().find(AuditRecord, { action: 'auth.login.failed' });
    expect(failures.map((r) => r.details?.reason)).toEqual(expect.arrayContaining(['wrong-password', 'unknown-email']));
    expect(failures.find((r) => r.details?.reason === 'wrong-password')).toMatchObject({
      actorId: member.id,
      subjectId: member.id,
      ip: '127.0.0.1',
    });
    // The append-only trail keeps nothing of what was typed for an account that does not exist.
    const unknown = failures.find((r) => r.details?.reason === 'unknown-email');
    expect(unknown).toMatchObject({ actorId: null, subjectId: null });
    expect(JSON.stringify(failures)).not.toContain('nobody@test.local');
    expect(JSON.stringify(failures)).not.toContain(member.email);
  });

  it('refuses requests without a token, with a malformed one, or with one signed by another key', async () => {
    expect((await app.gql.error(ME)).extensions?.code).toBe('UNAUTHENTICATED');
    expect((await app.gql.error(ME, {}, { token: 'not-a-jwt' })).extensions?.code).toBe('UNAUTHENTICATED');
    const forged =
      'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ4Iiwic2lkIjoieSIsImV4cCI6NDEwMjQ0NDgwMH0.3vRZ0hQ5k0c8j2mWQe5fC0m1sC6lJz9oJX8Qk6n2b2A';
    expect((await app.gql.error(ME, {}, { token: forged })).extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('rotates refresh tokens: each is single use and returns a working pair', async () => {
    const member = await make.member();
    const first = await login(app, member.email);
    const { refreshToken: second } = await app.gql.data(REFRESH, { token: first.refreshToken });
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect((await app.gql.data(ME, {}, { token: second.accessToken })).me.id).toBe(member.id);
    const { refreshToken: third } = await app.gql.data(REFRESH, { token: second.refreshToken });
    expect((await app.gql.data(ME, {}, { token: third.accessToken })).me.id).toBe(member.id);
    // Refresh tokens are stored only as hashes.
    const stored = await app.em().getConnection().execute('select token_hash from refresh_token');
    expect(stored.map((row: { token_hash: string }) => row.token_hash)).not.toContain(third.refreshToken);
  });

  it('answers a spent refresh token presented again within seconds (a lost answer) with a new pair, and retires the lost one', async () => {
    const member = await make.member();
    const first = await login(app, member.email);
    // The answer to this refresh never reaches the client: it still holds the first token.
    const { refreshToken: lost } = await app.gql.data(REFRESH, { token: first.refreshToken });
    await spentAgo(app, first.refreshToken, 20_000);
    const { refreshToken: retried } = await app.gql.data(REFRESH, { token: first.refreshToken });
    expect((await app.gql.data(ME, {}, { token: retried.accessToken })).me.id).toBe(member.id);
    const { refreshToken: next } = await app.gql.data(REFRESH, { token: retried.refreshToken });
    expect((await app.gql.data(ME, {}, { token: next.accessToken })).me.id).toBe(member.id);
    expect((await app.em().findOneOrFail(AuthSession, { member: member.id })).revokedAt ?? null).toBeNull();
    expect(await app.em().count(AuditRecord, { action: 'auth.refreshRetried', actorId: member.id })).toBe(1);
    expect(await app.em().count(AuditRecord, { action: 'auth.refreshReused', actorId: member.id })).toBe(0);
    // Had someone received the "lost" answer after all (the first use was a thief's), presenting its token
    // is reuse: the session ends for everyone holding it.
    expect((await app.gql.error(REFRESH, { token: lost.refreshToken })).extensions?.code).toBe('UNAUTHENTICATED');
    expect((await app.gql.error(ME, {}, { token: next.accessToken })).extensions?.code).toBe('UNAUTHENTICATED');
    const session = await app.em().findOneOrFail(AuthSession, { member: member.id });
    expect(session.revokedReason).toBe('refresh-reuse');
  });

  it('revokes the whole token family when a spent refresh token is presented again', async () => {
    const member = await make.member();
    const first = await login(app, member.email);
    const { refreshToken: second } = await app.gql.data(REFRESH, { token: first.refreshToken });
    await spentAgo(app, first.refreshToken, 31_000);
    // An attacker replays the first token, later than a client retrying would: refused, and the session ends.
    const replay = await app.gql.error(REFRESH, { token: first.refreshToken });
    expect(replay.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await app.gql.error(REFRESH, { token: second.refreshToken })).extensions?.code).toBe('UNAUTHENTICATED');
    expect((await app.gql.error(ME, {}, { token: second.accessToken })).extensions?.code).toBe('UNAUTHENTICATED');
    const session = await app.em().findOneOrFail(AuthSession, { member: member.id });
    expect(session.revokedReason).toBe('refresh-reuse');
    expect(await app.em().count(AuditRecord, { action: 'auth.refreshReused', actorId: member.id })).toBe(1);
    // Another login of the same member is a separate family and still works.
    const other = await login(app, member.email);
    expect((await app.gql.data(ME, {}, { token: other.accessToken })).me.id).toBe(member.id);
  });

  it('leaves one working refresh token after two concurrent uses of the same one, in a session still open', async () => {
    const member = await make.member();
    const { refreshToken } = await login(app, member.email);
    const results = await Promise.all([
      app.gql.request(REFRESH, { token: refreshToken }),
      app.gql.request(REFRESH, { token: refreshToken }),
    ]);
    // The later one is a retry within seconds: it is answered too, and the earlier answer's token retired.
    const answered = results.map((r) => r.data?.refreshToken?.refreshToken).filter((t): t is string => !!t);
    expect(answered).toHaveLength(2);
    const session = await app.em().findOneOrFail(AuthSession, { member: member.id });
    expect(session.revokedAt ?? null).toBeNull();
    const live = await app.em().find(RefreshToken, { session: session.id, usedAt: null });
    expect(live).toHaveLength(1);
    expect(answered.map(refreshTokenHash)).toContain(live[0].tokenHash);
  });

  it('logs out: the access token and the refresh token of that session stop working', async () => {
    const member = await make.member();
    const session = await login(app, member.email);
    const otherDevice = await login(app, member.email);
    expect((await app.gql.data(LOGOUT, {}, { token: session.accessToken })).logout).toBe(true);
    expect((await app.gql.error(ME, {}, { token: session.accessToken })).extensions?.code).toBe('UNAUTHENTICATED');
    expect((await app.gql.error(REFRESH, { token: session.refreshToken })).extensions?.code).toBe('UNAUTHENTICATED');
    expect((await app.gql.data(ME, {}, { token: otherDevice.accessToken })).me.id).toBe(member.id);
    expect(await app.em().count(AuditRecord, { action: 'auth.logout', actorId: member.id })).toBe(1);
  });

  it('ends every session of a disabled member at once', async () => {
    const admin = await make.signedIn(null, TaskForceRole.MEMBER, { admin: true });
    const victim = await make.member();
    const laptop = await login(app, victim.email);
    const phone = await login(app, victim.email);
    const { disableMember } = await app.gql.data(DISABLE, { id: victim.id }, { token: admin.token });
    expect(disableMember.disabledAt).toBeTruthy();
    for (const tokens of [laptop, phone]) {
      expect((await app.gql.error(ME, {}, { token: tokens.accessToken })).extensions?.code).toBe('UNAUTHENTICATED');
      expect((await app.gql.error(REFRESH, { token: tokens.refreshToken })).extensions?.code).toBe('UNAUTHENTICATED');
    }
    expect((await app.gql.error(LOGIN, { email: victim.email, password: PASSWORD })).message).toBe(
      'The email or password is incorrect.',
    );
    const record = await app.em().findOneOrFail(AuditRecord, { action: 'member.disabled', subjectId: victim.id });
    expect(record).toMatchObject({ actorId: admin.member.id, details: { sessionsRevoked: 2 } });
    expect((await app.em().findOneOrFail(Member, { id: victim.id })).disabledAt).toBeInstanceOf(Date);
  });

  it('does not let anyone but an administrator disable a member, nor an administrator disable themselves', async () => {
    const taskForce = await make.taskForce();
    const coordinator = await make.signedIn(taskForce, TaskForceRole.COORDINATOR);
    const target = await make.member();
    expect((await app.gql.error(DISABLE, { id: target.id }, { token: coordinator.token })).extensions?.code).toBe(
      'FORBIDDEN',
    );
    const admin = await make.signedIn(null, TaskForceRole.MEMBER, { admin: true });
    expect((await app.gql.error(DISABLE, { id: admin.member.id }, { token: admin.token })).extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'memberId',
    });
    expect((await app.em().findOneOrFail(Member, { id: target.id })).disabledAt).toBeNull();
  });
});

describe('a refresh retried after its answer was lost', () => {
  let app: TestApp;
  let strict: TestApp;
  let make: IdentityFactory;

  beforeAll(async () => {
    // Behind one proxy hop, so X-Forwarded-For decides the client address as in production.
    [app, strict] = await Promise.all([
      startTestApp({ TRUST_PROXY: '1' }),
      startTestApp({ TRUST_PROXY: '1', REFRESH_RETRY_SECONDS: '0' }),
    ]);
    make = new IdentityFactory(app);
  });
  afterAll(() => Promise.all([app.close(), strict.close()]));

  const refresh = (on: TestApp, token: string, address = '198.51.100.7') =>
    on.gql.request(REFRESH, { token }, { headers: { 'x-forwarded-for': address } });
  const sessionOf = async (on: TestApp, memberId: string) => on.em().findOneOrFail(AuthSession, { member: memberId });
  const liveTokens = async (on: TestApp, sessionId: string) =>
    on.em().count(RefreshToken, { session: sessionId, usedAt: null });

  it('is reuse when it comes from another address: the session ends', async () => {
    const member = await make.member();
    const first = await login(app, member.email);
    expect((await refresh(app, first.refreshToken)).data?.refreshToken).toBeTruthy();
    const replay = await refresh(app, first.refreshToken, '203.0.113.9');
    expect(replay.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await sessionOf(app, member.id)).revokedReason).toBe('refresh-reuse');
  });

  it('is reuse once the token that replaced it has been used (the answer did arrive)', async () => {
    const member = await make.member();
    const first = await login(app, member.email);
    const second = (await refresh(app, first.refreshToken)).data!.refreshToken as { refreshToken: string };
    expect((await refresh(app, second.refreshToken)).data?.refreshToken).toBeTruthy();
    expect((await refresh(app, first.refreshToken)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await sessionOf(app, member.id)).revokedReason).toBe('refresh-reuse');
  });

  it('takes an IPv4 address and its IPv6-mapped form for the same client', async () => {
    const member = await make.member();
    const first = await login(app, member.email);
    expect((await refresh(app, first.refreshToken, '198.51.100.8')).data?.refreshToken).toBeTruthy();
    expect((await refresh(app, first.refreshToken, '::ffff:198.51.100.8')).data?.refreshToken).toBeTruthy();
    expect((await sessionOf(app, member.id)).revokedAt ?? null).toBeNull();
  });

  it('leaves one live refresh token when two retries run at once', async () => {
    const member = await make.member();
    const first = await login(app, member.email);
    expect((await refresh(app, first.refreshToken)).data?.refreshToken).toBeTruthy();
    const retries = await Promise.all([refresh(app, first.refreshToken), refresh(app, first.refreshToken)]);
    expect(retries.filter((r) => r.data?.refreshToken)).toHaveLength(2);
    const session = await sessionOf(app, member.id);
    expect(session.revokedAt ?? null).toBeNull();
    expect(await liveTokens(app, session.id)).toBe(1);
  });

  it('gets nothing in a session that has ended since', async () => {
    const member = await make.member();
    const first = await login(app, member.email);
    const second = (await refresh(app, first.refreshToken)).data!.refreshToken as { accessToken: string };
    expect((await app.gql.data(LOGOUT, {}, { token: second.accessToken })).logout).toBe(true);
    expect((await refresh(app, first.refreshToken)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(await liveTokens(app, (await sessionOf(app, member.id)).id)).toBe(1);
    expect((await sessionOf(app, member.id)).revokedReason).toBe('logout');
  });

  it('is reuse at once with REFRESH_RETRY_SECONDS=0', async () => {
    const member = await new IdentityFactory(strict).member();
    const first = await login(strict, member.email);
    expect((await refresh(strict, first.refreshToken)).data?.refreshToken).toBeTruthy();
    expect((await refresh(strict, first.refreshToken)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await sessionOf(strict, member.id)).revokedReason).toBe('refresh-reuse');
  });
});

describe('sign-in rate limits', () => {
  let app: TestApp;
  let make: IdentityFactory;

  beforeAll(async () => {
    // Behind one proxy hop, so X-Forwarded-For decides the client address as in production.
    app = await startTestApp({ LOGIN_RATE_LIMIT: '3', LOGIN_RATE_WINDOW_SECONDS: '60', TRUST_PROXY: '1' });
    make = new IdentityFactory(app);
  });
  afterAll(() => app.close());

  const attempt = (email: string, address: string, password = 'wrong password') =>
    app.gql.request(LOGIN, { email, password }, { headers: { 'x-forwarded-for': address } });

  it('limits attempts per account, even from many addresses', async () => {
    const member = await make.member();
    for (let i = 1; i <= 3; i++)
      expect((await attempt(member.email, `10.0.0.${i}`)).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    const limited = await attempt(member.email, '10.0.0.99', PASSWORD);
    expect(limited.errors?.[0]).toMatchObject({ extensions: { code: 'RATE_LIMITED' } });
    expect(limited.errors?.[0].message).toMatch(/Too many sign-in attempts. Wait \d+ seconds/);
    expect(limited.data).toBeNull();
  });

  it('limits attempts per address, across accounts', async () => {
    for (let i = 1; i <= 3; i++)
      expect((await attempt(`guess${i}@test.local`, '10.1.1.1')).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect((await attempt('guess4@test.local', '10.1.1.1')).errors?.[0].extensions?.code).toBe('RATE_LIMITED');
    // Another address and another account are not affected.
    const member = await make.member();
    expect((await attempt(member.email, '10.2.2.2', PASSWORD)).data?.login.accessToken).toBeTruthy();
  });
});

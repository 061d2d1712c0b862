import { type Actor, AgencyKind, ApiScope, TaskForceRole } from '@hub/access';
import { DomainEvent } from '@hub/events';
import { AuthSession, Membership } from '@hub/identity';
import { ApiKey, ApiKeysAuthenticator, ServiceAccountsService } from '@hub/service-accounts';
import { type TaskForce } from '@hub/task-forces';
import { IdentityFactory } from '../factories/identity.factory';
import { type ServiceApp, startServiceApp } from '../utils/service-app';

/** The rules of service accounts and their keys, on the services directly (no HTTP). */
describe('ServiceAccountsService', () => {
  let app: ServiceApp;
  let accounts: ServiceAccountsService;
  let keys: ApiKeysAuthenticator;
  let taskForce: TaskForce;
  let coordinator: Actor;
  let member: Actor;
  let outsider: Actor;
  let admin: Actor;
  let ngoAgencyId: string;

  beforeAll(async () => {
    app = await startServiceApp();
    accounts = app.get(ServiceAccountsService);
    keys = app.get(ApiKeysAuthenticator);
    const identity = new IdentityFactory(app);
    taskForce = await identity.taskForce();
    const other = await identity.taskForce();
    const person = async (tf: TaskForce | null, role: TaskForceRole, options: { admin?: boolean } = {}) => {
      const m = await identity.member({ kind: AgencyKind.POLICE, ...options });
      if (tf) await identity.membership(tf, m, role);
      return app.actor(m);
    };
    coordinator = await person(taskForce, TaskForceRole.COORDINATOR);
    member = await person(taskForce, TaskForceRole.MEMBER);
    outsider = await person(other, TaskForceRole.COORDINATOR);
    admin = await person(null, TaskForceRole.MEMBER, { admin: true });
    ngoAgencyId = (await identity.agency(AgencyKind.VICTIM_SUPPORT_NGO)).id;
  });
  afterAll(() => app?.close());

  const create = (actor: Actor, scopes?: ApiScope[]) =>
    accounts.create(actor, { taskForceId: taskForce.id, name: 'Case system', agencyId: ngoAgencyId, scopes });

  it('coordinators of the task force and administrators create accounts; members and outsiders cannot', async () => {
    const byCoordinator = await create(coordinator);
    expect(byCoordinator.scopes).toEqual([ApiScope.READ, ApiScope.SUBSCRIBE]);
    expect(await app.em().count(Membership, { member: byCoordinator.member.id, role: TaskForceRole.MEMBER })).toBe(1);
    expect((await create(admin, [ApiScope.WRITE, ApiScope.READ, ApiScope.WRITE])).scopes).toEqual([
      ApiScope.READ,
      ApiScope.WRITE,
    ]);
    await expect(create(member)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(create(outsider)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('a key acts as the agency it was made for, with its scopes and expiry', async () => {
    const account = await create(coordinator, [ApiScope.READ]);
    const expiresAt = new Date(Date.now() + 3_600_000);
    const { secret } = await accounts.createKey(coordinator, account.id, expiresAt);
    const actor = await keys.authenticate(secret, '127.0.0.1');
    expect(actor).toMatchObject({
      memberId: account.member.id,
      agencyId: ngoAgencyId,
      agencyKind: AgencyKind.VICTIM_SUPPORT_NGO,
      isPlatformAdmin: false,
      tokenExpiresAt: expiresAt.getTime(),
      serviceAccount: { id: account.id },
    });
    expect([...(actor.serviceAccount?.scopes ?? [])]).toEqual([ApiScope.READ]);
    expect(actor.roles.get(taskForce.id)).toBe(TaskForceRole.MEMBER);
    await expect(keys.authenticate(`${secret}x`, null)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(accounts.createKey(coordinator, account.id, new Date(Date.now() - 1000))).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
    });
  });

  it('a rotated key works for its grace period; the sweep then ends its session and announces it', async () => {
    const account = await create(coordinator);
    const old = await accounts.createKey(coordinator, account.id);
    const next = await accounts.rotateKey(coordinator, old.key.id, 60);
    const stored = await app.em().findOneOrFail(ApiKey, { id: old.key.id });
    expect(stored.expiresAt?.getTime()).toBeGreaterThan(Date.now() + 50_000);
    await keys.authenticate(old.secret, null);
    await keys.authenticate(next.secret, null);

    const eventsBefore = await app.em().count(DomainEvent, { type: 'session.revoked' });
    expect(await accounts.expireDue(new Date(Date.now() + 61_000))).toBe(1);
    expect(await accounts.expireDue(new Date(Date.now() + 61_000))).toBe(0);
    const session = await app.em().findOneOrFail(AuthSession, { id: stored.session.id });
    expect(session.revokedReason).toBe('api-key-expired');
    expect(await app.em().count(DomainEvent, { type: 'session.revoked' })).toBe(eventsBefore + 1);
    await keys.authenticate(next.secret, null);
  });

  it('revoking is idempotent, and a revoked key cannot be rotated; a disabled account gets no keys', async () => {
    const account = await create(coordinator);
    const { key, secret } = await accounts.createKey(coordinator, account.id);
    await accounts.revokeKey(coordinator, key.id);
    const again = await accounts.revokeKey(coordinator, key.id);
    expect(again.revokedAt).toBeTruthy();
    await expect(keys.authenticate(secret, null)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(accounts.rotateKey(coordinator, key.id)).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(accounts.revokeKey(outsider, key.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });

    await accounts.disable(coordinator, account.id);
    await expect(accounts.createKey(coordinator, account.id)).rejects.toMatchObject({ code: 'CONFLICT' });
  });
});

import { type EntityManager } from '@mikro-orm/core';
import { AgencyKind, TaskForceRole } from '@hub/access';
import { Agency, Member, Membership, PasswordHasher, RefreshToken } from '@hub/identity';
import { TaskForce } from '@hub/task-forces';
import { createHash, randomBytes } from 'node:crypto';
import { type ServiceApp } from '../utils/service-app';
import { type TestApp } from '../utils/test-app';

export const PASSWORD = 'correct horse battery staple';
let passwordHash: Promise<string> | undefined;
const unique = () => randomBytes(4).toString('hex');

/**
 * Rows straight into the database, so a suite sets up a world without going through the API it tests.
 * Works on the HTTP test app and on the service tier's app (which has no API to sign in through).
 */
export class IdentityFactory {
  constructor(private readonly app: TestApp | ServiceApp) {}

  private em(): EntityManager {
    return this.app.em();
  }

  async agency(kind: AgencyKind = AgencyKind.POLICE, name = `${kind} ${unique()}`): Promise<Agency> {
    const em = this.em();
    const agency = em.create(Agency, { name, kind });
    await em.flush();
    return agency;
  }

  async member(options: { kind?: AgencyKind; admin?: boolean; email?: string; agency?: Agency } = {}): Promise<Member> {
    passwordHash ??= new PasswordHasher().hash(PASSWORD);
    const agency = options.agency ?? (await this.agency(options.kind));
    const em = this.em();
    const member = em.create(Member, {
      email: options.email ?? `m-${unique()}@test.local`,
      displayName: `Member ${unique()}`,
      agency: em.getReference(Agency, agency.id),
      passwordHash: await passwordHash,
      isPlatformAdmin: options.admin ?? false,
    });
    await em.flush();
    return member;
  }

  async taskForce(code = `T${unique().toUpperCase()}`): Promise<TaskForce> {
    const em = this.em();
    const taskForce = em.create(TaskForce, {
      code,
      name: `Task force ${code}`,
      region: 'Test region',
      courtOfAppeal: 'Curtea de Apel Test',
      counties: ['Test'],
    });
    await em.flush();
    return taskForce;
  }

  async membership(taskForce: TaskForce, member: Member, role: TaskForceRole): Promise<Membership> {
    const em = this.em();
    const membership = em.create(Membership, {
      taskForce: em.getReference(TaskForce, taskForce.id),
      member: em.getReference(Member, member.id),
      role,
    });
    await em.flush();
    return membership;
  }

  /** A member with a role in a task force, signed in. */
  async signedIn(
    taskForce: TaskForce | null,
    role: TaskForceRole = TaskForceRole.MEMBER,
    options: { kind?: AgencyKind; admin?: boolean } = {},
  ) {
    const member = await this.member(options);
    const membership = taskForce ? await this.membership(taskForce, member, role) : undefined;
    if (!('gql' in this.app)) throw new Error('signedIn needs the HTTP test app; service specs use ServiceApp.actor');
    const tokens = await login(this.app, member.email);
    return { member, membership, token: tokens.accessToken, refreshToken: tokens.refreshToken };
  }
}

export const LOGIN = `mutation Login($email: String!, $password: String!) {
  login(email: $email, password: $password) { accessToken refreshToken expiresAt }
}`;

/** How the hub stores a refresh token: its SHA-256, hex. */
export function refreshTokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * Moves a spent refresh token's use `ms` into the past, as if that long had gone by. By default a minute:
 * presenting it again is then reuse, later than a client retrying a lost answer would (REFRESH_RETRY_SECONDS, 30 s).
 */
export async function spentAgo(app: TestApp, token: string, ms = 60_000): Promise<void> {
  await app
    .em()
    .nativeUpdate(RefreshToken, { tokenHash: refreshTokenHash(token) }, { usedAt: new Date(Date.now() - ms) });
}

export async function login(app: TestApp, email: string, password = PASSWORD) {
  const data = await app.gql.data<{ login: { accessToken: string; refreshToken: string; expiresAt: string } }>(LOGIN, {
    email,
    password,
  });
  return data.login;
}

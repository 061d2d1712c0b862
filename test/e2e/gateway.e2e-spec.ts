import { TaskForceRole } from '@hub/access';
import { type Socket } from 'socket.io-client';
import { IdentityFactory, login } from '../factories/identity.factory';
import { connectSocket } from '../utils/socket-client';
import { startTestApp, type TestApp } from '../utils/test-app';

describe('Socket.IO gateway: authenticated connections only', () => {
  let app: TestApp;
  let make: IdentityFactory;
  const open: Socket[] = [];

  beforeAll(async () => {
    app = await startTestApp();
    make = new IdentityFactory(app);
  });
  afterAll(async () => {
    open.forEach((socket) => socket.close());
    await app.close();
  });

  it('accepts a valid access token from the handshake', async () => {
    const { token } = await make.signedIn(await make.taskForce(), TaskForceRole.MEMBER);
    const socket = await connectSocket(app.url, token);
    open.push(socket);
    expect(socket.connected).toBe(true);
  });

  it.each([
    ['no token', undefined],
    ['an empty token', ''],
    ['a malformed token', 'garbage'],
  ])('refuses a handshake with %s, saying why', async (_, token) => {
    await expect(connectSocket(app.url, token)).rejects.toMatchObject({
      data: { code: 'UNAUTHENTICATED', message: expect.stringMatching(/token|session/i) },
    });
  });

  it('refuses the token of a session that was logged out', async () => {
    const member = await make.member();
    const tokens = await login(app, member.email);
    await app.gql.data('mutation { logout }', {}, { token: tokens.accessToken });
    await expect(connectSocket(app.url, tokens.accessToken)).rejects.toMatchObject({
      data: { code: 'UNAUTHENTICATED' },
    });
  });

  it('refuses the token of a member who was disabled', async () => {
    const admin = await make.signedIn(null, TaskForceRole.MEMBER, { admin: true });
    const member = await make.member();
    const tokens = await login(app, member.email);
    await app.gql.data(
      'mutation($id: ID!) { disableMember(memberId: $id) { id } }',
      { id: member.id },
      { token: admin.token },
    );
    await expect(connectSocket(app.url, tokens.accessToken)).rejects.toMatchObject({
      data: { code: 'UNAUTHENTICATED' },
    });
  });
});

describe('health', () => {
  it('reports live and ready with the database, and Redis when configured', async () => {
    const app = await startTestApp({ REDIS_URL: 'redis://127.0.0.1:6379' });
    try {
      expect(await (await fetch(`${app.url}/health/live`)).json()).toEqual({ status: 'ok' });
      const ready = await fetch(`${app.url}/health/ready`);
      expect(ready.status).toBe(200);
      expect(((await ready.json()) as { info: unknown }).info).toEqual({
        database: { status: 'up' },
        redis: { status: 'up' },
      });
    } finally {
      await app.close();
    }
  });

  it('stays ready, reporting Redis as degraded, when the configured Redis cannot be reached (events go through the database poll)', async () => {
    const app = await startTestApp({ REDIS_URL: 'redis://127.0.0.1:1' });
    try {
      const ready = await fetch(`${app.url}/health/ready`);
      expect(ready.status).toBe(200);
      const body = (await ready.json()) as {
        info: Record<string, { status: string; degraded?: boolean; message?: string }>;
      };
      expect(body.info.database).toEqual({ status: 'up' });
      // Not "up": an operator reading readiness must see that live events are delayed.
      expect(body.info.redis).toMatchObject({ status: 'degraded', message: expect.stringContaining('delayed') });
      expect(JSON.stringify(body)).not.toMatch(/127\.0\.0\.1|ECONNREFUSED/);
    } finally {
      await app.close();
    }
  });
});

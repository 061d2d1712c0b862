import { findIdentifier } from '@hub/core';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { POSTGRESQL_MIGRATIONS } from '../../libs/database/src/migrations/postgresql';
import { connectSocket } from '../utils/socket-client';
import { scratchDatabase } from '../utils/database';
import { GraphQLClient } from '../utils/graphql-client';
import { run, start } from '../utils/process';

const LOGIN = 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }';
const ME = '{ me { email isPlatformAdmin memberships { role taskForce { code courtOfAppeal } } } }';
/** SIGTERM drains the process (see libs/platform/src/shutdown) and it exits 0. */
const CLEAN_STOP = { code: 0, signal: null };
const SECRET = 'process-test-secret-process-test-secret-0123';

async function signIn(url: string, email: string, password: string): Promise<string> {
  const { login } = await new GraphQLClient(`${url}/graphql`).data(LOGIN, { e: email, p: password });
  return login.accessToken;
}

describe('the embedded default, as `npm start` runs it', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'hub-process-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('creates, migrates and seeds a SQLite file, prints the URL and the demo logins, and serves them', async () => {
    const hub = await start('hub', { DATA_DIR: dataDir });
    try {
      const output = hub.output();
      expect(output).toContain(`SQLite ${join(dataDir, 'hub.sqlite')}`);
      expect(output).toContain('events: in-process');
      expect(output).toMatch(/Migrations: applied Migration\d+/);
      // The banner reaches container logs: it says where the password is, never the password itself.
      const passwordFile = join(dataDir, 'demo-password.txt');
      expect(output).toContain(`Demo logins (one password for all, in ${passwordFile})`);
      const password = readFileSync(passwordFile, 'utf8').trim();
      expect(password.length).toBeGreaterThanOrEqual(12);
      expect(output).not.toContain(password);
      for (const email of ['admin@demo.local', 'anitp.buc@demo.local', 'ngo.buc@demo.local', 'court.buc@demo.local'])
        expect(output).toContain(email);
      expect(statSync(join(dataDir, 'demo-password.txt')).mode & 0o777).toBe(0o600);
      // The database holds case data: the hub's user only, the WAL and shared-memory files too.
      for (const file of ['hub.sqlite', 'hub.sqlite-wal', 'hub.sqlite-shm'])
        expect({ file, mode: (statSync(join(dataDir, file)).mode & 0o777).toString(8) }).toEqual({ file, mode: '600' });

      const gql = new GraphQLClient(`${hub.url}/graphql`);
      const admin = await gql.data(ME, {}, { token: await signIn(hub.url, 'admin@demo.local', password) });
      expect(admin.me).toMatchObject({ email: 'admin@demo.local', isPlatformAdmin: true, memberships: [] });
      const ngo = await gql.data(ME, {}, { token: await signIn(hub.url, 'ngo.tim@demo.local', password) });
      expect(ngo.me.memberships).toEqual([
        { role: 'MEMBER', taskForce: { code: 'TIM', courtOfAppeal: 'Curtea de Apel Timișoara' } },
      ]);
      const { taskForces } = await gql.data(
        '{ taskForces { code members { role } } }',
        {},
        { token: await signIn(hub.url, 'admin@demo.local', password) },
      );
      expect(taskForces.map((t: { code: string }) => t.code)).toEqual(['BUC', 'CRA', 'IAS', 'TIM']);
      for (const taskForce of taskForces) {
        expect(new Set(taskForce.members.map((m: { role: string }) => m.role))).toEqual(
          new Set(['COORDINATOR', 'MEMBER', 'OBSERVER']),
        );
        expect(taskForce.members).toHaveLength(11);
      }
      // Each task force comes with work to look at, and none of its text trips the identifier screen.
      const diicot = await signIn(hub.url, 'diicot.buc@demo.local', password);
      const bucharest = taskForces.find((t: { code: string }) => t.code === 'BUC');
      const { data: work } = await gql.request(
        `query($tf: ID!) { taskForce(id: $tf) { id } caseSummaries(taskForceId: $tf) { caseCode overview investigation prosecution victimSupport }
          meetings(taskForceId: $tf) { nodes { title place status agenda { title notes { text } } decisions { text } } }
          actionItems(taskForceId: $tf, filter: { overdue: true }) { nodes { title status overdue } } }`,
        {
          tf: (await gql.data('{ taskForces { id code } }', {}, { token: diicot })).taskForces.find(
            (t: { code: string }) => t.code === bucharest.code,
          ).id,
        },
        { token: diicot },
      );
      // The curated work (two cases, last week's meeting and next week's), and a year of history for the reports.
      const codes: string[] = work!.caseSummaries.map((c: { caseCode: string }) => c.caseCode);
      expect(codes.filter((code) => !code.startsWith('BUC-H'))).toEqual(['BUC-2026-014', 'BUC-2026-021']);
      expect(codes.filter((code) => code.startsWith('BUC-H')).length).toBeGreaterThanOrEqual(12);
      const statuses: string[] = work!.meetings.nodes.map((m: { status: string }) => m.status);
      expect(statuses.filter((status) => status === 'SCHEDULED')).toEqual(['SCHEDULED']);
      expect(statuses.filter((status) => status === 'ENDED').length).toBeGreaterThan(12);
      expect(work!.actionItems.nodes.some((i: { overdue: boolean }) => i.overdue)).toBe(true);
      const texts = JSON.stringify(work).match(/"[^"]*"/g)!;
      expect(texts.filter((text) => findIdentifier(JSON.parse(text)))).toEqual([]);
      // The same port serves Socket.IO.
      const socket = await connectSocket(hub.url, await signIn(hub.url, 'police.buc@demo.local', password));
      socket.close();
    } finally {
      expect(await hub.stop()).toEqual(CLEAN_STOP);
    }
  });

  it('starts again on the same data without migrating or seeding twice, keeping password and token secret', async () => {
    const first = await start('hub', { DATA_DIR: dataDir });
    const password = readFileSync(join(dataDir, 'demo-password.txt'), 'utf8').trim();
    const token = await signIn(first.url, 'admin@demo.local', password);
    expect(await first.stop()).toEqual(CLEAN_STOP);
    const second = await start('hub', { DATA_DIR: dataDir });
    try {
      expect(second.output()).not.toContain('Migrations: applied');
      expect(second.output()).toContain(`one password for all, in ${join(dataDir, 'demo-password.txt')}`);
      expect(second.output()).not.toContain(password);
      // A token from before the restart still verifies: the generated secret was kept under DATA_DIR.
      const { me } = await new GraphQLClient(`${second.url}/graphql`).data(ME, {}, { token });
      expect(me.email).toBe('admin@demo.local');
    } finally {
      await second.stop();
    }
  });
});

describe('configuration errors stop the start with one line', () => {
  it.each([
    [{ PORT: 'abc' }, 'Configuration error: PORT must be a whole number, got "abc"'],
    [{ DATABASE_URL: 'mysql://db/hub' }, 'Configuration error: DATABASE_URL must start with postgres:// or sqlite:'],
    [
      { NODE_ENV: 'production', DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/postgres' },
      'Configuration error: JWT_SECRET is required in production',
    ],
    [{ REDIS_URL: 'localhost:6379' }, 'Configuration error: REDIS_URL must start with redis:// or rediss://'],
  ])('%j', async (env, message) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'hub-config-'));
    try {
      const result = await run('hub', [], { DATA_DIR: dataDir, ...env });
      expect(result.code).toBe(1);
      const lines = result.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0].startsWith(message)).toBe(true);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('PostgreSQL: explicit migrations, optional demo data, api and gateway as separate processes', () => {
  it('refuses to start with pending migrations, migrates with the CLI, seeds only when asked', async () => {
    const db = await scratchDatabase('postgres');
    const dataDir = mkdtempSync(join(tmpdir(), 'hub-pg-'));
    const env = { DATABASE_URL: db.url, NODE_ENV: 'production', JWT_SECRET: SECRET, DATA_DIR: dataDir };
    try {
      const refused = await run('api', [], env);
      expect(refused.code).toBe(1);
      const count = POSTGRESQL_MIGRATIONS.length;
      expect(refused.stderr.trim()).toMatch(
        new RegExp(
          `^Refusing to start: the database needs ${count} migration\\(s\\) .* run "npm run db:migrate" first$`,
        ),
      );

      const migrated = await run('cli', ['migrate'], env);
      expect(migrated).toMatchObject({
        code: 0,
        stdout: expect.stringMatching(new RegExp(`^Applied ${count} migration\\(s\\)`)),
      });
      expect((await run('cli', ['migrate'], env)).stdout).toContain('The database is up to date.');

      // Production never seeds by itself: no demo member exists.
      const api = await start('api', env);
      try {
        const attempt = await new GraphQLClient(`${api.url}/graphql`).error(LOGIN, {
          e: 'admin@demo.local',
          p: 'demo-password-1234',
        });
        expect(attempt.extensions?.code).toBe('UNAUTHENTICATED');
        expect(api.output()).not.toContain('Demo logins');
      } finally {
        await api.stop();
      }

      const seeded = await run('cli', ['seed'], { ...env, DEMO_PASSWORD: 'demo-password-1234' });
      expect(seeded.code).toBe(0);
      expect(seeded.stdout).toContain('Demo data created.');
      expect((await run('cli', ['seed'], { ...env, DEMO_PASSWORD: 'demo-password-1234' })).stdout).toContain(
        'already there; nothing changed',
      );

      const [apiProcess, gatewayProcess] = await Promise.all([start('api', env), start('gateway', env)]);
      try {
        // Each banner lists only what that deployable serves, and what it lists answers.
        expect(apiProcess.output()).toContain(`GraphQL:    ${apiProcess.url}/graphql`);
        expect(apiProcess.output()).not.toMatch(/Socket\.IO:|Web client:/);
        expect(gatewayProcess.output()).toContain(`Socket.IO:  ${gatewayProcess.url}/socket.io`);
        expect(gatewayProcess.output()).not.toMatch(/GraphQL:|Web client:/);
        expect((await fetch(`${apiProcess.url}/socket.io/?EIO=4&transport=polling`)).status).toBe(404);
        expect((await fetch(`${gatewayProcess.url}/graphql`, { method: 'POST' })).status).toBe(404);
        const token = await signIn(apiProcess.url, 'diicot.cra@demo.local', 'demo-password-1234');
        // A token issued by the api is accepted by the separate gateway (shared secret and database).
        const socket = await connectSocket(gatewayProcess.url, token);
        socket.close();
        expect((await fetch(`${gatewayProcess.url}/health/ready`)).status).toBe(200);
      } finally {
        await Promise.all([apiProcess.stop(), gatewayProcess.stop()]);
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
      await db.drop();
    }
  });
});

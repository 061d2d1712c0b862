import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitUntil } from '../utils/wait';
import { GraphQLClient } from '../utils/graphql-client';
import { start, type Running } from '../utils/process';
import { connectSocket } from '../utils/socket-client';

const LOGIN = 'mutation SignIn($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }';

type Line = Record<string, unknown> & { msg?: string };

/** The JSON lines (pino) of a process's output; the plain-text banner is not a log line. */
function jsonLines(process: Running): Line[] {
  // Lines arrive in blocks: the output may end inside one, which comes whole with the next block.
  const lines = process.output().split('\n');
  lines.pop();
  return lines.filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Line);
}

describe('logs an incident can be traced with, and nothing a person typed', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'hub-logs-'));
  let hub: Running;

  beforeAll(async () => {
    hub = await start('hub', { DATA_DIR: dataDir, LOG_LEVEL: 'info' });
  });
  afterAll(async () => {
    await hub?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('names the operation, the member by id and the client address; socket connects, joins and disconnects; failed sign-ins without the e-mail', async () => {
    const password = readFileSync(join(dataDir, 'demo-password.txt'), 'utf8').trim();
    const gql = new GraphQLClient(`${hub.url}/graphql`);
    const typedEmail = 'somebody.typed.this@example.org';
    const typedPassword = 'a-password-somebody-typed';
    expect((await gql.request(LOGIN, { e: typedEmail, p: typedPassword })).errors?.[0]?.extensions?.code).toBe(
      'UNAUTHENTICATED',
    );
    expect((await gql.request(LOGIN, { e: 'admin@demo.local', p: typedPassword })).errors).toBeDefined();
    const token = (await gql.data(LOGIN, { e: 'police.buc@demo.local', p: password })).login.accessToken as string;
    const { me } = await gql.data('query WhoAmI { me { id memberships { taskForce { id code } } } }', {}, { token });
    const bucharest = me.memberships.find((m: { taskForce: { code: string } }) => m.taskForce.code === 'BUC').taskForce;

    const socket = await connectSocket(hub.url, token);
    expect(await socket.timeout(5_000).emitWithAck('room.join', { taskForceId: bucharest.id })).toMatchObject({
      ok: true,
    });
    socket.close();
    await waitUntil(() => jsonLines(hub).some((line) => line.msg === 'socket disconnected'), 'the disconnect line');

    const lines = jsonLines(hub);
    const refused = lines.filter((line) => line.msg === 'sign-in refused');
    expect(refused.map(({ reason, client }) => ({ reason, client }))).toEqual([
      { reason: 'unknown-email', client: '127.0.0.1' },
      { reason: 'wrong-password', client: '127.0.0.1' },
    ]);
    expect(refused[1].memberId).toMatch(/^[0-9a-f-]{36}$/);

    const whoAmI = lines.find((line) => (line.graphql as { name?: string } | undefined)?.name === 'WhoAmI');
    expect(whoAmI).toMatchObject({
      memberId: me.id,
      client: '127.0.0.1',
      graphql: { operation: 'query', name: 'WhoAmI', fields: ['me'] },
      res: { statusCode: 200 },
    });
    const signIns = lines.filter((line) => (line.graphql as { name?: string } | undefined)?.name === 'SignIn');
    expect(signIns[0]).toMatchObject({ graphql: { fields: ['login'], errors: ['UNAUTHENTICATED'] } });
    // A line written while a request is served carries that request's id: each refusal, its sign-in's.
    expect(refused.map((line) => line.requestId)).toEqual(signIns.slice(0, 2).map((line) => line.requestId));
    expect(new Set(refused.map((line) => line.requestId)).size).toBe(2);

    for (const msg of ['socket connected', 'room joined', 'socket disconnected'])
      expect({ msg, line: lines.find((line) => line.msg === msg) }).toMatchObject({
        msg,
        line: { memberId: me.id },
      });
    expect(lines.find((line) => line.msg === 'socket connected')).toMatchObject({ client: '127.0.0.1' });
    expect(lines.find((line) => line.msg === 'room joined')).toMatchObject({ taskForceId: bucharest.id });

    // Nothing typed reaches a log line: no e-mail, no password (the demo one or the wrong ones), no token.
    const text = lines.map((line) => JSON.stringify(line)).join('\n');
    for (const secret of [typedEmail, '@demo.local', typedPassword, password, token])
      expect({ secret, found: text.includes(secret) }).toEqual({ secret, found: false });
    expect(hub.output()).not.toContain(password);
  });

  it("writes a line for a body refused before GraphQL, and hides a calendar feed's token however the path is written", async () => {
    const tooBig = await fetch(`${hub.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'too-big-body-01' },
      body: JSON.stringify({ query: '{ __typename }', pad: 'x'.repeat(2_000_000) }),
    });
    expect(tooBig.status).toBe(413);
    const feedToken = 'feedtoken-never-in-a-log-0123456789';
    for (const path of [`/calendar/${feedToken}.ics`, `/CALENDAR/${feedToken}.ics`, `//calendar/${feedToken}.ics`])
      await fetch(`${hub.url}${path}`, { headers: { 'x-request-id': 'calendar-path-01' } });
    await waitUntil(
      () => jsonLines(hub).filter((line) => line.requestId === 'calendar-path-01').length === 3,
      'the calendar lines',
    );
    const lines = jsonLines(hub);
    expect(lines.find((line) => line.requestId === 'too-big-body-01')).toMatchObject({
      level: 40,
      req: { method: 'POST', path: '/graphql' },
      res: { statusCode: 413 },
    });
    expect(hub.output()).not.toContain(feedToken);
  });
});

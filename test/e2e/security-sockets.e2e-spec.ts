import { AgencyKind, TaskForceRole } from '@hub/access';
import { type TaskForce } from '@hub/task-forces';
import { spentAgo } from '../factories/identity.factory';
import { LiveClient, LiveFactory, type SignedIn } from '../factories/live.factory';
import { scratchDatabase, type ScratchDatabase } from '../utils/database';
import { rejections } from '../utils/metrics-scrape';
import { connectSocket } from '../utils/socket-client';
import { RawSocket, RawSocketIo } from '../utils/raw-sockets';
import { type LiveEvent, subscribe, subscriptionClient } from '../utils/subscription-client';
import { startTestApp, type TestApp } from '../utils/test-app';
import { sleep, waitUntil } from '../utils/wait';

/**
 * The security suite, live side: Socket.IO and graphql-ws spoken wrongly on purpose (by hand, over a
 * raw WebSocket), rooms and events that only the server may name, and sessions that end while
 * connections are open on another instance. Whatever one client does, the others keep being served.
 */

const { COORDINATOR, MEMBER } = TaskForceRole;
const { POLICE, VICTIM_SUPPORT_NGO } = AgencyKind;
const GRAPHQL_WS = 'graphql-transport-ws';
const REDIS = 'redis://127.0.0.1:6379/7';
const TASK_FORCE_EVENTS = 'subscription($tf: ID!) { taskForceEvents(taskForceId: $tf) { type cursor } }';

describe('security of the live channels on one instance', () => {
  let app: TestApp;
  let live: LiveFactory;
  let taskForce: TaskForce;
  let coordinator: SignedIn;
  let member: SignedIn;
  /** A well-behaved member in the task force room all along: they must keep receiving. */
  let bystander: LiveClient;
  const raws: RawSocket[] = [];

  beforeAll(async () => {
    app = await startTestApp();
    live = new LiveFactory(app);
    taskForce = await live.identity.taskForce();
    coordinator = await live.person(taskForce, COORDINATOR, POLICE);
    member = await live.person(taskForce, MEMBER, VICTIM_SUPPORT_NGO);
    bystander = await live.connect(member.token);
    await bystander.joined({ taskForceId: taskForce.id });
  });
  afterAll(async () => {
    raws.forEach((raw) => raw.close());
    live.closeAll();
    await app.close();
  });

  const rawSocketIo = async () => {
    const raw = await RawSocketIo.connect(app.url);
    raws.push(raw);
    return raw;
  };
  const rawGraphQLWs = async () => {
    const raw = await RawSocket.open(`${app.url.replace(/^http/, 'ws')}/graphql`, GRAPHQL_WS);
    raws.push(raw);
    return raw;
  };

  /** The hub still serves: alive, and a mutation reaches the bystander as the next cursor. */
  async function stillServing(): Promise<void> {
    expect((await fetch(`${app.url}/health/live`)).status).toBe(200);
    const last = Math.max(0, ...bystander.cursors(taskForce.id));
    await live.createActionItem(coordinator.token, taskForce.id, { assigneeMemberId: member.member.id });
    await bystander.waitForCursor(taskForce.id, last + 1);
    expect(bystander.connected).toBe(true);
  }

  describe('Socket.IO spoken wrongly', () => {
    it('closes the connection that sends a malformed packet (truncated JSON, unknown types, binary garbage, an attachment replaced by an event, a negative ack id), and serves everyone else', async () => {
      const malformed: [string, string | Buffer][] = [
        ['truncated JSON', '42['],
        ['an event that is not an array', '42{"not":"an array"}'],
        ['an unknown Socket.IO packet type', '4Z'],
        ['an unknown Engine.IO packet type', '9'],
        ['binary garbage', Buffer.from([0xde, 0xad, 0xbe, 0xef, 0x00, 0x01, 0x02])],
        ['a binary event whose attachment is replaced by an event', '451-["room.join",{"_placeholder":true,"num":5}]'],
        ['a negative ack id', `42-1["presence.get",{"taskForceId":"${taskForce.id}"}]`],
      ];
      const outcomes: Record<string, string> = {};
      for (const [what, packet] of malformed) {
        const raw = await rawSocketIo();
        expect(await raw.handshake({ token: coordinator.token })).toMatch(/^40\{"sid":/);
        raw.send(packet);
        if (what.startsWith('a binary event')) raw.send(`421["room.join",{"taskForceId":"${taskForce.id}"}]`);
        outcomes[what] = await raw.waitForClose().then(
          () => 'closed',
          () => `still open, answered ${JSON.stringify(raw.frames.slice(2))}`,
        );
        // Nothing was joined or answered on the way out.
        expect({ what, answered: raw.frames.filter((f) => f.startsWith('43') || f.startsWith('42')) }).toEqual({
          what,
          answered: [],
        });
      }
      expect(outcomes).toEqual(Object.fromEntries(malformed.map(([what]) => [what, 'closed'])));
      await stillServing();
    });

    it('ignores what is well-formed but meaningless (an unknown event, a numeric event name, a 60 KB event name, an ack nobody asked for) and answers an absurd ack id as given', async () => {
      const raw = await rawSocketIo();
      await raw.handshake({ token: coordinator.token });
      raw.send('42[123,{}]');
      raw.send(`42["${'a'.repeat(60 * 1024)}",{}]`);
      raw.send('43999["an ack for nothing"]');
      raw.send(`42["admin.grant",{"memberId":"${member.member.id}","role":"COORDINATOR"}]`);
      raw.send(`4299999999999999999999["presence.get",{"taskForceId":"${taskForce.id}"}]`);
      await raw.waitFor((f) => f.startsWith('43') && f.includes('"ok":true'), 'the answer to presence.get');
      expect(raw.closed).toBeNull();
      expect(await raw.ask(7, 'presence.get', { taskForceId: taskForce.id })).toMatchObject({ ok: true });
      // Only the two presence.get asked for were answered.
      expect(raw.frames.filter((f) => f.startsWith('43'))).toHaveLength(2);
      await stillServing();
    });

    it('answers a CONNECT to an invented namespace with an error and nothing more, and a CONNECT without a valid token with UNAUTHENTICATED', async () => {
      const raw = await rawSocketIo();
      raw.send(`40/admin,${JSON.stringify({ token: coordinator.token })}`);
      expect(
        JSON.parse(
          (await raw.waitFor((f) => f.startsWith('44/admin,'), 'a namespace refusal')).slice('44/admin,'.length),
        ),
      ).toEqual({ message: 'Invalid namespace' });
      raw.send(`42/admin,1["room.join",{"taskForceId":"${taskForce.id}"}]`);
      await sleep(200);
      expect(raw.frames.some((f) => f.startsWith('43'))).toBe(false);

      for (const auth of [
        {},
        { token: 'forged' },
        { token: { $ne: null } },
        { token: coordinator.token.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')) },
      ]) {
        const refused = await rawSocketIo();
        const answer = await refused.handshake(auth);
        expect(answer.startsWith('44')).toBe(true);
        expect(JSON.parse(answer.slice(2))).toMatchObject({
          data: { code: 'UNAUTHENTICATED', message: expect.any(String) },
        });
        refused.send(`421["room.join",{"taskForceId":"${taskForce.id}"}]`);
        await sleep(100);
        expect(refused.frames.some((f) => f.startsWith('43'))).toBe(false);
      }
    });

    it('survives a flood of 200 refused handshakes, counts them, and lets a good client in right after', async () => {
      const before = await rejections(app.url);
      const codes: Record<string, number> = {};
      // 8 waves of 25 at once: a flood, without making the test depend on how fast 2 cores accept sockets.
      for (let wave = 0; wave < 8; wave++) {
        await Promise.all(
          Array.from({ length: 25 }, (_, i) =>
            live.connectWith({ token: `not-a-token-${wave}-${i}` }).then(
              (client) => {
                client.close();
                codes.accepted = (codes.accepted ?? 0) + 1;
              },
              (error: { data?: { code?: string } }) =>
                (codes[error.data?.code ?? 'no answer'] = (codes[error.data?.code ?? 'no answer'] ?? 0) + 1),
            ),
          ),
        );
      }
      expect(codes).toEqual({ UNAUTHENTICATED: 200 });
      expect((await rejections(app.url))('socket_unauthenticated')).toBe(before('socket_unauthenticated') + 200);
      const client = await live.connect(coordinator.token);
      expect(await client.presence({ taskForceId: taskForce.id })).toMatchObject({ ok: true });
      client.close();
      await stillServing();
    });

    it('disconnects a flood of events the gateway does not even handle, like any other flood', async () => {
      const flooder = await live.connect(coordinator.token);
      const deadline = Date.now() + 10_000;
      while (flooder.connected && Date.now() < deadline) {
        for (let i = 0; i < 50; i++) flooder.socket.emit('no.such.event', { i });
        await sleep(5);
      }
      expect(await flooder.waitForDisconnect(1_000)).toBe('io server disconnect');
      await stillServing();
    });
  });

  describe('rooms and events only the server names', () => {
    it("refuses room.join with another socket's id, server room names, a member id, or an operator object as the id", async () => {
      const attacker = await live.connect((await live.person(await live.identity.taskForce(), MEMBER, POLICE)).token);
      const targets: [string, Record<string, unknown>, string][] = [
        ["the bystander's socket id", { taskForceId: bystander.socket.id }, 'BAD_USER_INPUT'],
        ["the bystander's socket id as a meeting", { meetingId: bystander.socket.id }, 'BAD_USER_INPUT'],
        [
          'the task force room of an audience',
          { taskForceId: `task-force:${taskForce.id}:${VICTIM_SUPPORT_NGO}.${member.member.agency.id}` },
          'BAD_USER_INPUT',
        ],
        ["the bystander's member room", { taskForceId: `member:${member.member.id}` }, 'BAD_USER_INPUT'],
        ['a presence room', { taskForceId: `presence:task-force:${taskForce.id}` }, 'BAD_USER_INPUT'],
        ['a meeting room', { meetingId: `meeting:${taskForce.id}:POLICE` }, 'BAD_USER_INPUT'],
        ["the bystander's member id", { taskForceId: member.member.id }, 'NOT_FOUND'],
        ['an operator object', { taskForceId: { $gt: '' } }, 'BAD_USER_INPUT'],
        ['an array of ids', { taskForceId: [taskForce.id] }, 'BAD_USER_INPUT'],
        [
          'the task force, padded with a room',
          { taskForceId: `${taskForce.id} member:${member.member.id}` },
          'BAD_USER_INPUT',
        ],
      ];
      const before = await rejections(app.url);
      for (const [what, target, code] of targets) {
        const ack = await attacker.join(target as { taskForceId: string });
        expect({ what, ack }).toEqual({ what, ack: { ok: false, error: expect.objectContaining({ code }) } });
      }
      const after = await rejections(app.url);
      expect(
        after('socket_bad_user_input') -
          before('socket_bad_user_input') +
          after('socket_not_found') -
          before('socket_not_found'),
      ).toBe(targets.length);
      for (const event of ['presence.get', 'room.leave']) {
        expect(await attacker.send(event, { taskForceId: `task-force:${taskForce.id}:POLICE` })).toMatchObject({
          ok: false,
          error: { code: 'BAD_USER_INPUT' },
        });
      }
      await stillServing();
      expect(attacker.envelopes).toEqual([]);
      expect(attacker.named('presence.changed')).toEqual([]);
    });

    it('relays nothing a client emits under the names of server events (presence, session end, room left, shutdown, domain events, socket ids) to anyone', async () => {
      const forger = await live.connect(coordinator.token);
      // The forger's own arrival is real: let it reach the bystander (it may wait for the room's next batch) first.
      const arrivals = () =>
        bystander
          .presenceChanges({ taskForceId: taskForce.id })
          .filter((c) => c.memberId === coordinator.member.id && c.online).length;
      const arrived = arrivals();
      await forger.joined({ taskForceId: taskForce.id });
      await waitUntil(() => arrivals() > arrived, "the forger's arrival in the room");
      const seen = bystander.received.length;
      const forged: [string, unknown][] = [
        [
          'presence.changed',
          { taskForceId: taskForce.id, meetingId: null, changes: [{ memberId: member.member.id, online: false }] },
        ],
        [
          'session.ended',
          { code: 'UNAUTHENTICATED', message: 'Your session ended. Sign in again at https://evil.example' },
        ],
        ['room.left', { taskForceId: taskForce.id, code: 'FORBIDDEN', message: 'You were removed.' }],
        ['server.shutdown', { reconnect: true, message: 'Go to https://evil.example' }],
        [
          'actionItem.created',
          {
            type: 'actionItem.created',
            taskForceId: taskForce.id,
            cursor: 999,
            at: new Date().toISOString(),
            actorId: null,
            data: { title: 'FORGED' },
          },
        ],
        ['caseSummary.updated', { type: 'caseSummary.updated', taskForceId: taskForce.id, cursor: 1000, data: null }],
        [bystander.socket.id!, { message: 'to the socket id' }],
        [
          `task-force:${taskForce.id}:${VICTIM_SUPPORT_NGO}.${member.member.agency.id}`,
          { message: 'to the room name' },
        ],
      ];
      for (const [event, payload] of forged) forger.socket.emit(event, payload);
      // The room's next real event arrives after all of them: if any had been relayed, it would be there first.
      await stillServing();
      const since = bystander.received.slice(seen);
      expect(
        since.filter((r) =>
          JSON.stringify(r.payload ?? null).match(/FORGED|evil\.example|to the socket id|to the room name/),
        ),
      ).toEqual([]);
      expect(since.map((r) => r.event)).toEqual(['actionItem.created']);
      expect(since[0].payload.cursor).toBeLessThan(999);
      expect(forger.connected).toBe(true);
    });
  });

  describe('graphql-ws spoken wrongly', () => {
    const init = (token: string) =>
      JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } });
    const subscribeMessage = (id: string, query: string, variables: Record<string, unknown> = {}) =>
      JSON.stringify({ id, type: 'subscribe', payload: { query, variables } });

    it('closes each broken connection with the protocol code (invalid JSON 4400, subscribe before init 4401, second init 4429, duplicate id 4409, no token 4403, 70 KB frame 1009), and serves a good subscriber throughout', async () => {
      const good = subscribe<LiveEvent>(
        subscriptionClient(app.url, member.token),
        TASK_FORCE_EVENTS,
        { tf: taskForce.id },
        'taskForceEvents',
      );
      await sleep(300);
      const closes: Record<string, number> = {};
      const attempt = async (what: string, steps: (raw: RawSocket) => Promise<void>) => {
        const raw = await rawGraphQLWs();
        await steps(raw);
        closes[what] = (await raw.waitForClose()).code;
      };
      const acked = (raw: RawSocket) => raw.waitFor((f) => f.includes('connection_ack'), 'connection_ack');
      await attempt('invalid JSON', async (raw) => raw.send('{"type": "connection_init", '));
      await attempt('subscribe before init', async (raw) =>
        raw.send(subscribeMessage('1', TASK_FORCE_EVENTS, { tf: taskForce.id })),
      );
      await attempt('second init', async (raw) => {
        raw.send(init(member.token));
        await acked(raw);
        raw.send(init(member.token));
      });
      await attempt('duplicate id', async (raw) => {
        raw.send(init(member.token));
        await acked(raw);
        raw.send(subscribeMessage('same', TASK_FORCE_EVENTS, { tf: taskForce.id }));
        raw.send(subscribeMessage('same', TASK_FORCE_EVENTS, { tf: taskForce.id }));
      });
      await attempt('no token', async (raw) => raw.send(JSON.stringify({ type: 'connection_init', payload: {} })));
      await attempt('token as an object', async (raw) =>
        raw.send(JSON.stringify({ type: 'connection_init', payload: { authorization: { $ne: null } } })),
      );
      await attempt('70 KB frame', async (raw) => {
        raw.send(init(member.token));
        await acked(raw);
        raw.send(subscribeMessage('big', TASK_FORCE_EVENTS, { tf: taskForce.id, padding: 'x'.repeat(70 * 1024) }));
      });
      expect(closes).toEqual({
        'invalid JSON': 4400,
        'subscribe before init': 4401,
        'second init': 4429,
        'duplicate id': 4409,
        'no token': 4403,
        'token as an object': 4403,
        '70 KB frame': 1009,
      });

      const before = good.received.length;
      await stillServing();
      await good.waitFor(before + 1);
      good.unsubscribe();
    });

    it('refuses an operation over a limit on graphql-ws as a validation error naming the limit (not as an internal error)', async () => {
      const raw = await rawGraphQLWs();
      raw.send(init(member.token));
      await raw.waitFor((f) => f.includes('connection_ack'), 'connection_ack');
      const aliases = Array.from({ length: 21 }, (_, i) => `t${i}: type`).join(' ');
      let deep = 'id';
      for (let i = 0; i < 4; i++) deep = `memberships { taskForce { members { member { ${deep} } } } }`;
      const operations: [string, string, RegExp][] = [
        [
          'aliases',
          `subscription($tf: ID!) { taskForceEvents(taskForceId: $tf) { ${aliases} } }`,
          /aliases limit of 20/i,
        ],
        ['depth', `{ me { ${deep} } }`, /depth limit of 12/i],
        [
          'unknown field',
          `subscription($tf: ID!) { taskForceEvents(taskForceId: $tf) { type secret } }`,
          /Cannot query field "secret"/,
        ],
      ];
      const answers: Record<string, unknown> = {};
      for (const [id, query] of operations) raw.send(subscribeMessage(id, query, { tf: taskForce.id }));
      for (const [id] of operations) {
        const frame = JSON.parse(await raw.waitFor((f) => f.includes(`"id":"${id}"`), `the answer to ${id}`));
        answers[id] = frame;
      }
      expect(answers).toEqual(
        Object.fromEntries(
          operations.map(([id, , message]) => [
            id,
            {
              id,
              type: 'error',
              payload: [
                expect.objectContaining({
                  message: expect.stringMatching(message),
                  extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
                }),
              ],
            },
          ]),
        ),
      );
      expect(raw.closed).toBeNull();
    });

    it('applies the 5000-token parser limit on graphql-ws too', async () => {
      // 2,000 free __typename aliases: 6,000 tokens that no other rule refuses (over HTTP: GRAPHQL_PARSE_FAILED).
      const query = `{ me { ${Array.from({ length: 2000 }, (_, i) => `t${i}: __typename`).join(' ')} } }`;
      expect((await app.gql.request(query, {}, { token: member.token })).errors?.[0].message).toMatch(/5000 tokens/);
      const raw = await rawGraphQLWs();
      raw.send(init(member.token));
      await raw.waitFor((f) => f.includes('connection_ack'), 'connection_ack');
      raw.send(subscribeMessage('tokens', query));
      const frame = JSON.parse(await raw.waitFor((f) => f.includes('"id":"tokens"'), 'the answer'));
      expect({ type: frame.type, message: frame.payload?.[0]?.message ?? null }).toEqual({
        type: 'error',
        message: expect.stringMatching(/5000 tokens/),
      });
    });
  });
});

describe('security of the live channels: a session ended on one instance closes its connections on the other', () => {
  let db: ScratchDatabase;
  let one: TestApp;
  let two: TestApp;
  let live: LiveFactory;
  let taskForce: TaskForce;
  const disposers: (() => unknown)[] = [];

  beforeAll(async () => {
    db = await scratchDatabase();
    // The machine's Redis is shared with other suites: a database index of our own keeps the sign-in limit's
    // per-address keys (hub:throttle:address:…, the same for every suite on 127.0.0.1) apart from theirs.
    one = await startTestApp({ REDIS_URL: REDIS }, db);
    two = await startTestApp({ REDIS_URL: REDIS, MIGRATE_ON_START: 'false' }, db);
    live = new LiveFactory(one);
    taskForce = await live.identity.taskForce();
  });
  afterAll(async () => {
    for (const dispose of disposers) await dispose();
    live?.closeAll();
    await two?.close();
    await one?.close();
    await db?.drop();
  });

  /** On instance two: a Socket.IO client in the task force room, a graphql-ws subscriber and an idle graphql-ws connection. */
  async function connectionsOnTwo(token: string) {
    const socket = new LiveClient(await connectSocket(two.url, token));
    disposers.push(() => socket.close());
    await socket.joined({ taskForceId: taskForce.id });
    const wsCloses: number[] = [];
    const subscriber = subscriptionClient(two.url, token, (code) => wsCloses.push(code));
    disposers.push(() => subscriber.dispose());
    const subscription = subscribe<LiveEvent>(subscriber, TASK_FORCE_EVENTS, { tf: taskForce.id }, 'taskForceEvents');
    const idle = await RawSocket.open(`${two.url.replace(/^http/, 'ws')}/graphql`, GRAPHQL_WS);
    disposers.push(() => idle.close());
    idle.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } }));
    await idle.waitFor((f) => f.includes('connection_ack'), 'connection_ack');
    await sleep(300);
    return { socket, wsCloses, subscription, idle };
  }

  async function expectAllEnded(c: Awaited<ReturnType<typeof connectionsOnTwo>>) {
    expect(await c.socket.waitForEvent('session.ended', () => true, 5_000)).toEqual({
      code: 'UNAUTHENTICATED',
      message: expect.any(String),
    });
    expect(await c.socket.waitForDisconnect(5_000)).toBe('io server disconnect');
    await waitUntil(() => c.wsCloses.length > 0, 'the graphql-ws subscriber to be closed', { timeoutMs: 5_000 });
    expect(c.wsCloses[0]).toBe(4403);
    // A connection with no subscription is a live connection too: it must not outlive the session.
    expect((await c.idle.waitForClose(5_000)).code).toBe(4403);
  }

  it('logout on instance one: the Socket.IO client, the subscriber and the idle graphql-ws connection on instance two are closed within seconds', async () => {
    const person = await live.person(taskForce, MEMBER, POLICE);
    const connections = await connectionsOnTwo(person.token);
    expect(await live.logout(person.token)).toBe(true);
    await expectAllEnded(connections);
  });

  it('refresh-token reuse on instance one ends that session on instance two', async () => {
    const person = await live.person(taskForce, MEMBER, POLICE);
    const connections = await connectionsOnTwo(person.token);
    const REFRESH = 'mutation($t: String!) { refreshToken(token: $t) { accessToken refreshToken } }';
    await one.gql.data(REFRESH, { t: person.refreshToken });
    await spentAgo(one, person.refreshToken);
    expect((await one.gql.error(REFRESH, { t: person.refreshToken })).extensions?.code).toBe('UNAUTHENTICATED');
    await expectAllEnded(connections);
  });
});

import { AgencyKind, TaskForceRole } from '@hub/access';
import { LiveSessions } from '@hub/events';
import { AuthSession, Membership } from '@hub/identity';
import { type TaskForce } from '@hub/task-forces';
import { type LiveClient, LiveFactory } from '../factories/live.factory';
import { waitUntil } from '../utils/wait';
import { type LiveEvent, subscribe, subscriptionClient } from '../utils/subscription-client';
import { countStatements } from '../utils/sql-statements';
import { startTestApp, type TestApp } from '../utils/test-app';

/**
 * The live-session watch's safety net: what the bus did not say (here: rows changed straight in the
 * database, so no system event or membership event is ever published) the periodic re-check finds,
 * reading every session the instance holds in a fixed number of statements. The suite calls the
 * re-check itself instead of waiting 30 s for its timer.
 */

const { COORDINATOR, MEMBER } = TaskForceRole;
const { POLICE, VICTIM_SUPPORT_NGO } = AgencyKind;
const TASK_FORCE_EVENTS = 'subscription($tf: ID!) { taskForceEvents(taskForceId: $tf) { type cursor } }';

/** The session id an access token carries (its `sid` claim). */
const sessionOf = (token: string): string =>
  (JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as { sid: string }).sid;

describe('live sessions: the periodic re-check, batched per session', () => {
  let app: TestApp;
  let live: LiveFactory;
  let taskForce: TaskForce;
  let watch: LiveSessions;
  const disposers: (() => unknown)[] = [];

  beforeAll(async () => {
    app = await startTestApp();
    live = new LiveFactory(app);
    taskForce = await live.identity.taskForce();
    await live.person(taskForce, COORDINATOR, POLICE);
    watch = app.app.get(LiveSessions);
  });
  afterAll(async () => {
    for (const dispose of disposers) await dispose();
    live.closeAll();
    await app.close();
  });

  async function joinedSocket(token: string): Promise<LiveClient> {
    const socket = await live.connect(token);
    await socket.joined({ taskForceId: taskForce.id });
    return socket;
  }

  it('closes the Socket.IO socket and the graphql-ws connection of a session revoked without a bus message', async () => {
    const person = await live.person(taskForce, MEMBER, VICTIM_SUPPORT_NGO);
    const socket = await joinedSocket(person.token);
    const closes: { code: number; reason: string }[] = [];
    const client = subscriptionClient(app.url, person.token, (code, reason) => closes.push({ code, reason }));
    disposers.push(() => client.dispose());
    const subscription = subscribe<LiveEvent>(client, TASK_FORCE_EVENTS, { tf: taskForce.id }, 'taskForceEvents');
    await waitUntil(() => watch.size.connections >= 3, 'the socket, the connection and the subscription to be watched');
    const bystander = await live.person(taskForce, MEMBER, POLICE);
    const stays = await joinedSocket(bystander.token);

    await app.em().nativeUpdate(AuthSession, { id: sessionOf(person.token) }, { revokedAt: new Date() });
    await watch.recheck();

    expect(await socket.waitForEvent('session.ended')).toEqual({
      code: 'UNAUTHENTICATED',
      message: 'Your session ended.',
    });
    expect(await socket.waitForDisconnect()).toBe('io server disconnect');
    await waitUntil(() => closes.length > 0, 'the graphql-ws connection to close');
    expect(closes[0]).toEqual({ code: 4403, reason: 'Forbidden: the session ended' });
    expect(await subscription.ended).toBeDefined();
    expect(stays.connected).toBe(true);
    expect(stays.named('session.ended')).toEqual([]);
  });

  it('takes a member whose membership was removed without a bus message out of the room, and tells them', async () => {
    const person = await live.person(taskForce, MEMBER, VICTIM_SUPPORT_NGO);
    const socket = await joinedSocket(person.token);
    await app.em().nativeDelete(Membership, { member: person.member.id, taskForce: taskForce.id });
    await watch.recheck();

    expect(await socket.waitForEvent('room.left')).toEqual({
      taskForceId: taskForce.id,
      meetingId: null,
      code: 'FORBIDDEN',
      message: 'You are no longer a member of this task force.',
    });
    expect(socket.connected).toBe(true);
    expect((await socket.join({ taskForceId: taskForce.id })).ok).toBe(false);
  });

  it('reads the sessions it holds in the same number of statements for 3 members as for 30, each with 2 sockets', async () => {
    // Each join's audit record is written after its acknowledgement: only the re-check's statements count.
    const statementsOfRecheck = async (): Promise<number> =>
      (await countStatements(app.orm, () => watch.recheck(), undefined, { countActorReads: true })).statements;
    const connectMembers = async (n: number) => {
      for (let i = 0; i < n; i++) {
        const person = await live.person(taskForce, MEMBER, POLICE);
        await joinedSocket(person.token);
        await joinedSocket(person.token);
      }
    };

    await connectMembers(3);
    const few = { sessions: watch.size.sessions, statements: await statementsOfRecheck() };
    await connectMembers(27);
    const many = { sessions: watch.size.sessions, statements: await statementsOfRecheck() };

    expect(many.sessions - few.sessions).toBe(27);
    // The live sessions with their members and agencies, then those members' memberships.
    expect(few.statements).toBe(2);
    expect(many.statements).toBe(few.statements);
  });
});

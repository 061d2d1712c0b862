import { AgencyKind, TaskForceRole } from '@hub/access';
import { type TaskForce } from '@hub/task-forces';
import { type Ack, type LiveClient, LiveFactory, range, type SignedIn } from '../factories/live.factory';
import { startTestApp, type TestApp } from '../utils/test-app';
import { sleep } from '../utils/wait';

const { COORDINATOR, MEMBER, OBSERVER } = TaskForceRole;
const { POLICE, VICTIM_SUPPORT_NGO, COURT, ORGANISED_CRIME_PROSECUTION } = AgencyKind;

/** Texts of task force A: none of them may reach anyone outside it. */
const A_MARKERS = {
  overview: 'AOVERVIEW marker of task force A',
  investigation: 'AINVESTIGATION marker of task force A',
  note: 'ANOTE marker of task force A',
  decision: 'ADECISION marker of task force A',
  comment: 'ACOMMENT marker of task force A',
};
const B_MARKERS = {
  overview: 'BOVERVIEW marker of task force B',
  investigation: 'BINVESTIGATION marker of task force B',
  note: 'BNOTE marker of task force B',
  decision: 'BDECISION marker of task force B',
  comment: 'BCOMMENT marker of task force B',
};
const ROUNDS = 10; // every kind of event, ten times over

interface Intruder {
  who: string;
  person: SignedIn;
  client?: LiveClient;
}

/**
 * Members of another task force (every role, several agencies, one from the same agency as a member of
 * A, one who used to be in A) and platform administrators, all with valid tokens, try to join, catch
 * up on and watch task force A. They must receive nothing of it.
 */
describe('live rooms across task forces: nothing of task force A reaches anyone outside it', () => {
  let app: TestApp;
  let live: LiveFactory;
  let a: TaskForce;
  let b: TaskForce;
  let coordinatorA: SignedIn;
  let memberA: SignedIn; // NGO
  let policeA: SignedIn;
  let coordinatorB: SignedIn;
  let meetingScheduled: string;
  let meetingLive: string;
  const intruders: Intruder[] = [];

  beforeAll(async () => {
    app = await startTestApp();
    live = new LiveFactory(app);
    a = await live.identity.taskForce();
    b = await live.identity.taskForce();
    coordinatorA = await live.person(a, COORDINATOR, POLICE);
    memberA = await live.person(a, MEMBER, VICTIM_SUPPORT_NGO);
    policeA = await live.person(a, MEMBER, POLICE);
    coordinatorB = await live.person(b, COORDINATOR, POLICE);

    // A has history already, so a catch-up from 0 would have something to give.
    meetingScheduled = (await live.scheduleMeeting(coordinatorA.token, a.id)).id;
    const running = await live.scheduleMeeting(coordinatorA.token, a.id);
    meetingLive = running.id;
    await live.startMeeting(coordinatorA.token, meetingLive);
    await live.addMinuteNote(coordinatorA.token, meetingLive, running.agenda[0].id, A_MARKERS.note);
    await live.createCaseSummary(coordinatorA.token, a.id, {
      overview: A_MARKERS.overview,
      investigation: A_MARKERS.investigation,
    });

    const sameAgency = await live.identity.agency(POLICE);
    const policeOfSameAgencyInA = await live.person(a, MEMBER, POLICE, sameAgency);
    const formerMemberOfA = await live.person(a, MEMBER, ORGANISED_CRIME_PROSECUTION);
    await live.identity.membership(b, formerMemberOfA.member, MEMBER);
    await live.removeMembership(coordinatorA.token, formerMemberOfA.membership!.id);
    const formerLogin = await live.secondSession(formerMemberOfA.member); // a fresh session, after the removal

    // Removed from A while connected (in no room of A, and no one listening to A yet): the connection stays open.
    const removedWhileConnected = await live.person(a, MEMBER, POLICE);
    await live.identity.membership(b, removedWhileConnected.member, OBSERVER);
    const openConnection = await live.connect(removedWhileConnected.token);
    await live.removeMembership(coordinatorA.token, removedWhileConnected.membership!.id);

    const adminInB = await live.identity.signedIn(b, MEMBER, { admin: true, kind: POLICE });
    intruders.push(
      { who: 'coordinator of B (police)', person: coordinatorB },
      { who: 'member of B (NGO)', person: await live.person(b, MEMBER, VICTIM_SUPPORT_NGO) },
      { who: 'observer of B (court)', person: await live.person(b, OBSERVER, COURT) },
      {
        who: 'member of B from the same agency as a member of A',
        person: await live.person(b, MEMBER, POLICE, sameAgency),
      },
      { who: 'former member of A, now in B', person: { ...formerMemberOfA, token: formerLogin } },
      { who: 'former member of A, removed while connected', person: removedWhileConnected, client: openConnection },
      {
        who: 'platform administrator, member of no task force',
        person: await live.identity.signedIn(null, MEMBER, { admin: true }),
      },
      { who: 'platform administrator who is a member of B', person: adminInB },
    );
    expect(policeOfSameAgencyInA.member.agency.id).toBe(sameAgency.id);
  });
  afterAll(async () => {
    live.closeAll();
    await app.close();
  });

  /** Everything an intruder may try on A through the gateway's acknowledged messages. */
  function attempts(): [string, string, Record<string, unknown>][] {
    return [
      ['join the task force room', 'room.join', { taskForceId: a.id }],
      ['catch up on the task force from 0', 'room.join', { taskForceId: a.id, after: 0 }],
      ['catch up on the task force from 1', 'room.join', { taskForceId: a.id, after: 1 }],
      ['join the scheduled meeting', 'room.join', { meetingId: meetingScheduled }],
      ['join the live meeting', 'room.join', { meetingId: meetingLive }],
      ['catch up on the live meeting from 0', 'room.join', { meetingId: meetingLive, after: 0 }],
      ['presence of the task force', 'presence.get', { taskForceId: a.id }],
      ['presence of the live meeting', 'presence.get', { meetingId: meetingLive }],
      ['leave the task force room', 'room.leave', { taskForceId: a.id }],
      ['leave the live meeting', 'room.leave', { meetingId: meetingLive }],
    ];
  }

  /** Tricks that are not even well-formed requests for A: any refusal will do, but a refusal it must be. */
  function tricks(): [string, string, unknown][] {
    return [
      ['name the room itself', 'room.join', { room: `task-force:${a.id}:POLICE` }],
      ['its own task force with a meeting of A', 'room.join', { taskForceId: b.id, meetingId: meetingLive, after: 0 }],
      ['an array of targets', 'room.join', [{ taskForceId: a.id }]],
    ];
  }

  const refusal = (ack: Ack) => !ack.ok && ['NOT_FOUND', 'FORBIDDEN'].includes(ack.error.code);

  it('refuses every intruder every attempt on A with NOT_FOUND or FORBIDDEN, and a client-named room with an error', async () => {
    const accepted: unknown[] = [];
    for (const intruder of intruders) {
      intruder.client ??= await live.connect(intruder.person.token);
      for (const [what, event, payload] of attempts()) {
        const ack = await intruder.client.send(event, payload);
        if (!refusal(ack)) accepted.push({ who: intruder.who, what, ack });
      }
      for (const [what, event, payload] of tricks()) {
        const ack = await intruder.client.send(event, payload);
        if (ack.ok) accepted.push({ who: intruder.who, what, ack });
      }
      // Messages without acknowledgement, or of names the gateway does not know: nothing happens.
      intruder.client.socket.emit('room.join', { taskForceId: a.id });
      intruder.client.socket.emit('join', `task-force:${a.id}:POLICE`);
      intruder.client.socket.emit('subscribe', { taskForceId: a.id, room: `task-force:${a.id}:VICTIM_SUPPORT_NGO` });
      expect(intruder.client.connected).toBe(true);
    }
    expect(accepted).toEqual([]);
    // Administrators may know A exists (FORBIDDEN); others may not even know that (NOT_FOUND).
    const admin = intruders.find((i) => i.who.startsWith('platform administrator, member of no'))!;
    expect(await admin.client!.join({ taskForceId: a.id, after: 0 })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(await admin.client!.join({ meetingId: meetingLive })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    const member = intruders.find((i) => i.who === 'member of B (NGO)')!;
    expect(await member.client!.join({ taskForceId: a.id })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    // Nothing was replayed to anyone before those refusals.
    for (const intruder of intruders)
      expect({ who: intruder.who, received: intruder.client!.received }).toEqual({ who: intruder.who, received: [] });
  });

  it('while intruders stay connected and keep trying, A produces every kind of event: they receive zero, a member of A receives all', async () => {
    for (const intruder of intruders) intruder.client ??= await live.connect(intruder.person.token);
    const [first] = intruders;
    // One more intruder that sends whatever it likes in the handshake: the server trusts only the token.
    const forger = await live.connectWith(
      {
        token: first.person.token,
        memberId: memberA.member.id,
        taskForceId: a.id,
        rooms: [`task-force:${a.id}:POLICE`],
        agencyKind: 'POLICE',
      },
      { taskForceId: a.id, room: `task-force:${a.id}:POLICE`, memberId: memberA.member.id },
    );
    const watchers = [
      ...intruders.map((i) => ({ who: i.who, client: i.client! })),
      { who: 'handshake forger', client: forger },
    ];
    for (const { client } of watchers) expect(client.connected).toBe(true);

    const legitNgo = await live.connect(memberA.token);
    const legitPolice = await live.connect(policeA.token);
    const atJoin = await legitNgo.joined({ taskForceId: a.id, after: 0 }); // its catch-up: everything so far
    await legitPolice.joined({ taskForceId: a.id, after: 0 });

    // The intruders keep trying, all along.
    let trying = true;
    const unexpected: unknown[] = [];
    const pester = watchers.map(async ({ who, client }, index) => {
      let turn = index;
      while (trying) {
        const [what, event, payload] = attempts()[turn++ % attempts().length];
        const ack = await client
          .send(event, payload)
          .catch((error: Error) => ({ ok: false as const, error: { code: 'NO_ACK', message: error.message } }));
        if (!refusal(ack)) unexpected.push({ who, what, ack });
        await sleep(100);
      }
    });

    let produced = 0;
    try {
      for (let round = 0; round < ROUNDS; round++)
        produced += (await live.everyKind(coordinatorA, a.id, memberA.member, A_MARKERS)).length;
    } finally {
      trying = false;
      await Promise.all(pester);
    }

    const stored = await live.storedCursors(a.id);
    expect(stored).toEqual(range(1, stored.length));
    expect(stored.length).toBe(atJoin + produced);
    for (const legit of [legitNgo, legitPolice]) {
      await legit.waitForCursor(a.id, stored.length, 10_000);
      expect(legit.cursors(a.id)).toEqual(stored);
    }
    await sleep(500); // proving absence: let anything in flight arrive

    // Everything any intruder received, counted with onAny, nothing excluded; and any attempt that was not refused.
    const leaks = watchers
      .filter(({ client }) => client.received.length > 0 || !client.connected)
      .map(({ who, client }) => ({
        who,
        connected: client.connected,
        received: client.received.length,
        eventsOfA: client.envelopesOf(a.id).length,
        types: [...new Set(client.received.map((r) => r.event))].length,
      }));
    expect({ leaks, acceptedAttempts: unexpected.length, firstAccepted: unexpected.slice(0, 1) }).toEqual({
      leaks: [],
      acceptedAttempts: 0,
      firstAccepted: [],
    });
    expect(produced).toBeGreaterThanOrEqual(ROUNDS * 18);
  });

  it('members of B in their own rooms receive only B, while A and B are busy at once; A receives only A', async () => {
    const inB = await Promise.all(
      intruders.filter((i) => !i.who.startsWith('platform administrator')).map((i) => live.connect(i.person.token)),
    );
    // Naming A's rooms beside its own task force changes nothing: the server builds the room from the task force id.
    for (const client of inB)
      await client.joined({
        taskForceId: b.id,
        room: `task-force:${a.id}:POLICE`,
        rooms: [`meeting:${meetingLive}:POLICE`],
      } as { taskForceId: string });
    const bMeeting = await live.scheduleMeeting(coordinatorB.token, b.id);
    const inBMeeting = await live.connect(coordinatorB.token);
    await inBMeeting.joined({ meetingId: bMeeting.id });
    const inA = await live.connect(memberA.token);
    const fromA = await inA.joined({ taskForceId: a.id });
    const memberOfB = await live.person(b, MEMBER, POLICE);

    const [stepsA, stepsB] = await Promise.all([
      live.everyKind(coordinatorA, a.id, memberA.member, A_MARKERS),
      live.everyKind(coordinatorB, b.id, memberOfB.member, B_MARKERS),
    ]);
    const lastB = (await live.storedCursors(b.id)).length;
    for (const client of inB) await client.waitForCursor(b.id, lastB);
    await inA.waitForCursor(a.id, fromA + stepsA.length);
    await sleep(500);

    const secretsOfA = [
      a.id,
      meetingScheduled,
      meetingLive,
      ...Object.values(A_MARKERS),
      memberA.member.id,
      coordinatorA.member.id,
    ];
    for (const client of [...inB, inBMeeting]) {
      expect(client.envelopes.every((e) => e.taskForceId === b.id)).toBe(true);
      const saw = JSON.stringify(client.received);
      for (const secret of secretsOfA)
        expect({ secret, leaked: saw.includes(secret) }).toEqual({ secret, leaked: false });
    }
    for (const client of inB)
      expect(client.envelopes.map((e) => e.type)).toEqual(expect.arrayContaining(stepsB.map((s) => s.type)));
    expect(inA.envelopes.every((e) => e.taskForceId === a.id)).toBe(true);
    expect(inA.cursors(a.id)).toEqual(range(fromA + 1, fromA + stepsA.length));
    const sawInA = JSON.stringify(inA.received);
    for (const secret of [b.id, bMeeting.id, ...Object.values(B_MARKERS)])
      expect({ secret, leaked: sawInA.includes(secret) }).toEqual({ secret, leaked: false });
  });
});

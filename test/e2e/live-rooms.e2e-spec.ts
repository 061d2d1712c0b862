import { AgencyKind, TaskForceRole } from '@hub/access';
import { type TaskForce } from '@hub/task-forces';
import { type Ack, actionItemIdOf, LiveFactory, range, type SignedIn } from '../factories/live.factory';
import { scratchDatabase, type ScratchDatabase } from '../utils/database';
import { redisServer, type RedisServer } from '../utils/redis-server';
import { startTestApp, type TestApp } from '../utils/test-app';
import { sleep, waitUntil } from '../utils/wait';

const { COORDINATOR, MEMBER, OBSERVER } = TaskForceRole;
const { POLICE, VICTIM_SUPPORT_NGO, ORGANISED_CRIME_PROSECUTION, COURT } = AgencyKind;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/;
const ENVELOPE_KEYS = ['actorId', 'at', 'cursor', 'data', 'taskForceId', 'type'];
/** One connection of the member joined (on) or left (off) a room, as `presence.changed` lists it. */
const on = (who: SignedIn) => ({ memberId: who.member.id, online: true });
const off = (who: SignedIn) => ({ memberId: who.member.id, online: false });

/** Distinctive texts: a leak anywhere in what a socket received is found by a plain string search. */
const INVESTIGATION_MARKER = 'INVMARKER surveillance of the recruiter network';
const PROSECUTION_MARKER = 'PROSMARKER indictment drafted for three defendants';
const SUPPORT_MARKER = 'SUPMARKER shelter placement and counselling';
const OVERVIEW_TEXT = 'Four victims recruited through a job advert';

interface World {
  taskForce: TaskForce;
  tf: string;
  coordinator: SignedIn; // POLICE: may write the overview and the investigation
  police: SignedIn;
  ngo: SignedIn;
}

describe('live rooms over Socket.IO: events, need to know, catch-up, presence, membership and limits', () => {
  let app: TestApp;
  let live: LiveFactory;

  beforeAll(async () => {
    app = await startTestApp();
    live = new LiveFactory(app);
  });
  afterEach(() => live.closeAll());
  afterAll(async () => {
    live.closeAll();
    await app.close();
  });

  /** A fresh task force (its cursors start at 1) with a police coordinator, a police member and an NGO member. */
  async function world(): Promise<World> {
    const taskForce = await live.identity.taskForce();
    return {
      taskForce,
      tf: taskForce.id,
      coordinator: await live.person(taskForce, COORDINATOR, POLICE),
      police: await live.person(taskForce, MEMBER, POLICE),
      ngo: await live.person(taskForce, MEMBER, VICTIM_SUPPORT_NGO),
    };
  }

  /** One event that every audience sees in full. */
  const anEvent = (w: World) => live.createActionItem(w.coordinator.token, w.tf, { assigneeMemberId: w.ngo.member.id });

  const texts = {
    overview: OVERVIEW_TEXT,
    investigation: INVESTIGATION_MARKER,
    note: 'Minutes: the labour inspectorate visits the farm',
    decision: 'Decision: joint visit next week',
    comment: 'Comment: visit booked',
  };

  describe('a task force room', () => {
    it('delivers every kind of event, in order, with consecutive cursors 1, 2, 3 … and the exact envelope', async () => {
      const w = await world();
      const client = await live.connect(w.police.token);
      expect(await client.join({ taskForceId: w.tf })).toEqual({ ok: true, cursor: 0 });
      const before = Date.now();

      const steps = await live.everyKind(w.coordinator, w.tf, w.police.member, texts);
      expect(new Set(steps.map((s) => s.type))).toEqual(
        new Set([
          'meeting.scheduled',
          'meeting.updated',
          'meeting.agendaChanged',
          'meeting.started',
          'meeting.attendanceChanged',
          'meeting.noteAdded',
          'meeting.decisionRecorded',
          'meeting.agendaAdvanced',
          'meeting.ended',
          'meeting.cancelled',
          'caseSummary.created',
          'caseSummary.updated',
          'actionItem.created',
          'actionItem.updated',
          'actionItem.commented',
          'membership.added',
          'membership.roleChanged',
          'membership.removed',
        ]),
      );
      await client.waitForCursor(w.tf, steps.length);
      await sleep(200); // nothing more may follow

      // Only the events, plus the member's own arrival in the room: nothing else, nothing twice.
      const pushed = client.received.filter((r) => r.event !== 'presence.changed');
      expect(pushed.map((r) => r.event)).toEqual(steps.map((s) => s.type));
      expect(client.named('presence.changed')).toEqual([
        { taskForceId: w.tf, meetingId: null, changes: [{ memberId: w.police.member.id, online: true }] },
      ]);

      client.envelopes.forEach((envelope, index) => {
        expect(Object.keys(envelope).sort()).toEqual(ENVELOPE_KEYS);
        expect(envelope).toEqual({
          type: steps[index].type,
          taskForceId: w.tf,
          cursor: index + 1,
          at: expect.stringMatching(ISO),
          actorId: w.coordinator.member.id,
          data: steps[index].data,
        });
        expect(Date.parse(envelope.at)).toBeGreaterThanOrEqual(before - 1000);
        expect(Date.parse(envelope.at)).toBeLessThanOrEqual(Date.now() + 1000);
      });
      expect(client.cursors(w.tf)).toEqual(range(1, steps.length));
      // The outbox holds the same gap-free sequence.
      expect(await live.storedCursors(w.tf)).toEqual(range(1, steps.length));
    });

    it('gives each concurrent mutation its own cursor: 20 at once from five members arrive as exactly 1..20', async () => {
      const w = await world();
      const others = [
        await live.person(w.taskForce, MEMBER, POLICE),
        await live.person(w.taskForce, MEMBER, ORGANISED_CRIME_PROSECUTION),
      ];
      const writers = [w.coordinator, w.police, w.ngo, ...others];
      const client = await live.connect(w.police.token);
      const ngoClient = await live.connect(w.ngo.token);
      await client.joined({ taskForceId: w.tf });
      await ngoClient.joined({ taskForceId: w.tf });

      const created = await Promise.all(
        range(1, 20).map((i) => {
          const writer = writers[i % writers.length];
          return live.createActionItem(writer.token, w.tf, {
            assigneeMemberId: writer.member.id,
            title: `Concurrent ${i}`,
          });
        }),
      );

      for (const listener of [client, ngoClient]) {
        await listener.waitForCursor(w.tf, 20);
        await sleep(100);
        expect(listener.cursors(w.tf)).toEqual(range(1, 20));
        expect(new Set(listener.envelopes.map(actionItemIdOf))).toEqual(new Set(created.map((item) => item.id)));
      }
      expect(await live.storedCursors(w.tf)).toEqual(range(1, 20));
      // Each cursor went to the commit that wrote it: the pushed event names the item that row describes.
      const rows = await app
        .em()
        .getConnection()
        .execute<{ cursor: number; data: string | Record<string, unknown> }[]>(
          'select cursor, data from domain_event where task_force_id = ? order by cursor',
          [w.tf],
        );
      const stored = (rows as { cursor: number; data: string | Record<string, unknown> }[]).map(
        (row) => (typeof row.data === 'string' ? JSON.parse(row.data) : row.data).actionItemId,
      );
      expect(client.envelopes.map(actionItemIdOf)).toEqual(stored);
    });
  });

  describe('need to know on the live channel', () => {
    it('shows police and the NGO the same case-summary change differently, and never any section text', async () => {
      const w = await world();
      const prosecutor = await live.person(w.taskForce, MEMBER, ORGANISED_CRIME_PROSECUTION);
      const court = await live.person(w.taskForce, OBSERVER, COURT);
      const police = await live.connect(w.police.token);
      const ngo = await live.connect(w.ngo.token);
      const observer = await live.connect(court.token);
      await police.joined({ taskForceId: w.tf });
      await observer.joined({ taskForceId: w.tf });
      // The client cannot pick its audience or its room: extra fields are ignored, the NGO stays the NGO.
      expect(
        await ngo.send('room.join', {
          taskForceId: w.tf,
          audience: 'POLICE',
          room: `task-force:${w.tf}:POLICE.${w.police.member.agency.id}`,
          agencyKind: 'POLICE',
        }),
      ).toEqual({ ok: true, cursor: 0 });

      const summary = await live.createCaseSummary(w.coordinator.token, w.tf, {
        overview: OVERVIEW_TEXT,
        investigation: INVESTIGATION_MARKER,
      });
      await live.updateCaseSummary(w.police.token, summary.id, 1, {
        sections: { investigation: `${INVESTIGATION_MARKER} and two new leads` },
      });
      await live.updateCaseSummary(prosecutor.token, summary.id, 2, { sections: { prosecution: PROSECUTION_MARKER } });
      await live.updateCaseSummary(w.ngo.token, summary.id, 3, {
        sections: { victimSupport: SUPPORT_MARKER },
        counts: { victims: 4 },
      });
      for (const client of [police, ngo, observer]) await client.waitForCursor(w.tf, 4);

      const fact = (cursor: number, type: string, version: number, changed: string[]) => ({
        type,
        taskForceId: w.tf,
        cursor,
        at: expect.stringMatching(ISO),
        actorId: expect.any(String),
        data: { caseSummaryId: summary.id, caseCode: summary.caseCode, version, changed },
      });
      expect(police.envelopes).toEqual([
        fact(1, 'caseSummary.created', 1, ['caseCode', 'stage', 'OVERVIEW', 'INVESTIGATION']),
        fact(2, 'caseSummary.updated', 2, ['INVESTIGATION']),
        fact(3, 'caseSummary.updated', 3, ['PROSECUTION']),
        fact(4, 'caseSummary.updated', 4, ['counts']),
      ]);
      expect(ngo.envelopes).toEqual([
        fact(1, 'caseSummary.created', 1, ['caseCode', 'stage', 'OVERVIEW']),
        fact(2, 'caseSummary.updated', 2, []),
        fact(3, 'caseSummary.updated', 3, []),
        fact(4, 'caseSummary.updated', 4, ['counts', 'VICTIM_SUPPORT']),
      ]);
      expect(observer.envelopes).toEqual([
        fact(1, 'caseSummary.created', 1, ['caseCode', 'stage', 'OVERVIEW']),
        fact(2, 'caseSummary.updated', 2, []),
        fact(3, 'caseSummary.updated', 3, ['PROSECUTION']),
        fact(4, 'caseSummary.updated', 4, ['counts']),
      ]);

      const ngoSaw = JSON.stringify(ngo.received);
      for (const secret of ['INVMARKER', 'PROSMARKER', 'INVESTIGATION', 'PROSECUTION', 'surveillance', 'indictment'])
        expect(ngoSaw).not.toContain(secret);
      const policeSaw = JSON.stringify(police.received);
      for (const secret of ['SUPMARKER', 'VICTIM_SUPPORT', 'shelter']) expect(policeSaw).not.toContain(secret);
      // Section text reaches nobody over the live channel, whatever they may read through GraphQL.
      for (const client of [police, ngo, observer]) {
        for (const text of [OVERVIEW_TEXT, INVESTIGATION_MARKER, PROSECUTION_MARKER, SUPPORT_MARKER])
          expect(JSON.stringify(client.received)).not.toContain(text);
      }
    });

    it('redacts catch-up from the database exactly as it redacted the live events', async () => {
      const w = await world();
      const liveNgo = await live.connect(w.ngo.token);
      await liveNgo.joined({ taskForceId: w.tf });
      const steps = await live.everyKind(w.coordinator, w.tf, w.police.member, texts);
      await liveNgo.waitForCursor(w.tf, steps.length);

      const late = await live.connect(w.ngo.token);
      expect(await late.join({ taskForceId: w.tf, after: 0 })).toEqual({ ok: true, cursor: steps.length });
      expect(late.envelopes).toEqual(liveNgo.envelopes);
      expect(late.cursors(w.tf)).toEqual(range(1, steps.length));
      const saw = JSON.stringify(late.received);
      expect(saw).not.toContain('INVMARKER');
      expect(saw).not.toContain('INVESTIGATION');
      // Meeting and action-item content is for the whole task force: it is there.
      expect(saw).toContain(texts.note);
      expect(saw).toContain(texts.decision);
    });
  });

  describe('a meeting room', () => {
    it("receives only that meeting's events (cursors then skip), and catches up on only those", async () => {
      const w = await world();
      const token = w.coordinator.token;
      const one = await live.scheduleMeeting(token, w.tf); // 1
      const two = await live.scheduleMeeting(token, w.tf); // 2
      const inMeeting = await live.connect(w.police.token);
      const inTaskForce = await live.connect(w.ngo.token);
      expect(await inMeeting.join({ meetingId: one.id })).toEqual({ ok: true, cursor: 2 });
      await inTaskForce.joined({ taskForceId: w.tf });

      await live.startMeeting(token, one.id); // 3 one
      await live.startMeeting(token, two.id); // 4
      await live.addMinuteNote(token, two.id, two.agenda[0].id, 'Note of the other meeting'); // 5
      await live.createCaseSummary(token, w.tf, { overview: OVERVIEW_TEXT }); // 6
      await live.addMinuteNote(token, one.id, one.agenda[0].id, 'Note of this meeting'); // 7 one
      const item = await live.createActionItem(token, w.tf, {
        assigneeMemberId: w.police.member.id,
        meetingId: one.id,
      }); // 8 one
      await anEvent(w); // 9
      await live.createActionItem(token, w.tf, { assigneeMemberId: w.police.member.id, meetingId: two.id }); // 10
      await live.advanceAgenda(token, one.id); // 11 one
      await live.addMembership(token, w.tf, (await live.identity.member()).email, MEMBER); // 12
      await live.commentOnActionItem(token, item.id, 'Booked'); // 13 one
      await live.endMeeting(token, two.id); // 14

      await inTaskForce.waitForCursor(w.tf, 14);
      await inMeeting.waitForCursor(w.tf, 13);
      await sleep(200);
      expect(inTaskForce.cursors(w.tf)).toEqual(range(3, 14)); // joined at 2, without "after"
      expect(inMeeting.envelopes.map((e) => [e.cursor, e.type])).toEqual([
        [3, 'meeting.started'],
        [7, 'meeting.noteAdded'],
        [8, 'actionItem.created'],
        [11, 'meeting.agendaAdvanced'],
        [13, 'actionItem.commented'],
      ]);
      expect(JSON.stringify(inMeeting.received)).not.toContain(two.id);
      expect(JSON.stringify(inMeeting.received)).not.toContain('Note of the other meeting');
      expect(inMeeting.named('presence.changed')).toEqual([
        { taskForceId: w.tf, meetingId: one.id, changes: [{ memberId: w.police.member.id, online: true }] },
      ]);

      const late = await live.connect(w.ngo.token);
      expect(await late.join({ meetingId: one.id, after: 0 })).toEqual({ ok: true, cursor: 14 });
      expect(late.cursors(w.tf)).toEqual([1, 3, 7, 8, 11, 13]);
      const fromSeven = await live.connect(w.ngo.token);
      expect(await fromSeven.join({ meetingId: one.id, after: 7 })).toEqual({ ok: true, cursor: 14 });
      expect(fromSeven.cursors(w.tf)).toEqual([8, 11, 13]);
    });
  });

  describe('catch-up', () => {
    it.each([
      ['alone in the room', 'none'],
      ['while a member of another agency stays connected', 'other-audience'],
      ['while another member of the same agency stays connected', 'same-audience'],
    ])(
      'reconnecting %s with after = the last cursor seen gets exactly what it missed, in order, then live events',
      async (_, companion) => {
        const w = await world();
        if (companion !== 'none') {
          const stays = await live.connect(
            companion === 'same-audience' ? (await live.person(w.taskForce, MEMBER, POLICE)).token : w.ngo.token,
          );
          await stays.joined({ taskForceId: w.tf });
        }
        const first = await live.connect(w.police.token);
        await first.joined({ taskForceId: w.tf });
        for (let i = 0; i < 3; i++) await anEvent(w);
        await first.waitForCursor(w.tf, 3);
        const last = Math.max(...first.cursors(w.tf));
        first.close();

        // Mutations continue while it is away: every kind, so the replay carries meetings, summaries and memberships.
        const missed = await live.everyKind(w.coordinator, w.tf, w.police.member, texts);
        const upTo = last + missed.length;

        const again = await live.connect(w.police.token);
        expect(await again.join({ taskForceId: w.tf, after: last })).toEqual({ ok: true, cursor: upTo });
        // Everything missed came before the acknowledgement, from the database, in order.
        expect(again.cursors(w.tf)).toEqual(range(last + 1, upTo));
        expect(again.envelopes.map((e) => e.type)).toEqual(missed.map((s) => s.type));
        expect(again.envelopes.map((e) => e.data)).toEqual(missed.map((s) => s.data));

        for (let i = 0; i < 3; i++) await anEvent(w);
        await again.waitForCursor(w.tf, upTo + 3);
        await sleep(200);
        expect([...first.cursors(w.tf), ...again.cursors(w.tf)]).toEqual(range(1, upTo + 3));
      },
    );

    it('loses nothing and repeats nothing when a client reconnects again and again while mutations keep coming', async () => {
      const w = await world();
      let producing = true;
      let failures = 0;
      const producer = (async () => {
        while (producing) await anEvent(w).catch(() => failures++);
      })();
      const perConnection: number[][] = [];
      let last = 0;
      try {
        for (let cycle = 0; cycle < 6; cycle++) {
          const client = await live.connect(w.police.token);
          const ack = await client.join({ taskForceId: w.tf, after: last });
          expect(ack).toMatchObject({ ok: true });
          // Stay for a few live events, then drop the connection.
          await client.waitForCursor(w.tf, Math.max(last, (ack as { cursor: number }).cursor) + 3, 10_000);
          client.close();
          const seen = client.cursors(w.tf);
          perConnection.push(seen);
          last = seen[seen.length - 1];
          await sleep(cycle * 20);
        }
      } finally {
        producing = false;
        await producer;
      }
      const stored = await live.storedCursors(w.tf);
      const final = await live.connect(w.police.token);
      await final.joined({ taskForceId: w.tf, after: last });
      perConnection.push(final.cursors(w.tf));

      expect(failures).toBe(0);
      perConnection.forEach((seen, index) =>
        expect({ connection: index, seen }).toEqual({ connection: index, seen: range(seen[0], seen[seen.length - 1]) }),
      );
      expect(perConnection.flat()).toEqual(range(1, stored.length));
      expect(stored).toEqual(range(1, stored.length));
    });

    it.each([
      ['the only socket of the task force', false],
      ['one socket among others of other agencies', true],
    ])(
      'keeps delivering live events to %s after it joins the same task force room again (to resync with "after")',
      async (_, company) => {
        const w = await world();
        if (company) await (await live.connect(w.ngo.token)).joined({ taskForceId: w.tf });
        const client = await live.connect(w.police.token);
        await client.joined({ taskForceId: w.tf });
        await anEvent(w);
        await client.waitForCursor(w.tf, 1);
        // Joining the room it is already in, with the last cursor it saw: allowed, and nothing to replay.
        expect(await client.join({ taskForceId: w.tf, after: 1 })).toEqual({ ok: true, cursor: 1 });
        await anEvent(w);
        await anEvent(w);
        await waitUntil(() => client.cursors(w.tf).includes(3), 'live events after the re-join', {
          timeoutMs: 3_000,
        }).catch(() => undefined);
        expect({ cursors: client.cursors(w.tf), stored: await live.storedCursors(w.tf) }).toEqual({
          cursors: [1, 2, 3],
          stored: [1, 2, 3],
        });
      },
    );

    it('keeps delivering live events to the only socket of a meeting room after it joins that room again', async () => {
      const w = await world();
      const meeting = await live.scheduleMeeting(w.coordinator.token, w.tf); // 1
      const client = await live.connect(w.ngo.token);
      await client.joined({ meetingId: meeting.id });
      expect(await client.join({ meetingId: meeting.id, after: 1 })).toEqual({ ok: true, cursor: 1 });
      await live.startMeeting(w.coordinator.token, meeting.id); // 2
      await waitUntil(() => client.cursors(w.tf).includes(2), 'meeting.started after the re-join', {
        timeoutMs: 3_000,
      }).catch(() => undefined);
      expect(client.cursors(w.tf)).toEqual([2]);
    });

    it('answers CURSOR_EXPIRED when what the client missed is no longer kept, and replays from the oldest kept event', async () => {
      const w = await world();
      for (let i = 0; i < 5; i++) await anEvent(w);
      await app
        .em()
        .getConnection()
        .execute('delete from domain_event where task_force_id = ? and cursor <= ?', [w.tf, 2]);

      const client = await live.connect(w.police.token);
      for (const after of [0, 1]) {
        expect(await client.join({ taskForceId: w.tf, after })).toEqual({
          ok: false,
          error: { code: 'CURSOR_EXPIRED', message: expect.stringMatching(/older than the hub keeps/) },
        });
      }
      expect(
        await client.join({ meetingId: (await live.scheduleMeeting(w.coordinator.token, w.tf)).id, after: 0 }),
      ).toMatchObject({ ok: false, error: { code: 'CURSOR_EXPIRED' } });
      // A refused catch-up does not leave the socket in the room.
      await anEvent(w); // 7
      await sleep(300);
      expect(client.envelopes).toEqual([]);

      expect(await client.join({ taskForceId: w.tf, after: 2 })).toEqual({ ok: true, cursor: 7 });
      expect(client.cursors(w.tf)).toEqual([3, 4, 5, 6, 7]);
      // Joining without "after" (after reloading through GraphQL) always works.
      const fresh = await live.connect(w.police.token);
      expect(await fresh.join({ taskForceId: w.tf })).toEqual({ ok: true, cursor: 7 });
      expect(fresh.envelopes).toEqual([]);
    });

    it('refuses an "after" ahead of the task force with BAD_USER_INPUT, and accepts after = the current cursor', async () => {
      const w = await world();
      const client = await live.connect(w.police.token);
      expect(await client.join({ taskForceId: w.tf, after: 1 })).toMatchObject({
        ok: false,
        error: { code: 'BAD_USER_INPUT', field: 'after', message: expect.stringMatching(/latest is 0/) },
      });
      for (let i = 0; i < 3; i++) await anEvent(w);
      expect(await client.join({ taskForceId: w.tf, after: 4 })).toMatchObject({
        ok: false,
        error: { code: 'BAD_USER_INPUT', field: 'after', message: expect.stringMatching(/latest is 3/) },
      });
      expect(await client.join({ taskForceId: w.tf, after: 1_000_000 })).toMatchObject({
        ok: false,
        error: { code: 'BAD_USER_INPUT', field: 'after' },
      });
      expect(await client.join({ taskForceId: w.tf, after: 3 })).toEqual({ ok: true, cursor: 3 });
      expect(client.envelopes).toEqual([]);
      await anEvent(w);
      await client.waitForCursor(w.tf, 4);
      expect(client.cursors(w.tf)).toEqual([4]);
    });
  });

  describe('input checks', () => {
    it('answers BAD_USER_INPUT for payloads that name no room, two rooms or no valid id, and the socket stays usable', async () => {
      const w = await world();
      const client = await live.connect(w.police.token);
      const cases: [string, unknown][] = [
        ['no target', {}],
        ['both targets', { taskForceId: w.tf, meetingId: w.tf }],
        ['a non-UUID task force', { taskForceId: 'task-force-1' }],
        ['a non-UUID meeting', { meetingId: "1' or '1'='1" }],
        ['a number as id', { taskForceId: 42 }],
        ['a negative after', { taskForceId: w.tf, after: -1 }],
        ['a fractional after', { taskForceId: w.tf, after: 1.5 }],
        ['after as text', { taskForceId: w.tf, after: '0' }],
        ['a room name instead of an id', { room: `task-force:${w.tf}:POLICE` }],
        ['null', null],
        ['a string', 'task-force'],
        ['an array', [w.tf]],
      ];
      for (const [what, payload] of cases) {
        for (const event of ['room.join', 'room.leave', 'presence.get']) {
          if (event !== 'room.join' && typeof payload === 'object' && payload && 'after' in payload) continue;
          const ack = await client.send(event, payload);
          expect({ what, event, ack }).toMatchObject({
            what,
            event,
            ack: { ok: false, error: { code: 'BAD_USER_INPUT', message: expect.any(String) } },
          });
        }
      }
      expect(client.connected).toBe(true);
      expect(await client.join({ taskForceId: w.tf })).toEqual({ ok: true, cursor: 0 });
      await anEvent(w);
      await client.waitForCursor(w.tf, 1);
    });

    it('answers a message without any payload with an error acknowledgement, not silence', async () => {
      const w = await world();
      const client = await live.connect(w.police.token);
      const ack = await client.send('room.join');
      expect(ack).toMatchObject({ ok: false, error: { code: 'BAD_USER_INPUT' } });
      expect(await client.join({ taskForceId: w.tf })).toEqual({ ok: true, cursor: 0 });
    });

    it('answers NOT_FOUND for a task force or meeting that does not exist', async () => {
      const w = await world();
      const client = await live.connect(w.police.token);
      const missing = '00000000-0000-4000-8000-000000000000';
      expect(await client.join({ taskForceId: missing })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
      expect(await client.join({ meetingId: missing })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
      expect(await client.leave({ taskForceId: w.tf })).toMatchObject({ ok: false, error: { code: 'BAD_USER_INPUT' } }); // not in it
    });
  });

  describe('presence', () => {
    it('lists who is connected in a task force room and a meeting room, and tells the room when someone leaves or drops', async () => {
      const w = await world();
      const meeting = await live.scheduleMeeting(w.coordinator.token, w.tf);
      const police = await live.connect(w.police.token);
      const ngo = await live.connect(w.ngo.token);
      await police.joined({ taskForceId: w.tf });
      await ngo.joined({ taskForceId: w.tf });
      await police.waitForPresence({ taskForceId: w.tf }, on(w.ngo));
      expect(await police.present({ taskForceId: w.tf })).toEqual(
        [
          { memberId: w.police.member.id, connections: 1 },
          { memberId: w.ngo.member.id, connections: 1 },
        ].sort((a, b) => a.memberId.localeCompare(b.memberId)),
      );

      // A second connection of the same member counts as one member with two connections.
      const policeAgain = await live.connect(w.police.token);
      await policeAgain.joined({ taskForceId: w.tf });
      expect((await ngo.present({ taskForceId: w.tf })).find((m) => m.memberId === w.police.member.id)).toEqual({
        memberId: w.police.member.id,
        connections: 2,
      });
      policeAgain.close();
      await waitUntil(
        async () =>
          (await ngo.present({ taskForceId: w.tf })).find((m) => m.memberId === w.police.member.id)?.connections === 1,
        'one police connection',
      );

      // Leaving the room.
      expect(await ngo.leave({ taskForceId: w.tf })).toEqual({ ok: true });
      expect(await police.waitForPresence({ taskForceId: w.tf }, off(w.ngo))).toEqual({
        taskForceId: w.tf,
        meetingId: null,
        changes: expect.arrayContaining([off(w.ngo)]),
      });
      // Batched or not, the room was told of every connection that came and went, in order.
      expect(police.presenceChanges({ taskForceId: w.tf })).toEqual([
        on(w.police),
        on(w.ngo),
        on(w.police),
        off(w.police),
        off(w.ngo),
      ]);
      expect(await police.present({ taskForceId: w.tf })).toEqual([{ memberId: w.police.member.id, connections: 1 }]);
      // Someone who left receives nothing more from the room.
      await anEvent(w);
      await police.waitForCursor(w.tf, 1);
      await sleep(200);
      expect(ngo.envelopes).toEqual([]);

      // A meeting room has its own presence.
      await police.joined({ meetingId: meeting.id });
      await ngo.joined({ meetingId: meeting.id });
      await police.waitForPresence({ taskForceId: w.tf, meetingId: meeting.id }, on(w.ngo));
      expect((await police.present({ meetingId: meeting.id })).map((m) => m.memberId).sort()).toEqual(
        [w.police.member.id, w.ngo.member.id].sort(),
      );
      expect(await ngo.present({ taskForceId: w.tf })).toEqual([{ memberId: w.police.member.id, connections: 1 }]);

      // Dropping the connection counts as leaving every room.
      ngo.close();
      expect(await police.waitForPresence({ taskForceId: w.tf, meetingId: meeting.id }, off(w.ngo))).toEqual({
        taskForceId: w.tf,
        meetingId: meeting.id,
        changes: expect.arrayContaining([off(w.ngo)]),
      });
      expect(police.presenceChanges({ taskForceId: w.tf, meetingId: meeting.id })).toEqual([
        on(w.police),
        on(w.ngo),
        off(w.ngo),
      ]);
      expect(await police.present({ meetingId: meeting.id })).toEqual([
        { memberId: w.police.member.id, connections: 1 },
      ]);
    });

    it('tells a room of a mass join in batches, at most one message per 250 ms in a room this small, each change once', async () => {
      const w = await world();
      const people = await Promise.all(range(1, 30).map(() => live.person(w.taskForce, MEMBER, POLICE)));
      const clients = await Promise.all(people.map((person) => live.connect(person.token)));
      const observer = await live.connect(w.police.token);
      await observer.joined({ taskForceId: w.tf });
      await observer.waitForPresence({ taskForceId: w.tf }, on(w.police));
      const started = Date.now();
      await Promise.all(clients.map((client) => client.joined({ taskForceId: w.tf })));
      const joinedIn = Date.now() - started;
      await observer.waitForPresence({ taskForceId: w.tf }, on(people[people.length - 1]));
      await waitUntil(
        () => observer.presenceChanges({ taskForceId: w.tf }).length === 31,
        'every join told to the observer',
        { state: () => observer.presenceChanges({ taskForceId: w.tf }).length },
      );
      await sleep(600); // two intervals: anything still waiting has gone out, and nothing more comes

      // The observer was told of every join once, in as many messages as 250 ms intervals went by (or fewer).
      const told = observer.presenceChanges({ taskForceId: w.tf });
      expect(
        told
          .slice(1)
          .map((c) => c.memberId)
          .sort(),
      ).toEqual(people.map((p) => p.member.id).sort());
      expect(told.every((c) => c.online)).toBe(true);
      const batches = observer.presenceBatches({ taskForceId: w.tf }).length - 1; // less its own arrival
      expect(batches).toBeLessThanOrEqual(Math.ceil(joinedIn / 250) + 2);
      // Every joiner heard of joins at most once each, never of anyone leaving.
      for (const client of clients) {
        const heard = client.presenceChanges({ taskForceId: w.tf });
        expect(heard.every((c) => c.online)).toBe(true);
        expect(new Set(heard.map((c) => c.memberId)).size).toBe(heard.length);
      }
      expect(await observer.present({ taskForceId: w.tf })).toHaveLength(31);
    });
  });

  describe('when access ends', () => {
    it('takes a removed member out of the rooms within seconds; the others keep receiving', async () => {
      const w = await world();
      const meeting = await live.scheduleMeeting(w.coordinator.token, w.tf); // 1
      const removed = await live.connect(w.police.token);
      const stays = await live.connect(w.ngo.token);
      await removed.joined({ taskForceId: w.tf });
      await removed.joined({ meetingId: meeting.id });
      await stays.joined({ taskForceId: w.tf });

      await live.removeMembership(w.coordinator.token, w.police.membership!.id); // 2
      const leftRooms = async () => removed.named('room.left').length === 2;
      const started = Date.now();
      await waitUntil(leftRooms, 'room.left for both rooms', { timeoutMs: 5_000, state: () => removed.received });
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(removed.named('room.left')).toEqual(
        expect.arrayContaining([
          { taskForceId: w.tf, meetingId: null, code: 'FORBIDDEN', message: expect.any(String) },
          { taskForceId: w.tf, meetingId: meeting.id, code: 'FORBIDDEN', message: expect.any(String) },
        ]),
      );
      const cursorAtRemoval = Math.max(0, ...removed.cursors(w.tf));
      expect(cursorAtRemoval).toBeLessThanOrEqual(2);

      await live.startMeeting(w.coordinator.token, meeting.id); // 3
      await anEvent(w); // 4
      await live.addMinuteNote(w.coordinator.token, meeting.id, meeting.agenda[0].id, 'After the removal'); // 5
      await stays.waitForCursor(w.tf, 5);
      await sleep(300);
      expect(stays.cursors(w.tf)).toEqual(range(2, 5)); // joined at 1
      expect(removed.cursors(w.tf).filter((c) => c > 2)).toEqual([]);
      expect(JSON.stringify(removed.received)).not.toContain('After the removal');
      expect(removed.connected).toBe(true); // still signed in: only the rooms are gone
      expect(await removed.join({ taskForceId: w.tf })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
      expect(await removed.join({ meetingId: meeting.id, after: 0 })).toMatchObject({
        ok: false,
        error: { code: 'NOT_FOUND' },
      });
      expect((await stays.present({ taskForceId: w.tf })).map((m) => m.memberId)).toEqual([w.ngo.member.id]);
    });

    it('takes a removed member out of a meeting room within seconds even when no one is in the task force room', async () => {
      const w = await world();
      const meeting = await live.scheduleMeeting(w.coordinator.token, w.tf); // 1
      await live.startMeeting(w.coordinator.token, meeting.id); // 2
      const removed = await live.connect(w.police.token);
      const stays = await live.connect(w.ngo.token);
      await removed.joined({ meetingId: meeting.id });
      await stays.joined({ meetingId: meeting.id });

      await live.removeMembership(w.coordinator.token, w.police.membership!.id); // 3
      // Give it the few seconds the contract allows (no failure here: the outcome is asserted below, in full).
      await waitUntil(() => removed.named('room.left').length > 0, 'room.left', { timeoutMs: 5_000 }).catch(
        () => undefined,
      );

      await live.addMinuteNote(w.coordinator.token, meeting.id, meeting.agenda[0].id, 'Said after the removal'); // 4
      await stays.waitForCursor(w.tf, 4);
      await sleep(300);
      expect({
        roomLeft: removed.named('room.left'),
        eventsAfterRemoval: removed.envelopes.filter((e) => e.cursor > 3).map((e) => e.type),
        presence: (await stays.present({ meetingId: meeting.id })).map((m) => m.memberId),
      }).toEqual({
        roomLeft: [{ taskForceId: w.tf, meetingId: meeting.id, code: 'FORBIDDEN', message: expect.any(String) }],
        eventsAfterRemoval: [],
        presence: [w.ngo.member.id],
      });
    });

    it('does not let a member removed while connected (in no room of the task force) join it afterwards on that connection', async () => {
      const w = await world();
      await anEvent(w); // 1: history a catch-up could replay
      const removed = await live.connect(w.police.token); // connected, in no room of the task force yet
      await live.removeMembership(w.coordinator.token, w.police.membership!.id); // 2
      await sleep(300);

      const acks = {
        join: await removed.join({ taskForceId: w.tf }),
        catchUp: await removed.join({ taskForceId: w.tf, after: 0 }),
        presence: await removed.presence({ taskForceId: w.tf }),
      };
      await anEvent(w); // 3
      await sleep(300);
      expect({ acks, received: removed.envelopes.map((e) => [e.cursor, e.type]) }).toEqual({
        acks: {
          join: { ok: false, error: expect.objectContaining({ code: 'NOT_FOUND' }) },
          catchUp: { ok: false, error: expect.objectContaining({ code: 'NOT_FOUND' }) },
          presence: { ok: false, error: expect.objectContaining({ code: 'NOT_FOUND' }) },
        },
        received: [],
      });
    });

    it("ends the connections of a disabled member (session.ended, then disconnect) and no one else's", async () => {
      const w = await world();
      const admin = await live.identity.signedIn(null, MEMBER, { admin: true });
      const disabled = await live.connect(w.police.token);
      const secondDevice = await live.connect(await live.secondSession(w.police.member));
      const stays = await live.connect(w.ngo.token);
      for (const client of [disabled, secondDevice, stays]) await client.joined({ taskForceId: w.tf });

      const started = Date.now();
      await live.disableMember(admin.token, w.police.member.id);
      for (const client of [disabled, secondDevice]) {
        expect(await client.waitForEvent('session.ended')).toEqual({
          code: 'UNAUTHENTICATED',
          message: expect.stringMatching(/disabled/i),
        });
        expect(await client.waitForDisconnect()).toBe('io server disconnect');
      }
      expect(Date.now() - started).toBeLessThan(5_000);
      await expect(live.connect(w.police.token)).rejects.toMatchObject({ data: { code: 'UNAUTHENTICATED' } });

      expect(stays.connected).toBe(true);
      expect(stays.named('session.ended')).toEqual([]);
      await anEvent(w);
      await stays.waitForCursor(w.tf, 1);
      await waitUntil(
        async () => (await stays.present({ taskForceId: w.tf })).length === 1,
        'presence without the disabled member',
      );
    });

    it('ends the socket of the session that logged out, and keeps another session of the same member', async () => {
      const w = await world();
      const laptop = await live.connect(w.police.token);
      const phoneToken = await live.secondSession(w.police.member);
      const phone = await live.connect(phoneToken);
      await laptop.joined({ taskForceId: w.tf });
      await phone.joined({ taskForceId: w.tf });

      expect(await live.logout(w.police.token)).toBe(true);
      expect(await laptop.waitForEvent('session.ended')).toEqual({
        code: 'UNAUTHENTICATED',
        message: expect.any(String),
      });
      expect(await laptop.waitForDisconnect()).toBe('io server disconnect');
      await expect(live.connect(w.police.token)).rejects.toMatchObject({ data: { code: 'UNAUTHENTICATED' } });

      await anEvent(w);
      await phone.waitForCursor(w.tf, 1);
      expect(phone.connected).toBe(true);
      expect(phone.named('session.ended')).toEqual([]);
      expect(laptop.envelopes).toEqual([]);
    });
  });

  describe('per-socket limits', () => {
    it('answers a burst over the rate with RATE_LIMITED, and the socket recovers once it slows down', async () => {
      const w = await world();
      const client = await live.connect(w.police.token);
      const acks = await Promise.all(range(1, 60).map(() => client.presence({ taskForceId: w.tf })));
      const limited = acks.filter((ack) => !ack.ok && ack.error.code === 'RATE_LIMITED');
      expect(acks.filter((ack) => ack.ok).length).toBeGreaterThanOrEqual(40);
      expect(limited.length).toBeGreaterThan(0);
      expect(limited[0]).toEqual({
        ok: false,
        error: { code: 'RATE_LIMITED', message: expect.stringMatching(/slow down/i) },
      });
      expect(client.connected).toBe(true);
      await sleep(1_100);
      expect(await client.presence({ taskForceId: w.tf })).toMatchObject({ ok: true });
    });

    it('disconnects a socket that keeps flooding, while another member keeps working', async () => {
      const w = await world();
      const flooder = await live.connect(w.police.token);
      const bystander = await live.connect(w.ngo.token);
      await bystander.joined({ taskForceId: w.tf });

      let bystanderOk = 0;
      let bystanderFailed = 0;
      let polling = true;
      const poll = (async () => {
        while (polling) {
          const ack = await bystander.presence({ taskForceId: w.tf }).catch(() => null);
          if (ack?.ok) bystanderOk++;
          else bystanderFailed++;
          await sleep(100);
        }
      })();

      const settled = await Promise.allSettled(range(1, 200).map(() => flooder.presence({ taskForceId: w.tf })));
      const answered = settled
        .filter((s): s is PromiseFulfilledResult<Ack> => s.status === 'fulfilled')
        .map((s) => s.value);
      expect(answered.filter((ack) => ack.ok).length).toBeGreaterThan(0);
      expect(answered.some((ack) => !ack.ok && ack.error.code === 'RATE_LIMITED')).toBe(true);
      // It keeps flooding: it is dropped.
      const deadline = Date.now() + 5_000;
      while (flooder.connected && Date.now() < deadline) {
        for (let i = 0; i < 50; i++) flooder.socket.emit('presence.get', { taskForceId: w.tf }, () => undefined);
        await sleep(5);
      }
      expect(await flooder.waitForDisconnect(1_000)).toBe('io server disconnect');

      await anEvent(w);
      await bystander.waitForCursor(w.tf, 1);
      await sleep(300);
      polling = false;
      await poll;
      expect(bystanderFailed).toBe(0);
      expect(bystanderOk).toBeGreaterThan(0);
      // The same member may connect again (the limit is per socket), and the API still answers.
      const back = await live.connect(w.police.token);
      expect(await back.presence({ taskForceId: w.tf })).toMatchObject({ ok: true });
    });

    it('disconnects a persistent flood at a steady 25 times the allowed rate', async () => {
      const w = await world();
      const flooder = await live.connect(w.police.token);
      // 500 messages a second for up to 6 s: far over 20/s, but slow enough that a token is regained every 50 ms.
      let sent = 0;
      let refused = 0;
      let answered = 0;
      const started = Date.now();
      while (flooder.connected && Date.now() - started < 6_000) {
        for (let i = 0; i < 5; i++) {
          sent++;
          flooder.socket.emit('presence.get', { taskForceId: w.tf }, (ack: Ack) =>
            ack.ok ? answered++ : ack.error.code === 'RATE_LIMITED' && refused++,
          );
        }
        await sleep(10);
      }
      const seconds = (Date.now() - started) / 1000;
      expect(refused).toBeGreaterThan(sent / 2); // it is a flood, and the server knows it
      // On failure the message says how long, how fast, and what the server answered.
      const outcome = flooder.connected
        ? `still connected after ${seconds.toFixed(1)} s of flood: ${sent} messages (~${Math.round(sent / seconds)}/s), ${refused} refused RATE_LIMITED, ${answered} answered`
        : 'disconnected';
      expect(outcome).toBe('disconnected');
    });

    it('drops a socket that sends more than 64 KB in one message, and keeps serving the others', async () => {
      const w = await world();
      const offender = await live.connect(w.police.token);
      const bystander = await live.connect(w.ngo.token);
      await bystander.joined({ taskForceId: w.tf });

      // Just under the ceiling: an ordinary refusal, the connection stays.
      expect(await offender.send('room.join', { taskForceId: 'x'.repeat(60 * 1024) })).toMatchObject({
        ok: false,
        error: { code: 'BAD_USER_INPUT' },
      });
      expect(offender.connected).toBe(true);

      offender.socket.emit('room.join', { taskForceId: w.tf, padding: 'x'.repeat(70 * 1024) }, () => undefined);
      const reason = await offender.waitForDisconnect();
      expect(['transport close', 'transport error', 'io server disconnect']).toContain(reason);

      expect(await bystander.presence({ taskForceId: w.tf })).toMatchObject({ ok: true });
      await anEvent(w);
      await bystander.waitForCursor(w.tf, 1);
      const again = await live.connect(w.police.token);
      expect(await again.join({ taskForceId: w.tf, after: 0 })).toEqual({ ok: true, cursor: 1 });
      expect(again.cursors(w.tf)).toEqual([1]);
    });
  });
});

describe('live rooms: an access token that expires', () => {
  let app: TestApp;
  let live: LiveFactory;

  beforeAll(async () => {
    app = await startTestApp({ ACCESS_TOKEN_TTL_SECONDS: '10' });
    live = new LiveFactory(app);
  });
  afterAll(async () => {
    live.closeAll();
    await app.close();
  });

  it('ends the connection when its token expires (session.ended, then disconnect, within ~11 s), and refuses the expired token', async () => {
    const taskForce = await live.identity.taskForce();
    const coordinator = await live.person(taskForce, COORDINATOR, POLICE);
    const signedInAt = Date.now();
    const member = await live.person(taskForce, MEMBER, VICTIM_SUPPORT_NGO);
    const client = await live.connect(member.token);
    await client.joined({ taskForceId: taskForce.id });
    await live.createActionItem(coordinator.token, taskForce.id, { assigneeMemberId: member.member.id });
    await client.waitForCursor(taskForce.id, 1);

    expect(await client.waitForEvent('session.ended', () => true, 13_000)).toEqual({
      code: 'UNAUTHENTICATED',
      message: expect.stringMatching(/expired/i),
    });
    const endedAfter = Date.now() - signedInAt;
    expect(await client.waitForDisconnect(2_000)).toBe('io server disconnect');
    expect(endedAfter).toBeGreaterThan(8_000);
    expect(endedAfter).toBeLessThanOrEqual(11_000);

    await expect(live.connect(member.token)).rejects.toMatchObject({
      data: { code: 'UNAUTHENTICATED', message: expect.any(String) },
    });
  }, 30_000);
});

describe('presence on two instances sharing the database and Redis', () => {
  let db: ScratchDatabase;
  let redis: RedisServer;
  let one: TestApp;
  let two: TestApp;
  let liveOne: LiveFactory;
  let liveTwo: LiveFactory;

  beforeAll(async () => {
    db = await scratchDatabase();
    // A Redis of this suite's own, so no other suite's instances answer this adapter's requests.
    redis = await redisServer();
    one = await startTestApp({ REDIS_URL: redis.url }, db);
    two = await startTestApp({ REDIS_URL: redis.url, MIGRATE_ON_START: 'false' }, db);
    liveOne = new LiveFactory(one);
    liveTwo = new LiveFactory(two);
  });
  afterAll(async () => {
    liveOne?.closeAll();
    liveTwo?.closeAll();
    await two?.close();
    await one?.close();
    await db?.drop();
    await redis?.dispose();
  });

  it("tells a room on one instance of the other instance's arrivals and departures, and lists who is online on both", async () => {
    const taskForce = await liveOne.identity.taskForce();
    const tf = taskForce.id;
    const police = await liveOne.person(taskForce, MEMBER, POLICE);
    const ngo = await liveOne.person(taskForce, MEMBER, VICTIM_SUPPORT_NGO);
    const onOne = await liveOne.connect(police.token);
    await onOne.joined({ taskForceId: tf });
    const onTwo = await liveTwo.connect(ngo.token);
    await onTwo.joined({ taskForceId: tf });
    const again = await liveTwo.connect(ngo.token);
    await again.joined({ taskForceId: tf });

    // Instance two's batch reaches the socket on instance one.
    await onOne.waitForPresence({ taskForceId: tf }, on(ngo));
    await waitUntil(() => onOne.presenceChanges({ taskForceId: tf }).length === 3, 'both ngo connections told');
    const byMember = (entries: { memberId: string; connections: number }[]) =>
      Object.fromEntries(entries.map((e) => [e.memberId, e.connections]));
    const everyone = { [police.member.id]: 1, [ngo.member.id]: 2 };
    expect(byMember(await onOne.present({ taskForceId: tf }))).toEqual(everyone);
    expect(byMember(await onTwo.present({ taskForceId: tf }))).toEqual(everyone);

    // Departures on instance two, one by leaving and one by dropping, reach instance one.
    expect(await again.leave({ taskForceId: tf })).toEqual({ ok: true });
    onTwo.close();
    await waitUntil(() => onOne.presenceChanges({ taskForceId: tf }).length === 5, 'both departures told');
    expect(onOne.presenceChanges({ taskForceId: tf })).toEqual([on(police), on(ngo), on(ngo), off(ngo), off(ngo)]);
    expect(await onOne.present({ taskForceId: tf })).toEqual([{ memberId: police.member.id, connections: 1 }]);
  });
});

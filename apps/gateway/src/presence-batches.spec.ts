import type { PresenceChanged } from '@hub/contracts';
import { PRESENCE_PACING, PresenceBatches, presenceInterval } from './presence-batches';

describe('PresenceBatches: presence changes coalesced per room', () => {
  let sent: [string, PresenceChanged][];
  let batches: PresenceBatches;
  const tf = { taskForceId: 'tf-1' };
  const meeting = { taskForceId: 'tf-1', meetingId: 'm-1' };
  const on = (memberId: string) => ({ memberId, online: true });
  const off = (memberId: string) => ({ memberId, online: false });

  beforeEach(() => {
    jest.useFakeTimers();
    sent = [];
    // A room of one socket or none: the shortest interval, 250 ms.
    batches = new PresenceBatches(
      (room, batch) => sent.push([room, batch]),
      () => 1,
    );
  });
  afterEach(() => {
    batches.close();
    jest.useRealTimers();
  });

  it("sends a quiet room's first change at once, as a list of one", () => {
    batches.add('presence:tf', tf, on('a'));
    expect(sent).toEqual([['presence:tf', { taskForceId: 'tf-1', meetingId: null, changes: [on('a')] }]]);
  });

  it('sends what follows within the interval as one list, in order, when the interval ends', () => {
    batches.add('presence:tf', tf, on('a'));
    for (const member of ['b', 'c', 'd']) batches.add('presence:tf', tf, on(member));
    batches.add('presence:tf', tf, off('b'));
    expect(sent).toHaveLength(1);
    jest.advanceTimersByTime(249);
    expect(sent).toHaveLength(1);
    jest.advanceTimersByTime(1);
    expect(sent).toEqual([
      ['presence:tf', { taskForceId: 'tf-1', meetingId: null, changes: [on('a')] }],
      ['presence:tf', { taskForceId: 'tf-1', meetingId: null, changes: [on('b'), on('c'), on('d'), off('b')] }],
    ]);
  });

  it('sends at most one message per interval while changes keep coming: 1,000 joins over 1 s are 5 messages', () => {
    for (let i = 0; i < 1000; i++) {
      batches.add('presence:tf', tf, on(`m${i}`));
      jest.advanceTimersByTime(1);
    }
    jest.advanceTimersByTime(250);
    expect(sent.map(([, batch]) => batch.changes.length)).toEqual([1, 249, 250, 250, 250]);
    expect(sent.flatMap(([, batch]) => batch.changes.map((c) => c.memberId))).toEqual(
      Array.from({ length: 1000 }, (_, i) => `m${i}`),
    );
    // Quiet again: the next change goes out at once.
    jest.advanceTimersByTime(250);
    batches.add('presence:tf', tf, off('m0'));
    expect(sent.at(-1)).toEqual(['presence:tf', { taskForceId: 'tf-1', meetingId: null, changes: [off('m0')] }]);
  });

  it('keeps rooms apart: a meeting room has its own batch and its own meetingId', () => {
    batches.add('presence:tf', tf, on('a'));
    batches.add('presence:meeting', meeting, on('a'));
    batches.add('presence:tf', tf, on('b'));
    batches.add('presence:meeting', meeting, off('a'));
    jest.advanceTimersByTime(250);
    expect(sent).toEqual([
      ['presence:tf', { taskForceId: 'tf-1', meetingId: null, changes: [on('a')] }],
      ['presence:meeting', { taskForceId: 'tf-1', meetingId: 'm-1', changes: [on('a')] }],
      ['presence:tf', { taskForceId: 'tf-1', meetingId: null, changes: [on('b')] }],
      ['presence:meeting', { taskForceId: 'tf-1', meetingId: 'm-1', changes: [off('a')] }],
    ]);
  });

  it('on close sends what waits, leaves no timer, and sends later changes at once', () => {
    batches.add('presence:tf', tf, on('a'));
    batches.add('presence:tf', tf, off('a'));
    batches.close();
    expect(sent.map(([, batch]) => batch.changes)).toEqual([[on('a')], [off('a')]]);
    expect(jest.getTimerCount()).toBe(0);
    batches.add('presence:tf', tf, on('b'));
    batches.add('presence:tf', tf, off('b'));
    expect(sent.map(([, batch]) => batch.changes)).toEqual([[on('a')], [off('a')], [on('b')], [off('b')]]);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('waits longer in a larger room: 10 ms per socket of the room on this instance, from 250 ms up to 30 s', () => {
    expect([0, 1, 25, 26, 100, 1000, 3000, 50000].map((n) => presenceInterval(n))).toEqual([
      250, 250, 250, 260, 1000, 10000, 30000, 30000,
    ]);
    let size = 400;
    batches = new PresenceBatches(
      (room, batch) => sent.push([room, batch]),
      () => size,
    );
    batches.add('presence:tf', tf, on('a'));
    batches.add('presence:tf', tf, on('b'));
    jest.advanceTimersByTime(3999);
    expect(sent).toHaveLength(1);
    jest.advanceTimersByTime(1);
    expect(sent).toHaveLength(2);
    // Each gap is read from the room when a message has gone out.
    size = 10;
    batches.add('presence:tf', tf, on('c'));
    jest.advanceTimersByTime(3999);
    expect(sent).toHaveLength(2);
    jest.advanceTimersByTime(1);
    batches.add('presence:tf', tf, on('d'));
    jest.advanceTimersByTime(250);
    expect(sent.map(([, batch]) => batch.changes)).toEqual([[on('a')], [on('b')], [on('c')], [on('d')]]);
  });

  /**
   * N sockets join one room, one every `gapMs`; every socket in the room receives each message (it is in
   * the room before its own change is added, as in the gateway). Returns the messages all sockets received.
   */
  function massJoin(sockets: number, gapMs: number, pacing = PRESENCE_PACING): number {
    let joined = 0;
    let received = 0;
    const changes: string[] = [];
    const mass = new PresenceBatches(
      (_room, batch) => {
        received += joined;
        changes.push(...batch.changes.map((c) => c.memberId));
      },
      () => joined,
      pacing,
    );
    for (let i = 0; i < sockets; i++) {
      joined++;
      mass.add('presence:tf', tf, on(`m${i}`));
      jest.advanceTimersByTime(gapMs);
    }
    jest.advanceTimersByTime(pacing.maxMs);
    mass.close();
    // Every join told once, in order.
    expect(changes).toEqual(Array.from({ length: sockets }, (_, i) => `m${i}`));
    return received;
  }

  it('keeps the messages of a mass join linear in the sockets: 5,000 joins, at most 8 messages per socket', () => {
    // From 1,000 joins a second to 20 (the benchmark's 1,000 joins took 15 s to 46 s on a loaded machine).
    const perSocket = [1, 5, 20, 50].map((gapMs) => Math.round((massJoin(5000, gapMs) / 5000) * 10) / 10);
    for (const messages of perSocket) expect(messages).toBeLessThanOrEqual(8);
    // And in proportion: ten times the sockets at the same pace, about the same messages per socket.
    const small = massJoin(500, 5) / 500;
    const large = massJoin(5000, 5) / 5000;
    expect(large).toBeLessThanOrEqual(small * 1.5);
    // A fixed 250 ms interval (the batching before) costs sockets × join time ÷ 250 ms: here 50 per socket.
    const fixed = massJoin(5000, 5, { minMs: 250, perSocketMs: 0, maxMs: 250 }) / 5000;
    expect(fixed).toBeGreaterThan(5 * 8);
  });
});

import type { PresenceChanged } from '@hub/contracts';
import { PresenceBatches } from './presence-batches';

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
    batches = new PresenceBatches((room, batch) => sent.push([room, batch]), 250);
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
});

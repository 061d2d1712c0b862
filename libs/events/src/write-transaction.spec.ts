import { DeadlockException, type EntityManager, UniqueConstraintViolationException } from '@mikro-orm/core';
import { PostgreSqlPlatform } from '@mikro-orm/postgresql';
import { DomainError, Metrics } from '@hub/core';
import type { OutboxRelay, OutboxRow } from './outbox-relay';
import { WriteTransaction } from './write-transaction';

/**
 * The retry loop and the order of a write's statements, against a stand-in for the ORM that records
 * what it is asked to do (a real database proves the same end to end in test/service and
 * test/process/concurrent-writes).
 */
function fakeOrm(failures: unknown[], dialect: 'sqlite' | 'postgres' = 'sqlite') {
  const calls: string[] = [];
  let attempts = 0;
  let lastCursor = 0;
  let lastId = 100;
  /** PostgreSQL: one statement claims the cursors and inserts the events they number (bound values, sqlRows). */
  const claimAndInsert = (text: string, params: unknown[]) => {
    expect(text).toMatch(
      /^with claimed as \(insert into event_cursor .* returning last_cursor\) insert into domain_event /,
    );
    expect(text).toMatch(/ returning id, "cursor"$/);
    expect(text).not.toContain('?');
    const rows = JSON.parse(params[4] as string) as { type: string; ord: number }[];
    calls.push(`claim+insert ${params[0]} ${rows.map((r) => `${r.type}@${lastCursor + r.ord}`).join(',')}`);
    // RETURNING promises no order: the newest first here, and ids as node-postgres gives a bigint.
    const inserted = rows.map((r) => ({ id: String(++lastId), cursor: lastCursor + r.ord })).reverse();
    lastCursor += Number(params[1]);
    return inserted;
  };
  // The transaction's connection, as knex's transaction client hands it out.
  const connection = {
    query: async ({ text, values }: { text: string; values: unknown[] }) => ({ rows: claimAndInsert(text, values) }),
  };
  const transaction = {
    isCompleted: () => false,
    client: { acquireConnection: async () => connection, releaseConnection: async () => undefined, emit: () => true },
  };
  const tx = {
    flush: async () => void calls.push('flush'),
    // As the drivers do: the new ids, in row order.
    insertMany: async (_: unknown, rows: { cursor?: number | null; type: string }[]) => {
      calls.push(`insert ${rows.map((r) => `${r.type}@${r.cursor ?? '-'}`).join(',')}`);
      return rows.map(() => ++lastId);
    },
    getTransactionContext: () => transaction,
    getPlatform: () => (dialect === 'postgres' ? Object.create(PostgreSqlPlatform.prototype) : {}),
    getConnection: () => ({
      execute: async (sql: string, params: unknown[]) => {
        expect(dialect).toBe('sqlite');
        expect(sql).toMatch(/^insert into event_cursor .* on conflict .* returning last_cursor$/);
        calls.push(`claim ${params[0]} +${params[1]}`);
        lastCursor += Number(params[1]);
        return { last_cursor: lastCursor };
      },
    }),
  };
  // Each attempt: a fork of the root EntityManager (clear), and a transaction begun on its connection.
  let forked: { clear?: boolean } = {};
  const statements = tx.getConnection();
  Object.assign(tx, {
    getConnection: () => ({
      ...statements,
      begin: async () => {
        attempts++;
        calls.push(`begin clear=${forked.clear}`);
        const failure = failures.shift();
        if (failure) throw failure;
        return transaction;
      },
      commit: async () => void calls.push('commit'),
      rollback: async () => void calls.push('rollback'),
    }),
    setTransactionContext: () => undefined,
  });
  let forks = 0;
  const em = {
    getTransactionContext: () => undefined,
    fork: (options: { clear?: boolean }) => {
      forks++;
      forked = options;
      return tx;
    },
  };
  return { em: em as unknown as EntityManager, calls, attempts: () => attempts, forks: () => forks };
}

const deadlock = () => new DeadlockException(Object.assign(new Error('deadlock detected'), { code: '40P01' }));

function writer(em: EntityManager) {
  const metrics = new Metrics();
  const handed: OutboxRow[][] = [];
  const relay = { committed: (rows: OutboxRow[]) => void handed.push(rows), kick: () => undefined };
  const writes = new WriteTransaction(em, metrics, relay as unknown as OutboxRelay);
  writes.retry = { attempts: 4, baseDelayMs: 1 };
  const conflicts = async (outcome: string) =>
    (await metrics.writeConflicts.get()).values.find((v) => v.labels.outcome === outcome)?.value ?? 0;
  return { writes, conflicts, handed };
}

/** What the relay was handed, per commit: type@cursor#id. */
const handedOver = (handed: OutboxRow[][]) =>
  handed.map((rows) => rows.map((r) => `${r.type}@${r.cursor ?? '-'}#${r.id}`));

describe('WriteTransaction', () => {
  const busyWrite = (writes: WriteTransaction) =>
    writes.run(async (_em, events) => {
      events.record({ type: 'meeting.ended', taskForceId: 'tf-b', actorId: 'm', data: { meetingId: 'x' } });
      events.record({ type: 'meeting.ended', taskForceId: 'tf-a', actorId: 'm', data: { meetingId: 'y' } });
      events.record({ type: 'meeting.ended', taskForceId: 'tf-b', actorId: 'm', data: { meetingId: 'z' } });
      events.recordSystem('member.disabled', { memberId: 'm' }, 'admin');
      return 'done';
    });

  it('SQLite: writes the changes, then the system events, then per task force (in a fixed order) claims its cursors and inserts its events', async () => {
    const orm = fakeOrm([], 'sqlite');
    const { writes, handed } = writer(orm.em);
    expect(await busyWrite(writes)).toBe('done');
    expect(orm.calls).toEqual([
      'begin clear=true',
      'flush',
      'insert member.disabled@-',
      'claim tf-a +1',
      'insert meeting.ended@1',
      'claim tf-b +2',
      'insert meeting.ended@2,meeting.ended@3',
      'commit',
    ]);
    // After the commit, the relay gets the rows as written, ids included, in the order they were inserted.
    expect(handedOver(handed)).toEqual([
      ['member.disabled@-#101', 'meeting.ended@1#102', 'meeting.ended@2#103', 'meeting.ended@3#104'],
    ]);
    expect(handed[0][2]).toEqual({
      id: 103,
      type: 'meeting.ended',
      taskForceId: 'tf-b',
      cursor: 2,
      actorId: 'm',
      meetingId: null,
      at: expect.any(Date),
      data: { meetingId: 'x' },
    });
  });

  it('PostgreSQL: the same, with the claim and the insert of each task force in one statement', async () => {
    const orm = fakeOrm([], 'postgres');
    const { writes, handed } = writer(orm.em);
    expect(await busyWrite(writes)).toBe('done');
    expect(orm.calls).toEqual([
      'begin clear=true',
      'flush',
      'insert member.disabled@-',
      'claim+insert tf-a meeting.ended@1',
      'claim+insert tf-b meeting.ended@2,meeting.ended@3',
      'commit',
    ]);
    // Each id goes with its own cursor, whatever order RETURNING gave them in.
    expect(handedOver(handed)).toEqual([
      ['member.disabled@-#101', 'meeting.ended@1#102', 'meeting.ended@2#103', 'meeting.ended@3#104'],
    ]);
    expect(handed[0].map((r) => r.data)).toEqual([
      { memberId: 'm' },
      { meetingId: 'y' },
      { meetingId: 'x' },
      { meetingId: 'z' },
    ]);
  });

  it('inserts nothing and claims nothing for a write without events', async () => {
    const orm = fakeOrm([]);
    await writer(orm.em).writes.run(async () => undefined);
    expect(orm.calls).toEqual(['begin clear=true', 'flush', 'commit']);
  });

  it('refuses an event queued after the work has returned (it could no longer be recorded last)', async () => {
    const orm = fakeOrm([]);
    let late: (() => void) | undefined;
    await writer(orm.em).writes.run(async (_em, events) => {
      late = () => events.recordSystem('member.disabled', { memberId: 'm' }, null);
    });
    expect(late).toThrow(/recorded after its transaction had written its changes/);
  });

  it('runs a deadlocked write again from a clean identity map, and counts the retries', async () => {
    const orm = fakeOrm([deadlock(), deadlock()]);
    const { writes, conflicts, handed } = writer(orm.em);
    let ran = 0;
    await writes.run(async (_em, events) => {
      ran++;
      events.recordSystem('member.disabled', { memberId: 'm' }, null);
    });
    expect(orm.attempts()).toBe(3);
    expect(ran).toBe(1);
    expect(orm.calls.filter((c) => c.startsWith('begin'))).toEqual(Array(3).fill('begin clear=true'));
    expect(await conflicts('retried')).toBe(2);
    expect(await conflicts('exhausted')).toBe(0);
    // Only the attempt that committed hands its rows over.
    expect(handedOver(handed)).toEqual([['member.disabled@-#101']]);
  });

  it('answers SERVICE_UNAVAILABLE, retryable, when the retries run out', async () => {
    const orm = fakeOrm([deadlock(), deadlock(), deadlock(), deadlock(), deadlock()]);
    const { writes, conflicts } = writer(orm.em);
    const error = await writes.run(async () => undefined).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: 'SERVICE_UNAVAILABLE', extensions: { retryable: true } });
    expect((error as DomainError).message).toMatch(/Nothing was saved; try again/);
    expect(orm.attempts()).toBe(4);
    expect(await conflicts('exhausted')).toBe(1);
  });

  it('does not retry other errors: a duplicate or a domain refusal reaches the caller at once', async () => {
    for (const failure of [
      new UniqueConstraintViolationException(new Error('duplicate key')),
      new DomainError('CONFLICT', 'taken'),
    ]) {
      const orm = fakeOrm([failure]);
      await expect(writer(orm.em).writes.run(async () => undefined)).rejects.toBe(failure);
      expect(orm.attempts()).toBe(1);
    }
  });

  it('a conflict inside the work rolls that attempt back and runs the work again on a fork of its own', async () => {
    const orm = fakeOrm([]);
    const { writes, conflicts, handed } = writer(orm.em);
    let ran = 0;
    const result = await writes.run(async (_em, events) => {
      if (++ran === 1) throw deadlock();
      events.recordSystem('member.disabled', { memberId: 'm' }, null);
      return 'second time';
    });
    expect(result).toBe('second time');
    expect(orm.calls).toEqual([
      'begin clear=true',
      'rollback',
      'begin clear=true',
      'flush',
      'insert member.disabled@-',
      'commit',
    ]);
    expect(orm.forks()).toBe(2);
    expect(await conflicts('retried')).toBe(1);
    expect(handedOver(handed)).toEqual([['member.disabled@-#101']]);
  });

  it('rolls the attempt back, and commits nothing, when its work fails', async () => {
    const orm = fakeOrm([]);
    const refusal = new DomainError('CONFLICT', 'taken');
    const attempt = writer(orm.em).writes.run(async (_em, events) => {
      events.recordSystem('member.disabled', { memberId: 'm' }, null);
      throw refusal;
    });
    await expect(attempt).rejects.toBe(refusal);
    expect(orm.calls).toEqual(['begin clear=true', 'rollback']);
  });

  it('does not nest: inside a transaction the outer write owns the events and the retry', async () => {
    const em = { getTransactionContext: () => ({}) } as unknown as EntityManager;
    await expect(writer(em).writes.run(async () => undefined)).rejects.toThrow(/does not nest/);
  });
});

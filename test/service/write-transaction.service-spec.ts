import {
  DomainEvent,
  findLocked,
  lockReference,
  lockRow,
  OutboxRelay,
  type OutboxRow,
  toBusMessage,
  WriteTransaction,
} from '@hub/events';
import { randomUUID } from 'node:crypto';
import { wrap } from '@mikro-orm/core';
import { TaskForce } from '@hub/task-forces';
import { IdentityFactory } from '../factories/identity.factory';
import { testDialect } from '../utils/database';
import { type ServiceApp, startServiceApp } from '../utils/service-app';
import { sleep } from '../utils/wait';

/**
 * WriteTransaction on a real database. Two writes that lock the same two rows in opposite order
 * deadlock on PostgreSQL: the one PostgreSQL refuses runs again and both are applied once, each with
 * exactly one event. (SQLite runs one writer at a time, so there the same two writes simply queue.)
 */
describe('WriteTransaction', () => {
  let app: ServiceApp;
  let writes: WriteTransaction;
  let a: TaskForce;
  let b: TaskForce;

  beforeAll(async () => {
    app = await startServiceApp();
    writes = app.get(WriteTransaction);
    const identity = new IdentityFactory(app);
    a = await identity.taskForce();
    b = await identity.taskForce();
  });

  afterAll(() => app?.close());

  const events = (taskForceId: string) => app.em().find(DomainEvent, { taskForceId }, { orderBy: { cursor: 'asc' } });

  /** Both arrive, or half a second passes (on SQLite the second cannot start while the first holds the lock). */
  function barrier() {
    let arrived = 0;
    let open!: () => void;
    const opened = new Promise<void>((resolve) => (open = resolve));
    return async () => {
      if (++arrived >= 2) open();
      await Promise.race([opened, sleep(500)]);
    };
  }

  it('a deadlock between two writes is retried: both are applied once, with one event each, gap-free', async () => {
    const meet = barrier();
    const attempts = { first: 0, second: 0 };
    const write = (name: keyof typeof attempts, lockFirst: TaskForce, lockSecond: TaskForce) =>
      writes.run(async (em, queue) => {
        attempts[name]++;
        const one = await findLocked(em, TaskForce, lockFirst.id, 'write');
        await meet();
        const two = await findLocked(em, TaskForce, lockSecond.id, 'write');
        one!.name = `${one!.name.split(' ·')[0]} · ${name}`;
        two!.region = `Region ${name}`;
        queue.record({
          type: 'meeting.cancelled',
          taskForceId: a.id,
          actorId: null,
          data: { meetingId: a.id, reason: name },
        });
        return name;
      });
    const before = (await events(a.id)).length;
    const results = await Promise.allSettled([write('first', a, b), write('second', b, a)]);
    expect(results.map((r) => (r.status === 'rejected' ? String(r.reason) : r.status))).toEqual([
      'fulfilled',
      'fulfilled',
    ]);
    const recorded = await events(a.id);
    const added = recorded.slice(before);
    expect(added.map((e) => (e.data as { reason: string }).reason).sort()).toEqual(['first', 'second']);
    expect(recorded.map((e) => e.cursor)).toEqual(recorded.map((_, i) => i + 1));
    if (testDialect() === 'postgres') {
      // Exactly one of the two was refused by PostgreSQL and ran a second time.
      expect([attempts.first, attempts.second].sort()).toEqual([1, 2]);
    } else {
      expect(attempts).toEqual({ first: 1, second: 1 });
    }
  });

  it('findLocked keeps what the write already changed on the row, and reads what others committed', async () => {
    const postgres = testDialect() === 'postgres';
    const region = `Region ${Date.now()}`;
    await writes.run(async (em) => {
      const held = await em.findOneOrFail(TaskForce, { id: b.id });
      held.name = `${held.name.split(' ·')[0]} · changed before the lock`;
      // Committed by another connection after this write read the row: the locked read must see it.
      // (SQLite has one connection, which this write holds: nothing else can commit meanwhile.)
      if (postgres) await app.em().nativeUpdate(TaskForce, { id: b.id }, { region });
      else held.region = region;
      const locked = await findLocked(em, TaskForce, b.id, 'write');
      expect(locked).toBe(held);
      expect(locked!.name).toMatch(/changed before the lock$/);
      expect(locked!.region).toBe(region);
    });
    const stored = await app.em().findOneOrFail(TaskForce, { id: b.id });
    expect(stored.name).toMatch(/changed before the lock$/);
    expect(stored.region).toBe(region);
  });

  it('lockReference takes the lock and checks the row, without loading it into the identity map', async () => {
    const postgres = testDialect() === 'postgres';
    const order: string[] = [];
    let other: Promise<unknown> | undefined;
    const { name } = await app.em().findOneOrFail(TaskForce, b.id);
    await writes.run(async (em) => {
      const ref = await lockReference(em, TaskForce, b.id, 'write', { name });
      expect(ref?.id).toBe(b.id);
      expect(wrap(ref!).isInitialized()).toBe(false);
      expect(await lockReference(em, TaskForce, b.id, 'reference', { name: 'Not its name' })).toBeNull();
      expect(await lockReference(em, TaskForce, randomUUID(), 'reference')).toBeNull();
      if (!postgres) return;
      // Held until this write ends: another connection's update of the row waits for it.
      other = app
        .em()
        .nativeUpdate(TaskForce, { id: b.id }, { region: `Region ${Date.now()}` })
        .then(() => order.push('other update'));
      await sleep(300);
      order.push('write ends');
    });
    await other;
    if (postgres) expect(order).toEqual(['write ends', 'other update']);
  });

  it('lockRow answers whether the row is there and matches, leaves nothing in the identity map, and wants a transaction', async () => {
    const { name } = await app.em().findOneOrFail(TaskForce, b.id);
    await writes.run(async (em) => {
      expect(await lockRow(em, TaskForce, b.id, 'reference', { name })).toBe(true);
      expect(await lockRow(em, TaskForce, b.id, 'reference', { name: 'Not its name' })).toBe(false);
      expect(await lockRow(em, TaskForce, randomUUID(), 'write')).toBe(false);
      expect(em.getUnitOfWork().getById(TaskForce.name, b.id)).toBeUndefined();
    });
    await expect(lockRow(app.em().fork(), TaskForce, b.id, 'reference')).rejects.toThrow(/call it in one/);
  });

  it("lockReference's 'reference' lock (FOR KEY SHARE) holds off a deletion until the write ends", async () => {
    const postgres = testDialect() === 'postgres';
    const order: string[] = [];
    let other: Promise<unknown> | undefined;
    await writes.run(async (em) => {
      expect((await lockReference(em, TaskForce, b.id, 'reference'))?.id).toBe(b.id);
      // SQLite has one writer: there is no other connection to hold off.
      if (!postgres) return;
      // What a DELETE of the row takes first; FOR KEY SHARE conflicts with it, FOR NO KEY UPDATE's reads do not.
      other = app
        .em()
        .getConnection()
        .execute('select 1 from task_force where id = ? for update', [b.id])
        .then(() => order.push('deleting reader'));
      await sleep(300);
      order.push('write ends');
    });
    await other;
    if (postgres) expect(order).toEqual(['write ends', 'deleting reader']);
  });

  it('a write that fails leaves no event and no change behind, and hands its cursor back', async () => {
    const before = await events(b.id);
    const name = (await app.em().findOneOrFail(TaskForce, b.id)).name;
    await expect(
      writes.run(async (em, queue) => {
        const row = await findLocked(em, TaskForce, b.id, 'write');
        row!.name = 'Changed and then refused';
        queue.record({
          type: 'meeting.cancelled',
          taskForceId: b.id,
          actorId: null,
          data: { meetingId: b.id, reason: null },
        });
        throw new Error('refused by the domain');
      }),
    ).rejects.toThrow('refused by the domain');
    expect(await events(b.id)).toHaveLength(before.length);
    expect((await app.em().findOneOrFail(TaskForce, b.id)).name).toBe(name);
    await writes.run(async (_em, queue) =>
      queue.record({
        type: 'meeting.cancelled',
        taskForceId: b.id,
        actorId: null,
        data: { meetingId: b.id, reason: null },
      }),
    );
    expect((await events(b.id)).map((e) => e.cursor)).toEqual([...before.map((e) => e.cursor), before.length + 1]);
  });

  it('hands the relay the rows it committed, ids included, exactly as a read of the outbox gives them back', async () => {
    const relay = app.get(OutboxRelay);
    const handed: OutboxRow[][] = [];
    const committed = relay.committed.bind(relay);
    relay.committed = (rows) => void handed.push([...rows]);
    try {
      await writes.run(async (_em, queue) => {
        queue.record({
          type: 'meeting.cancelled',
          taskForceId: b.id,
          actorId: null,
          data: { meetingId: b.id, reason: 'x' },
        });
        queue.record({
          type: 'meeting.cancelled',
          taskForceId: a.id,
          actorId: null,
          data: { meetingId: a.id, reason: null },
        });
        queue.record({
          type: 'meeting.cancelled',
          taskForceId: b.id,
          actorId: null,
          data: { meetingId: b.id, reason: 'y' },
        });
        queue.recordSystem('member.disabled', { memberId: a.id }, null);
      });
    } finally {
      relay.committed = committed;
    }
    expect(handed).toHaveLength(1);
    const rows = handed[0];
    expect(rows.map((r) => r.type)).toEqual(['member.disabled', ...Array(3).fill('meeting.cancelled')]);
    const stored = await app
      .em()
      .fork()
      .find(DomainEvent, { id: { $in: rows.map((r) => r.id) } });
    expect(stored).toHaveLength(4);
    for (const row of rows) {
      const read = stored.find((s) => s.id === row.id)!;
      // What the bus carries is the same whichever way the relay got the row.
      expect(toBusMessage(row)).toEqual(toBusMessage(read));
    }
    // The relay was not told, so these wait for its sweep; publish them now so no later test meets them.
    relay.kick();
  });
});

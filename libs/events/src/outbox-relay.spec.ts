import type { MikroORM } from '@mikro-orm/core';
import { Metrics } from '@hub/core';
import type { EventBus } from './event-bus';
import type { BusMessage } from './event-map';
import { OutboxRelay, type OutboxRow } from './outbox-relay';

/**
 * What the relay asks of the database and the bus, against stand-ins that record it (the real
 * outbox, two instances and a crash between commit and publish are in test/e2e and test/process).
 */
function relayWith(outbox: OutboxRow[]) {
  const statements: string[] = [];
  const published: string[] = [];
  let failing = false;
  let beforeSelect: () => void = () => undefined;
  const unpublished = new Set(outbox.map((r) => r.id));
  const em = {
    find: async () => {
      beforeSelect();
      statements.push('select unpublished');
      return outbox.filter((r) => unpublished.has(r.id));
    },
    getPlatform: () => ({ processDateProperty: (date: Date) => date }),
    getConnection: () => ({
      execute: async (sql: string, params: unknown[]) => {
        const marked = /^update domain_event set published_at = \? where id in \(([\d, ]+)\)$/.exec(sql);
        if (!marked || !(params[0] instanceof Date)) throw new Error(`unexpected statement: ${sql}`);
        const ids = marked[1].split(', ').map(Number);
        statements.push(`mark ${ids.join(',')}`);
        for (const id of ids) unpublished.delete(id);
      },
    }),
  };
  // The handed-over rows are marked on the root EntityManager's connection; the sweep reads through a fork.
  const orm = { em: { ...em, fork: () => em } } as unknown as MikroORM;
  const bus: EventBus = {
    publish: async (message: BusMessage) => {
      if (failing) throw new Error('bus down');
      published.push(message.kind === 'event' ? `${message.envelope.type}@${message.envelope.cursor}` : message.type);
    },
    subscribe: () => undefined,
    close: async () => undefined,
  };
  const relay = new OutboxRelay(orm, bus, new Metrics());
  const settled = async () => {
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
  };
  return {
    relay,
    statements,
    published,
    settled,
    fail: (on: boolean) => (failing = on),
    duringSelect: (fn: () => void) => (beforeSelect = fn),
  };
}

const row = (id: number, cursor: number): OutboxRow => ({
  id,
  type: 'meeting.ended',
  taskForceId: 'tf-1',
  cursor,
  actorId: null,
  meetingId: null,
  at: new Date('2026-12-01T10:00:00Z'),
  data: { meetingId: `m${cursor}` },
});

describe('OutboxRelay', () => {
  it('publishes the rows a commit hands over in order, and marks them with one UPDATE, reading nothing back', async () => {
    const { relay, statements, published, settled } = relayWith([]);
    relay.committed([row(1, 1), row(2, 2)]);
    relay.committed([row(3, 3)]);
    await settled();
    expect(published).toEqual(['meeting.ended@1', 'meeting.ended@2', 'meeting.ended@3']);
    expect(statements.filter((s) => s.startsWith('select'))).toEqual([]);
    expect(statements.join(';')).toMatch(/^mark 1,2(,3)?(;mark 3)?$/);
  });

  it('sweeps the outbox for rows no commit handed over (another instance, a crash before publishing)', async () => {
    const { relay, statements, published, settled } = relayWith([row(7, 1), row(8, 2)]);
    relay.kick();
    await settled();
    expect(published).toEqual(['meeting.ended@1', 'meeting.ended@2']);
    expect(statements).toEqual(['select unpublished', 'mark 7,8']);
  });

  it('does not publish again what a sweep read while its commit was handing it over', async () => {
    const outbox = [row(1, 1), row(2, 2)];
    const { relay, published, settled, duringSelect } = relayWith(outbox);
    duringSelect(() => relay.committed([row(2, 2)]));
    relay.kick();
    await settled();
    expect(published).toEqual(['meeting.ended@1', 'meeting.ended@2']);
  });

  it('leaves the rows in the outbox when the bus is down, and the next sweep publishes them', async () => {
    const outbox = [row(1, 1)];
    const { relay, statements, published, settled, fail } = relayWith(outbox);
    fail(true);
    relay.committed(outbox);
    await settled();
    expect(published).toEqual([]);
    expect(statements).toEqual([]);
    fail(false);
    relay.kick();
    await settled();
    expect(published).toEqual(['meeting.ended@1']);
    expect(statements).toEqual(['select unpublished', 'mark 1']);
  });
});

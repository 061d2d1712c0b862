import {
  type EntityClass,
  type EntityDictionary,
  type EntityProperty,
  EntityManager,
  type FilterQuery,
  type RequiredEntityData,
} from '@mikro-orm/core';
import { Injectable, Optional } from '@nestjs/common';
import {
  busyWithOtherWrites,
  forkOfRoot,
  isPostgres,
  isRetryableConflict,
  Metrics,
  sqlRows,
  transactionOf,
  withWriteEntityManager,
} from '@hub/core';
import { DomainEvent } from './domain-event.entity';
import { type HubEventMap, type HubEventType, type SystemEventMap, type SystemEventType } from './event-map';
import { OutboxRelay, type OutboxRow } from './outbox-relay';

export interface NewEvent<T extends HubEventType = HubEventType> {
  type: T;
  taskForceId: string;
  actorId: string | null;
  data: HubEventMap[T];
  meetingId?: string | null;
}

/** What a write hands back to be recorded once its own changes are written. */
export interface EventQueue {
  record<T extends HubEventType>(event: NewEvent<T>): void;
  /** A system event (a member disabled, a session ended): no task force, no cursor. */
  recordSystem<T extends SystemEventType>(type: T, data: SystemEventMap[T], actorId: string | null): void;
}

export interface RetryPolicy {
  attempts: number;
  /** Upper bound of the first wait; it doubles with each attempt, and each wait is drawn at random below it. */
  baseDelayMs: number;
}

const DEFAULT_RETRY: RetryPolicy = { attempts: 6, baseDelayMs: 8 };

/**
 * Runs inside every write's transaction after its work, with the task-force events it queued: what
 * follows from those events (a member's notification, say) is written in the same transaction, so it
 * exists exactly when the change does. A reactor may write rows and queue system events, not task-force ones.
 */
export type EventReactor = (
  em: EntityManager,
  events: readonly NewEvent[],
  queue: Pick<EventQueue, 'recordSystem'>,
) => Promise<void>;

/**
 * Every write runs here, as one transaction with its events recorded in the outbox.
 *
 * The lock order is fixed by structure, not by comments. `work` makes its changes and queues its events;
 * nothing it can call claims a cursor. Then the unit of work is flushed, so every INSERT, UPDATE and
 * DELETE (and the foreign-key locks they take) is done; only then is the task force's counter row
 * claimed, with one upsert per task force, and the outbox rows are inserted (they reference nothing, so
 * they take no other lock). COMMIT follows at once. The counter row, which every writer of a task force
 * waits for, is therefore always the last lock taken and is held only for those two statements: a
 * transaction holding it never waits for a domain row, so no cycle can include it.
 *
 * A deadlock or serialization failure that can still happen between domain rows rolls the attempt back
 * whole (its events with it) and it runs again, with a fresh identity map, after a short random wait.
 * When the attempts run out the caller gets SERVICE_UNAVAILABLE, retryable, never an internal error.
 *
 * After COMMIT the outbox rows it wrote (their ids from the INSERTs' results) go to the relay, which
 * publishes them without reading them back.
 */
@Injectable()
export class WriteTransaction {
  constructor(
    private readonly em: EntityManager,
    private readonly metrics: Metrics,
    // Absent in the CLI's one-off writes: their rows wait for a serving instance's sweep.
    @Optional() private readonly relay?: OutboxRelay,
  ) {}

  retry: RetryPolicy = DEFAULT_RETRY;
  private readonly reactors: EventReactor[] = [];

  /** Registers a reactor (see EventReactor), once per process, at module init. */
  react(reactor: EventReactor): void {
    this.reactors.push(reactor);
  }

  async run<R>(work: (em: EntityManager, events: EventQueue) => Promise<R>): Promise<R> {
    // Inside another write the outer one owns the transaction, the events and the retry.
    if (transactionOf(this.em)) throw new Error('WriteTransaction.run does not nest: pass the em instead');
    for (let attempt = 1; ; attempt++) {
      try {
        const { result, written, unknown } = await this.transaction((em) => this.attempt(em, work));
        this.relay?.committed(written);
        // Rows whose ids the driver did not return: the sweep reads them now rather than in up to a second.
        if (unknown) this.relay?.kick();
        return result;
      } catch (error) {
        if (!isRetryableConflict(error)) throw error;
        if (attempt >= this.retry.attempts) {
          this.metrics.writeConflicts.inc({ outcome: 'exhausted' });
          throw busyWithOtherWrites();
        }
        this.metrics.writeConflicts.inc({ outcome: 'retried' });
        await sleep(Math.random() * this.retry.baseDelayMs * 2 ** (attempt - 1));
      }
    }
  }

  /**
   * One attempt's transaction, on its own fork of the root EntityManager with an empty identity map: each
   * attempt starts from the database, not from what a rolled-back attempt changed. Inside it the global
   * EntityManager stands for this fork, as in em.transactional. em.transactional forked the request's
   * EntityManager (making it first), and afterwards merged what the write had loaded back into it, which
   * nothing reads: together about 3 % of a minute note's CPU. The attempt has flushed before it returns.
   */
  private transaction<T>(body: (em: EntityManager) => Promise<T>): Promise<T> {
    const em = forkOfRoot(this.em, { clear: true });
    const connection = em.getConnection('write');
    return withWriteEntityManager(em, async () => {
      const transaction = await connection.begin();
      // Left on the fork after the end, as em.transactional left it: a statement that outlives the write (a
      // promise nobody awaited) fails, "Transaction query already complete", instead of running outside it.
      em.setTransactionContext(transaction);
      try {
        const result = await body(em);
        await connection.commit(transaction);
        return result;
      } catch (error) {
        await connection.rollback(transaction);
        throw error;
      }
    });
  }

  private async attempt<R>(
    em: EntityManager,
    work: (em: EntityManager, events: EventQueue) => Promise<R>,
  ): Promise<{ result: R; written: OutboxRow[]; unknown: boolean }> {
    const events: NewEvent[] = [];
    const system: { type: SystemEventType; data: unknown; actorId: string | null }[] = [];
    let open = true;
    const queue: EventQueue = {
      record: (event) => {
        if (!open) throw new Error('An event was recorded after its transaction had written its changes');
        events.push(event as NewEvent);
      },
      recordSystem: (type, data, actorId) => {
        if (!open) throw new Error('An event was recorded after its transaction had written its changes');
        system.push({ type, data, actorId });
      },
    };
    const result = await work(em, queue);
    if (events.length) for (const reactor of this.reactors) await reactor(em, [...events], queue);
    open = false;
    await em.flush();
    const written: OutboxRow[] = [];
    // System events take no cursor and no lock: before the claim, outside the critical section.
    if (system.length) {
      const rows = system.map((s) => outboxRow(s.type, s.data, s.actorId));
      written.push(...withIds(rows, await em.insertMany(DomainEvent, rows), em));
    }
    written.push(...(await this.recordTaskForceEvents(em, events)));
    return { result, written, unknown: written.length < system.length + events.length };
  }

  /**
   * The last statements before COMMIT: per task force (in a fixed order, so a write that touches two
   * can never wait for a writer that holds the other's row first), claim as many cursors as it has
   * events and insert them. On PostgreSQL that is one statement per task force, so the counter row is
   * held for that statement and the commit only. Returns the rows as written, with their ids.
   */
  private async recordTaskForceEvents(em: EntityManager, events: NewEvent[]): Promise<OutboxRow[]> {
    const written: OutboxRow[] = [];
    const byTaskForce = new Map<string, NewEvent[]>();
    for (const event of events)
      byTaskForce.set(event.taskForceId, [...(byTaskForce.get(event.taskForceId) ?? []), event]);
    const postgres = isPostgres(em);
    for (const taskForceId of [...byTaskForce.keys()].sort()) {
      const batch = byTaskForce.get(taskForceId)!;
      const at = new Date();
      if (postgres) {
        const rows = batch.map((e, i) => ({
          ord: i + 1,
          type: e.type,
          actor_id: e.actorId,
          meeting_id: e.meetingId ?? null,
          at: at.toISOString(),
          data: e.data,
        }));
        // Values bound, not inlined into the text (sqlRows): the batch's JSON is most of the statement.
        const inserted = await sqlRows<{ id: string | number; cursor: number }>(
          em,
          `with claimed as (${CLAIM}) insert into domain_event (task_force_id, "cursor", type, actor_id, meeting_id, at, data) ` +
            'select ?::uuid, claimed.last_cursor - ? + e.ord, e.type, e.actor_id, e.meeting_id, e.at, e.data from claimed, ' +
            'jsonb_to_recordset(?::jsonb) as e(ord int, type text, actor_id uuid, meeting_id uuid, at timestamptz, data jsonb) ' +
            'returning id, "cursor"',
          [taskForceId, batch.length, taskForceId, batch.length, JSON.stringify(rows)],
        );
        // The batch's cursors are consecutive: the lowest returned is its first event's.
        const byCursor = [...inserted].sort((a, b) => a.cursor - b.cursor);
        written.push(
          ...batch.map((event, i) => ({
            id: Number(byCursor[i].id),
            type: event.type,
            taskForceId,
            cursor: byCursor[i].cursor,
            actorId: event.actorId,
            meetingId: event.meetingId ?? null,
            at,
            data: asStored(event.data),
          })),
        );
        continue;
      }
      const claimed = await em
        .getConnection()
        .execute<{ last_cursor: number }>(CLAIM, [taskForceId, batch.length], 'get', em.getTransactionContext());
      const first = Number(claimed.last_cursor) - batch.length + 1;
      const rows = batch.map((event, i) => ({
        ...outboxRow(event.type, event.data, event.actorId),
        at,
        taskForceId,
        cursor: first + i,
        meetingId: event.meetingId ?? null,
      }));
      written.push(...withIds(rows, await em.insertMany(DomainEvent, rows), em));
    }
    return written;
  }
}

/** Takes `n` more cursors of a task force (creating its counter on its first event); returns the last one. */
const CLAIM =
  'insert into event_cursor (task_force_id, last_cursor) values (?, ?) on conflict (task_force_id) ' +
  'do update set last_cursor = event_cursor.last_cursor + excluded.last_cursor returning last_cursor';

/** The data as a read of the row gives it back (JSON: dates as strings, no undefined), so both paths publish the same. */
function asStored(data: unknown): Record<string, unknown> {
  return JSON.parse(JSON.stringify(data)) as Record<string, unknown>;
}

type WrittenRow = RequiredEntityData<DomainEvent> & Omit<OutboxRow, 'id'>;

/**
 * The rows of one INSERT with their ids, in row order; none when the driver did not say. SQLite's
 * driver answers a multi-row INSERT with the last rowid only; one writer at a time and no gaps
 * within a statement make the others the ones just before it.
 */
function withIds(rows: WrittenRow[], ids: unknown[], em: EntityManager): OutboxRow[] {
  const sqlite = !isPostgres(em);
  const last = Number(ids[0]);
  const idOf =
    ids.length === rows.length
      ? (i: number) => Number(ids[i])
      : sqlite && ids.length === 1 && Number.isSafeInteger(last)
        ? (i: number) => last - rows.length + 1 + i
        : null;
  if (!idOf) return [];
  return rows.map((row, i) => ({
    id: idOf(i),
    type: row.type,
    taskForceId: row.taskForceId ?? null,
    cursor: row.cursor ?? null,
    actorId: row.actorId ?? null,
    meetingId: row.meetingId ?? null,
    at: row.at,
    data: asStored(row.data),
  }));
}

function outboxRow(type: string, data: unknown, actorId: string | null): WrittenRow {
  return {
    type,
    actorId,
    data: data as Record<string, unknown>,
    at: new Date(),
    taskForceId: null,
    cursor: null,
    meetingId: null,
    publishedAt: null,
  };
}

/**
 * How a write holds a row it read, until the transaction ends (PostgreSQL row locks; SQLite serialises
 * writers anyway):
 * - `write`: FOR NO KEY UPDATE. Two writers of the same meeting or item queue instead of both acting on
 *   what they read, while an INSERT that merely references the row (a note on a meeting, a comment on an
 *   item: its foreign-key check takes FOR KEY SHARE) is not held up. FOR UPDATE would hold those up too.
 * - `delete`: FOR UPDATE, for a row about to be deleted: references taken with `reference` wait for it.
 * - `reference`: FOR KEY SHARE, for a row about to be referenced by an INSERT that may race its deletion:
 *   whichever comes second sees what the first did (the row gone, or a reference to it), instead of a
 *   foreign-key violation.
 */
export type RowLock = 'write' | 'delete' | 'reference';

/** Equality on an entity's own columns (a relation by its id): what a locking read may add to the id. */
export type LockWhere<T> = Partial<Record<keyof T & string, string>>;

/**
 * Locks the row with this id (see RowLock) and reads it, with `where`, as committed now: on PostgreSQL one
 * `SELECT … FOR …`, which waits for a concurrent writer of the row and then returns the row as that writer
 * left it (or nothing, if it deleted it or it no longer matches `where`). SQLite serialises writers, so
 * a plain read is the row as committed now.
 */
export async function findLocked<T extends object>(
  em: EntityManager,
  entity: EntityClass<T>,
  id: string,
  lock: RowLock,
  where: LockWhere<T> = {},
): Promise<T | null> {
  if (!em.getTransactionContext()) throw new Error('findLocked holds a row until the transaction ends: call it in one');
  if (!isPostgres(em)) return em.findOne(entity, { ...where, id } as FilterQuery<T>, { refresh: true });
  // The read below replaces what the identity map holds of the row: changes to it not yet written
  // would be lost (findOne's auto-flush wrote them first). Written now, as findOne did.
  if (em.getUnitOfWork().getById(entity.name, id)) await em.flush();
  const rows = await lockingRead<EntityDictionary<T>>(em, entity, id, lock, where, '*');
  // refresh (what map does): the row as just read, not an earlier read of this transaction.
  return rows.length ? em.map(entity, rows[0]) : null;
}

/**
 * As findLocked, for a row the write only references (a note's agenda item): takes the lock and checks
 * the row is there, without reading it into the identity map, so the flush has nothing of it to compare.
 * Whether the row is there and matches `where`.
 */
export async function lockRow<T extends object>(
  em: EntityManager,
  entity: EntityClass<T>,
  id: string,
  lock: RowLock,
  where: LockWhere<T> = {},
): Promise<boolean> {
  if (!em.getTransactionContext()) throw new Error('lockRow holds a row until the transaction ends: call it in one');
  return (await lockingRead(em, entity, id, lock, where, '1')).length > 0;
}

/**
 * lockRow, returning a reference to the row for a write that relates a new entity to it (or null when the
 * row is gone or does not match `where`). A write that needs only the id calls lockRow: making the
 * reference cost a minute note about 3 % of its CPU (`npm run bench -- graphql`, BENCH_PROFILE=1).
 */
export async function lockReference<T extends object>(
  em: EntityManager,
  entity: EntityClass<T>,
  id: string,
  lock: RowLock,
  where: LockWhere<T> = {},
): Promise<T | null> {
  return (await lockRow(em, entity, id, lock, where)) ? em.getReference(entity, id as never) : null;
}

const LOCK_SQL: Record<RowLock, string> = {
  write: ' for no key update',
  delete: ' for update',
  reference: ' for key share',
};
const LOCKING_READS = new Map<string, string>();

/**
 * `SELECT <what> … WHERE id = ? AND … FOR <lock>` (no lock clause on SQLite). The text is built once per
 * shape from the metadata: the query builder cost a minute note about 5 % of its CPU. Shapes are the
 * callers' constants, so the cache stays small.
 */
async function lockingRead<R>(
  em: EntityManager,
  entity: EntityClass<object>,
  id: string,
  lock: RowLock,
  where: Record<string, string | undefined>,
  what: '*' | '1',
): Promise<R[]> {
  const keys = Object.keys(where)
    .filter((key) => where[key] !== undefined)
    .sort();
  const postgres = isPostgres(em);
  const shape = [entity.name, lock, postgres, what, ...keys].join(' ');
  let statement = LOCKING_READS.get(shape);
  if (statement === undefined) {
    const meta = em.getMetadata().get(entity.name);
    const platform = em.getPlatform();
    const column = (name: string) => {
      const fields = (meta.properties as Record<string, EntityProperty | undefined>)[name]?.fieldNames;
      if (fields?.length !== 1) throw new Error(`A locking read of ${entity.name}: ${name} is not one column`);
      return platform.quoteIdentifier(fields[0]);
    };
    const conditions = [meta.primaryKeys[0], ...keys].map((name) => `${column(name)} = ?`).join(' and ');
    statement = `select ${what} from ${platform.quoteIdentifier(meta.tableName)} where ${conditions}${postgres ? LOCK_SQL[lock] : ''}`;
    LOCKING_READS.set(shape, statement);
  }
  return sqlRows<R>(em, statement, [id, ...keys.map((key) => where[key])]);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

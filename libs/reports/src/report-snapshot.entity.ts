import { Entity, ManyToOne, Opt, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { TaskForce } from '@hub/task-forces';
import { randomUUID } from 'node:crypto';

/** One indicator's counts, by breakdown key (`ALL` when it has none). */
export type SnapshotValues = Record<string, Record<string, number>>;

/**
 * A task force's counts for a closed quarter, taken once when the quarter is closed and never
 * recomputed: the national roll-up is built only from these, so later edits cannot be subtracted
 * from an earlier answer to isolate a case. Counts only: no case code, no text.
 */
@Entity({ tableName: 'report_snapshot' })
@Unique({ properties: ['taskForce', 'period'] })
export class ReportSnapshot {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne({ entity: () => TaskForce })
  taskForce!: TaskForce;

  /** The quarter, `2026-Q3`. */
  @Property({ type: 'string', length: 16 })
  period!: string;

  @Property({ type: 'integer' })
  indicatorsVersion!: number;

  @Property({ type: 'json' })
  counts!: SnapshotValues;

  @Property({ type: 'datetime' })
  takenAt: Opt<Date> = new Date();
}

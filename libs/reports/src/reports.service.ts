import { EntityManager } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { type Actor, AgencyKind, assertCan, assertCanNationally, assertCanOnPlatform } from '@hub/access';
import { AuditService } from '@hub/audit';
import { CaseStage } from '@hub/case-summaries';
import { localDateOf, notFound } from '@hub/core';
import { WriteTransaction } from '@hub/events';
import { TaskForce } from '@hub/task-forces';
import {
  INDICATOR,
  INDICATORS,
  INDICATORS_VERSION,
  type IndicatorDefinition,
  type IndicatorId,
  SUBSETS,
} from './indicators';
import { type Counts, type NationalTable, nationalTables } from './national-rollup';
import { lastClosedQuarter, parsePeriod, type Period, previousPeriod, trendOf } from './period';
import { ReportSnapshot, type SnapshotValues } from './report-snapshot.entity';
import { periodNotClosed, nationalQuartersOnly } from './reports.errors';
import { reportRows, type Row } from './reports.queries';
import { dialectOf } from './sql-dialect';

export interface PeriodView {
  key: string;
  kind: Period['kind'];
  /** First day, and last day (inclusive), in Bucharest. */
  from: string;
  to: string;
}

export interface ReportRow {
  key: string;
  /** One per period of the trend, oldest first; null where the figure has no meaning (nothing to divide by). */
  values: (number | null)[];
}

export interface ReportTable {
  indicator: IndicatorId;
  version: number;
  name: string;
  unit: IndicatorDefinition['unit'];
  breakdown: IndicatorDefinition['breakdown'];
  rows: ReportRow[];
}

export interface TaskForceReport {
  taskForce: { id: string; code: string; name: string };
  indicatorsVersion: number;
  period: PeriodView;
  /** The trend, oldest first; the chosen period last. */
  periods: PeriodView[];
  tables: ReportTable[];
}

export interface NationalReport {
  indicatorsVersion: number;
  period: PeriodView;
  /** The quarter before, when it was closed: its roll-up is the one published then. */
  previousPeriod: PeriodView | null;
  taskForces: string[];
  tables: NationalTable[];
}

const KIND_ORDER = [...Object.values(AgencyKind), 'UNASSIGNED'];
const STAGE_ORDER = Object.values(CaseStage) as string[];

const viewOf = (p: Period): PeriodView => ({
  key: p.key,
  kind: p.kind,
  from: p.from,
  to: localDateOf(new Date(p.end.getTime() - 1)),
});

const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits;
const byOrder = (order: string[]) => (a: string, b: string) =>
  (order.indexOf(a) + 1 || order.length + 1) - (order.indexOf(b) + 1 || order.length + 1) || a.localeCompare(b);

/**
 * The programme's outcomes. A task force's report counts what its own members see (meetings,
 * attendance, action items, decisions, case summaries by stage and their counts: never a case's text,
 * and no case code); the national roll-up shows aggregates of closed quarters with small counts
 * suppressed, to the national programme role only.
 */
@Injectable()
export class ReportsService {
  constructor(
    private readonly em: EntityManager,
    private readonly audit: AuditService,
    private readonly writes: WriteTransaction,
  ) {}

  async taskForceReport(actor: Actor, taskForceId: string, periodKey: string): Promise<TaskForceReport> {
    assertCan(actor, 'report.read', taskForceId);
    const taskForce = await this.em.findOne(TaskForce, { id: taskForceId });
    if (!taskForce) throw notFound('The task force');
    return this.compute(this.em, taskForce, parsePeriod(periodKey));
  }

  /** Records that a report left the hub as a file (CSV, XLSX or PDF), like the other exports. */
  async recordExport(actor: Actor, scope: { taskForceId?: string; period: string; format: string; table?: string }) {
    await this.audit.recordNow({
      action: 'report.exported',
      actorId: actor.memberId,
      taskForceId: scope.taskForceId ?? null,
      subjectType: scope.taskForceId ? 'TaskForceReport' : 'NationalReport',
      subjectId: scope.period,
      ip: actor.ip,
      details: { format: scope.format, table: scope.table ?? null },
    });
  }

  private async compute(em: EntityManager, taskForce: TaskForce, period: Period): Promise<TaskForceReport> {
    const periods = trendOf(period);
    const rows = await reportRows(em, dialectOf(em), taskForce.id, periods);
    return {
      taskForce: { id: taskForce.id, code: taskForce.code, name: taskForce.name },
      indicatorsVersion: INDICATORS_VERSION,
      period: viewOf(period),
      periods: periods.map(viewOf),
      tables: assemble(rows, periods.length),
    };
  }

  /**
   * Closes a quarter: takes every task force's counts for it, once. A quarter already closed for a
   * task force keeps its first snapshot. `actor` is null for the operator's command.
   */
  async closeQuarter(actor: Actor | null, periodKey?: string): Promise<{ period: string; taken: number }> {
    if (actor) assertCanOnPlatform(actor, 'report.closePeriod');
    const period = periodKey ? parsePeriod(periodKey) : lastClosedQuarter(localDateOf(new Date()));
    if (period.kind !== 'QUARTER') throw nationalQuartersOnly();
    if (period.end > new Date()) throw nationalQuartersOnly();
    const em = this.em.fork();
    const taskForces = await em.find(TaskForce, {}, { orderBy: { code: 'asc' } });
    const closed = new Set(
      (await em.find(ReportSnapshot, { period: period.key }, { fields: ['taskForce'] })).map((s) => s.taskForce.id),
    );
    let taken = 0;
    for (const taskForce of taskForces) {
      if (closed.has(taskForce.id)) continue;
      const report = await this.compute(em, taskForce, period);
      await this.writes.run(async (tx) => {
        if (await tx.count(ReportSnapshot, { taskForce: taskForce.id, period: period.key })) return;
        tx.create(ReportSnapshot, {
          taskForce,
          period: period.key,
          indicatorsVersion: INDICATORS_VERSION,
          counts: countsOf(report),
        });
        this.audit.record(tx, {
          action: 'report.periodClosed',
          actorId: actor?.memberId ?? null,
          taskForceId: taskForce.id,
          subjectType: 'ReportSnapshot',
          subjectId: period.key,
          ip: actor?.ip ?? null,
        });
        taken++;
      });
    }
    return { period: period.key, taken };
  }

  async nationalReport(actor: Actor, periodKey: string): Promise<NationalReport> {
    assertCanNationally(actor, 'report.national');
    const period = parsePeriod(periodKey);
    if (period.kind !== 'QUARTER') throw nationalQuartersOnly();
    const snapshots = await this.em.find(
      ReportSnapshot,
      { period: { $lte: period.key } },
      { populate: ['taskForce'], orderBy: { period: 'asc' } },
    );
    const quarters = [...new Set(snapshots.map((s) => s.period))].filter((q) => /^\d{4}-Q[1-4]$/.test(q));
    if (!quarters.includes(period.key)) throw periodNotClosed(period.key);
    // Each quarter as it was published, oldest first: a quarter's suppression depends on the one before.
    let published: { key: string; tables: NationalTable[] } | null = null;
    let codes: string[] = [];
    for (const quarter of quarters) {
      const own = snapshots.filter((s) => s.period === quarter);
      codes = own.map((s) => s.taskForce.code).sort();
      const counts = (id: IndicatorId): Counts => new Map(own.map((s) => [s.taskForce.code, s.counts[id] ?? {}]));
      const previous: { key: string; tables: NationalTable[] } | null =
        published && published.key === previousPeriod(parsePeriod(quarter)).key ? published : null;
      // An indicator added after a snapshot was taken (its set version older) has no count in it:
      // the quarter's roll-up leaves that table out rather than show the task force as 0.
      const defs = INDICATORS.filter((d) => d.national && own.every((s) => d.id in s.counts));
      const tables = nationalTables(
        codes,
        defs.map((def) => {
          const c = counts(def.id);
          const keys = keysOf(
            def,
            [...c.values()].flatMap((v) => Object.keys(v)),
          );
          return { def, keys, counts: c, previous: previous?.tables.find((t) => t.indicator === def.id) };
        }),
        SUBSETS,
      );
      published = { key: quarter, tables };
    }
    const prev = previousPeriod(period);
    return {
      indicatorsVersion: INDICATORS_VERSION,
      period: viewOf(period),
      previousPeriod: quarters.includes(prev.key) ? viewOf(prev) : null,
      taskForces: codes,
      tables: published!.tables,
    };
  }
}

function keysOf(def: IndicatorDefinition, present: string[]): string[] {
  const keys = new Set(present);
  if (def.breakdown === 'none') return ['ALL'];
  if (def.breakdown === 'stage') STAGE_ORDER.forEach((s) => keys.add(s));
  return [...keys].sort(byOrder(def.breakdown === 'stage' ? STAGE_ORDER : KIND_ORDER));
}

/** The counts of the report's chosen (last) period, for a snapshot. */
function countsOf(report: TaskForceReport): SnapshotValues {
  const last = report.periods.length - 1;
  const out: SnapshotValues = {};
  for (const table of report.tables) {
    if (!INDICATOR[table.indicator].national) continue;
    out[table.indicator] = Object.fromEntries(table.rows.map((r) => [r.key, r.values[last] ?? 0]));
  }
  return out;
}

/** From the statements' rows to one table per indicator, in the glossary's order. */
function assemble(rows: Awaited<ReturnType<typeof reportRows>>, n: number): ReportTable[] {
  const periods = Array.from({ length: n }, (_, b) => b);
  const pick = (list: Row[], b: number, where: Record<string, string> = {}) =>
    list.find((r) => num(r.b) === b && Object.entries(where).every(([k, v]) => String(r[k]) === v));
  const kinds = new Set<string>(rows.agencyKinds.map((r) => String(r.kind)));
  const present = (list: Row[], column = 'kind') => list.forEach((r) => kinds.add(String(r[column])));
  present(rows.attendanceByKind);
  const kindKeys = () => [...kinds].sort(byOrder(KIND_ORDER));

  const tables = new Map<IndicatorId, ReportRow[]>();
  const put = (id: IndicatorId, keys: string[], value: (key: string, b: number) => number | null) =>
    tables.set(
      id,
      keys.map((key) => ({ key, values: periods.map((b) => value(key, b)) })),
    );

  const held = (b: number) => num(pick(rows.meetings, b)?.held);
  put('meetings.scheduled', ['ALL'], (_, b) => num(pick(rows.meetings, b)?.scheduled));
  put('meetings.held', ['ALL'], (_, b) => held(b));
  put('meetings.heldRate', ['ALL'], (_, b) => {
    const scheduled = num(pick(rows.meetings, b)?.scheduled);
    return scheduled ? round(held(b) / scheduled, 3) : null;
  });
  const attendedKinds = [...kinds].filter((k) => k !== 'UNASSIGNED').sort(byOrder(KIND_ORDER));
  const attended = (kind: string, b: number) => num(pick(rows.attendanceByKind, b, { kind })?.meetings);
  put('attendance.meetingsWithAgencyKind', attendedKinds, (kind, b) => attended(kind, b));
  put('attendance.rateByAgencyKind', attendedKinds, (kind, b) =>
    held(b) ? round(attended(kind, b) / held(b), 3) : null,
  );
  put('attendance.agenciesPerMeeting', ['ALL'], (_, b) => {
    const row = pick(rows.agenciesPerMeeting, b);
    return row ? round(num(row.mean), 2) : null;
  });

  present(rows.itemsCreated);
  present(rows.itemsClosed);
  present(rows.itemsOverdue);
  const itemKinds = kindKeys();
  put('actionItems.created', itemKinds, (kind, b) => num(pick(rows.itemsCreated, b, { kind })?.n));
  put('actionItems.closedOnTime', itemKinds, (kind, b) => num(pick(rows.itemsClosed, b, { kind })?.on_time));
  put('actionItems.closedLate', itemKinds, (kind, b) => num(pick(rows.itemsClosed, b, { kind })?.late));
  put('actionItems.overdue', itemKinds, (kind, b) => num(pick(rows.itemsOverdue, b, { kind })?.n));
  put('actionItems.medianDaysLate', ['ALL', ...itemKinds], (kind, b) => {
    const row = pick(rows.medianDaysLate, b, { kind });
    return row ? round(num(row.median), 1) : null;
  });

  put('decisions.recorded', ['ALL'], (_, b) => num(pick(rows.decisions, b)?.recorded));
  put('decisions.followedUp', ['ALL'], (_, b) => num(pick(rows.decisions, b)?.followed));

  const stage = (column: string) => (key: string, b: number) => num(pick(rows.casesAtEnd, b, { stage: key })?.[column]);
  put('cases.byStage', STAGE_ORDER, stage('cases'));
  const transitionKeys = [...new Set(rows.transitions.map((r) => `${String(r.previous)}→${String(r.stage)}`))].sort(
    (a, b) => {
      const [af, at] = a.split('→');
      const [bf, bt] = b.split('→');
      return byOrder(STAGE_ORDER)(af, bf) || byOrder(STAGE_ORDER)(at, bt);
    },
  );
  put('cases.transitions', transitionKeys, (key, b) => {
    const [previous, to] = key.split('→');
    return num(pick(rows.transitions, b, { previous, stage: to })?.n);
  });
  put('cases.daysToStage', STAGE_ORDER, (key, b) => {
    const row = pick(rows.daysToStage, b, { stage: key });
    return row ? round(num(row.mean), 1) : null;
  });
  put('victims.total', STAGE_ORDER, stage('victims'));
  put('victims.inProceedings', STAGE_ORDER, stage('in_proceedings'));
  put('victims.minors', STAGE_ORDER, stage('minors'));

  put('referrals.answeredInTime', ['ALL'], (_, b) => num(pick(rows.referrals, b)?.answered_in_time));
  put('referrals.overridden', ['ALL'], (_, b) => num(pick(rows.referrals, b)?.overridden));
  put('consents.withdrawn', ['ALL'], (_, b) => num(pick(rows.consentsWithdrawn, b)?.n));
  put('hearings.checklistComplete', ['ALL'], (_, b) => num(pick(rows.hearingsReady, b)?.n));

  return INDICATORS.map((def) => ({
    indicator: def.id,
    version: def.version,
    name: def.name,
    unit: def.unit,
    breakdown: def.breakdown,
    rows: tables.get(def.id) ?? [],
  }));
}

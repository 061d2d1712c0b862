import { type EntityManager } from '@mikro-orm/core';
import { type Period } from './period';
import { type SqlDialect } from './sql-dialect';

/**
 * The task-force report's SQL: every figure is aggregated in the database, for all the trend's
 * periods at once (a "bk" table of periods joined to the rows), so a report costs the same number
 * of statements whatever the amount of data: one per query below.
 */

export type Row = Record<string, unknown>;

interface Query {
  sql: string;
  params: unknown[];
}

function buckets(d: SqlDialect, periods: Period[]): Query {
  const select = periods.map((_, i) => `select ${i}, ${d.instant}, ${d.instant}, ${d.text}`).join(' union all ');
  return {
    sql: `bk(b, s, e, ek) as (${select})`,
    params: periods.flatMap((p) => [d.bindInstant(p.start), d.bindInstant(p.end), p.to]),
  };
}

const KIND = `coalesce(ag.kind, 'UNASSIGNED')`;
const ASSIGNEE_AGENCY =
  'left join member am on am.id = ai.assignee_member_id ' +
  'left join agency ag on ag.id = coalesce(ai.assignee_agency_id, am.agency_id)';

function queries(d: SqlDialect, taskForceId: string, periods: Period[]): Record<string, Query> {
  const bk = buckets(d, periods);
  const withBk = (sql: string, params: unknown[] = [taskForceId]): Query => ({
    sql: `with ${bk.sql} ${sql}`,
    params: [...bk.params, ...params],
  });
  const deadline = d.endOfDay('ai.due_on');
  const revisions =
    'select r.case_summary_id as id, r.version, r."at" as at, r.snapshot, c.created_at ' +
    'from case_summary_revision r join case_summary c on c.id = r.case_summary_id where c.task_force_id = ?';
  return {
    meetings: withBk(
      "select bk.b, count(m.id) as scheduled, sum(case when m.status = 'ENDED' then 1 else 0 end) as held " +
        'from bk join meeting m on m.task_force_id = ? and m.starts_at >= bk.s and m.starts_at < bk.e group by bk.b',
    ),
    attendanceByKind: withBk(
      'select bk.b, ag.kind, count(distinct m.id) as meetings from bk ' +
        "join meeting m on m.task_force_id = ? and m.status = 'ENDED' and m.starts_at >= bk.s and m.starts_at < bk.e " +
        'join attendance a on a.meeting_id = m.id join member mb on mb.id = a.member_id ' +
        'join agency ag on ag.id = mb.agency_id group by bk.b, ag.kind',
    ),
    agenciesPerMeeting: withBk(
      'select b, avg(agencies) as mean from (select bk.b, m.id, count(distinct mb.agency_id) as agencies from bk ' +
        "join meeting m on m.task_force_id = ? and m.status = 'ENDED' and m.starts_at >= bk.s and m.starts_at < bk.e " +
        'left join attendance a on a.meeting_id = m.id left join member mb on mb.id = a.member_id ' +
        'group by bk.b, m.id) per_meeting group by b',
    ),
    itemsCreated: withBk(
      `select bk.b, ${KIND} as kind, count(*) as n from bk ` +
        `join action_item ai on ai.task_force_id = ? and ai.created_at >= bk.s and ai.created_at < bk.e ${ASSIGNEE_AGENCY} ` +
        `group by bk.b, ${KIND}`,
    ),
    itemsClosed: withBk(
      `select bk.b, ${KIND} as kind, sum(case when ai.completed_at < ${deadline} then 1 else 0 end) as on_time, ` +
        `sum(case when ai.completed_at < ${deadline} then 0 else 1 end) as late from bk ` +
        "join action_item ai on ai.task_force_id = ? and ai.status = 'DONE' " +
        `and ai.completed_at >= bk.s and ai.completed_at < bk.e ${ASSIGNEE_AGENCY} group by bk.b, ${KIND}`,
    ),
    itemsOverdue: withBk(
      `select bk.b, ${KIND} as kind, count(*) as n from bk ` +
        "join action_item ai on ai.task_force_id = ? and ai.status <> 'CANCELLED' and ai.created_at < bk.e " +
        `and ai.due_on < bk.ek and (ai.completed_at is null or ai.completed_at >= bk.e) ${ASSIGNEE_AGENCY} ` +
        `group by bk.b, ${KIND}`,
    ),
    medianDaysLate: withBk(
      `, late as (select bk.b, ${KIND} as kind, ${d.daysUp(deadline, 'ai.completed_at')} as days from bk ` +
        "join action_item ai on ai.task_force_id = ? and ai.status = 'DONE' " +
        `and ai.completed_at >= bk.s and ai.completed_at < bk.e and ai.completed_at >= ${deadline} ${ASSIGNEE_AGENCY}), ` +
        "tagged as (select b, kind, days from late union all select b, 'ALL', days from late), " +
        'ranked as (select b, kind, days, row_number() over (partition by b, kind order by days) as rn, ' +
        'count(*) over (partition by b, kind) as cnt from tagged) ' +
        'select b, kind, avg(days) as median from ranked where rn in ((cnt + 1) / 2, (cnt + 2) / 2) group by b, kind',
    ),
    decisions: withBk(
      'select bk.b, count(dc.id) as recorded, sum(case when exists (select 1 from action_item ai ' +
        "where ai.decision_id = dc.id and ai.status = 'DONE' and ai.completed_at < bk.e) then 1 else 0 end) as followed " +
        'from bk join decision dc on dc.created_at >= bk.s and dc.created_at < bk.e ' +
        'join meeting m on m.id = dc.meeting_id and m.task_force_id = ? group by bk.b',
    ),
    casesAtEnd: withBk(
      `, revs as (${revisions}), latest as (select bk.b, revs.snapshot, ` +
        'row_number() over (partition by bk.b, revs.id order by revs.version desc) as rn ' +
        'from bk join revs on revs.at < bk.e) ' +
        `select b, ${d.jsonText('snapshot', 'stage')} as stage, count(*) as cases, ` +
        `sum(${d.jsonInt('snapshot', 'victims')}) as victims, sum(${d.jsonInt('snapshot', 'minors')}) as minors, ` +
        `sum(${d.jsonInt('snapshot', 'victimsInProceedings')}) as in_proceedings ` +
        `from latest where rn = 1 group by b, ${d.jsonText('snapshot', 'stage')}`,
    ),
    transitions: withBk(
      `, revs as (${revisions}), seq as (select revs.at, ${d.jsonText('revs.snapshot', 'stage')} as stage, ` +
        `lag(${d.jsonText('revs.snapshot', 'stage')}) over (partition by revs.id order by revs.version) as previous ` +
        'from revs) ' +
        'select bk.b, seq.previous, seq.stage, count(*) as n from bk join seq on seq.at >= bk.s and seq.at < bk.e ' +
        'where seq.previous is not null and seq.previous <> seq.stage group by bk.b, seq.previous, seq.stage',
    ),
    daysToStage: withBk(
      `, revs as (${revisions}), firsts as (select revs.id, ${d.jsonText('revs.snapshot', 'stage')} as stage, ` +
        `min(revs.created_at) as created_at, min(revs.at) as reached from revs group by revs.id, ${d.jsonText('revs.snapshot', 'stage')}) ` +
        `select bk.b, firsts.stage, avg(${d.days('firsts.created_at', 'firsts.reached')}) as mean from bk ` +
        'join firsts on firsts.reached >= bk.s and firsts.reached < bk.e group by bk.b, firsts.stage',
    ),
    referrals: withBk(
      'select bk.b, sum(case when r.respond_by >= bk.s and r.respond_by < bk.e ' +
        'and r.answered_at is not null and r.answered_at <= r.respond_by then 1 else 0 end) as answered_in_time, ' +
        'sum(case when r.requested_at >= bk.s and r.requested_at < bk.e and r.consent_id is null ' +
        'and r.override_reason is not null then 1 else 0 end) as overridden from bk ' +
        'join referral r on r.task_force_id = ? and ((r.respond_by >= bk.s and r.respond_by < bk.e) ' +
        'or (r.requested_at >= bk.s and r.requested_at < bk.e)) group by bk.b',
    ),
    consentsWithdrawn: withBk(
      'select bk.b, count(*) as n from bk join referral_consent rc on rc.task_force_id = ? ' +
        'and rc.withdrawn_at >= bk.s and rc.withdrawn_at < bk.e group by bk.b',
    ),
    hearingsReady: withBk(
      'select bk.b, count(*) as n from bk join hearing h on h.task_force_id = ? ' +
        'and h.starts_at >= bk.s and h.starts_at < bk.e where not exists (select 1 from hearing_readiness_item hi ' +
        "where hi.hearing_id = h.id and (hi.state = 'OPEN' or hi.updated_at > h.starts_at)) group by bk.b",
    ),
    agencyKinds: {
      sql:
        'select distinct ag.kind from membership ms join member mb on mb.id = ms.member_id ' +
        'join agency ag on ag.id = mb.agency_id where ms.task_force_id = ?',
      params: [taskForceId],
    },
  };
}

export type ReportRows = Record<keyof ReturnType<typeof queries>, Row[]>;

/** Runs the report's statements (a fixed number, see above) and returns their rows by name. */
export async function reportRows(
  em: EntityManager,
  d: SqlDialect,
  taskForceId: string,
  periods: Period[],
): Promise<ReportRows> {
  const all = queries(d, taskForceId, periods);
  const connection = em.getConnection();
  const out = {} as ReportRows;
  // One after another: on SQLite the connection is one, and on PostgreSQL a report should not take the pool.
  for (const [name, q] of Object.entries(all)) {
    out[name as keyof ReportRows] = await connection.execute<Row[]>(q.sql, q.params, 'all');
  }
  return out;
}

import { type EntityManager, type MikroORM } from '@mikro-orm/core';
import { ActionItem, ActionItemStatus } from '@hub/action-items';
import { type CaseSnapshot, CaseStage, CaseSummary, CaseSummaryRevision } from '@hub/case-summaries';
import { type Member, Membership } from '@hub/identity';
import { AgendaItem, Attendance, AttendanceMode, Decision, Meeting, MeetingStatus } from '@hub/meetings';
import { TaskForce } from '@hub/task-forces';

import { AgencyKind } from '@hub/access';

const DAY = 86_400_000;

/** The national programme role's demo member: reads the national roll-up, nothing of any task force. */
export const DEMO_NATIONAL = {
  email: 'national@demo.local',
  displayName: 'Programul Național',
  agency: 'ANITP – programul național',
  kind: AgencyKind.NATIONAL_AGENCY,
};
const STAGES = Object.values(CaseStage);

export interface HistoryShape {
  /** How many months back from `now`. */
  months: number;
  meetingsPerMonth: number;
  itemsPerMonth: number;
  casesPerMonth: number;
  /** Starts every case code of this history (codes are unique per task force). */
  codePrefix: string;
  now?: Date;
}

/** The demo's year: enough for every chart to show a trend on the first start, and quick to write. */
export const DEMO_HISTORY: HistoryShape = {
  months: 12,
  meetingsPerMonth: 2,
  itemsPerMonth: 6,
  casesPerMonth: 1,
  codePrefix: 'H',
};

/** The benchmark's density (issue 17): over five years and four task forces, about 600 meetings, 20,000 items, 2,000 cases. */
export const BENCH_HISTORY_PER_MONTH = { meetingsPerMonth: 2.5, itemsPerMonth: 83.3, casesPerMonth: 8.33 };

/** A small deterministic generator: the same history on every fresh start. */
function generator(seed: string) {
  let s = [...seed].reduce((h, ch) => (h * 31 + ch.charCodeAt(0)) % 2147483647, 7);
  return (n: number) => {
    s = (s * 48271) % 2147483647;
    return s % n;
  };
}

const dayOf = (at: Date) => at.toISOString().slice(0, 10);

/**
 * Past work of a task force: meetings held (a few cancelled) with attendance and decisions, action
 * items closed on time, late or still open, and case summaries moving through their stages. Written
 * as rows with their past timestamps; no free text beyond generic titles, and case codes only.
 */
export function seedDemoHistory(em: EntityManager, taskForce: TaskForce, seats: Member[], shape: HistoryShape): void {
  const rnd = generator(taskForce.code);
  const now = (shape.now ?? new Date()).getTime();
  const start = now - shape.months * 30 * DAY;
  const by = seats[0];
  const count = (perMonth: number) => Math.floor(perMonth) + (rnd(100) < (perMonth % 1) * 100 ? 1 : 0);
  const decisions: Decision[] = [];
  const agencies = seats.map((m) => m.agency);
  for (let month = 0; month < shape.months; month++) {
    const monthStart = start + month * 30 * DAY;
    const at = (maxDays = 30) => new Date(monthStart + rnd(maxDays) * DAY + (8 + rnd(8)) * 3_600_000);
    for (let i = 0, n = count(shape.meetingsPerMonth); i < n; i++) {
      const startsAt = at(28);
      const cancelled = rnd(10) === 0;
      const meeting = em.create(Meeting, {
        taskForce,
        title: 'Coordination meeting',
        startsAt,
        endsAt: new Date(startsAt.getTime() + 7_200_000),
        status: cancelled ? MeetingStatus.CANCELLED : MeetingStatus.ENDED,
        startedAt: cancelled ? null : startsAt,
        endedAt: cancelled ? null : new Date(startsAt.getTime() + 7_200_000),
        cancelledAt: cancelled ? startsAt : null,
        createdBy: by,
        createdAt: new Date(startsAt.getTime() - 7 * DAY),
      });
      if (cancelled) continue;
      for (const member of seats)
        if (rnd(10) < 7)
          em.create(Attendance, {
            meeting,
            member,
            mode: rnd(3) ? AttendanceMode.IN_PERSON : AttendanceMode.REMOTE,
            arrivedAt: startsAt,
            markedBy: by,
          });
      const agendaItem = em.create(AgendaItem, {
        meeting,
        position: 0,
        title: 'Cases in progress',
        createdAt: startsAt,
      });
      for (let d = 0, k = 1 + rnd(2); d < k; d++)
        decisions.push(
          em.create(Decision, { meeting, agendaItem, text: 'Follow-up agreed', recordedBy: by, createdAt: startsAt }),
        );
    }
    for (let i = 0, n = count(shape.itemsPerMonth); i < n; i++) {
      const createdAt = at();
      const due = new Date(createdAt.getTime() + (3 + rnd(20)) * DAY);
      // 0–5 on time, 6–7 late, 8 still open (only the last two months: older open items would crowd the board), 9 cancelled
      let outcome = rnd(10);
      if (outcome === 8 && createdAt.getTime() < now - 60 * DAY) outcome = 7;
      const completedAt =
        outcome <= 5
          ? new Date(Math.min(now, due.getTime() - rnd(3) * DAY))
          : outcome <= 7
            ? new Date(Math.min(now, due.getTime() + (1 + rnd(15)) * DAY))
            : null;
      const member = seats[rnd(seats.length)];
      const decision =
        decisions.length && rnd(2) ? decisions[decisions.length - 1 - rnd(Math.min(3, decisions.length))] : null;
      em.create(ActionItem, {
        taskForce,
        title: 'Follow-up task',
        dueOn: dayOf(due),
        status: completedAt
          ? ActionItemStatus.DONE
          : outcome === 9
            ? ActionItemStatus.CANCELLED
            : ActionItemStatus.OPEN,
        completedAt,
        assigneeMember: rnd(2) ? member : null,
        assigneeAgency: agencies[rnd(agencies.length)],
        decision,
        createdBy: by,
        createdAt,
        updatedAt: completedAt ?? createdAt,
      });
    }
    for (let i = 0, n = count(shape.casesPerMonth); i < n; i++) {
      const createdAt = at();
      const victims = 1 + rnd(5);
      const minors = rnd(2) ? rnd(victims + 1) : 0;
      let stage: CaseStage = CaseStage.IDENTIFICATION;
      let inProceedings = 0;
      let t = createdAt.getTime();
      const revisions: [Date, CaseStage, number][] = [[createdAt, stage, 0]];
      while (stage !== CaseStage.CLOSED && rnd(3) > 0) {
        t += (20 + rnd(90)) * DAY;
        if (t >= now) break;
        stage = STAGES[STAGES.indexOf(stage) + 1];
        inProceedings = Math.min(victims, inProceedings + rnd(victims + 1));
        revisions.push([new Date(t), stage, inProceedings]);
      }
      const code = `${taskForce.code}-${shape.codePrefix}${String(month * 100 + i).padStart(4, '0')}`;
      const summary = em.create(CaseSummary, {
        taskForce,
        caseCode: code,
        stage,
        victims,
        minors,
        victimsInProceedings: inProceedings,
        createdBy: by,
        updatedBy: by,
        createdAt,
        updatedAt: revisions[revisions.length - 1][0],
        version: revisions.length,
      });
      revisions.forEach(([revisionAt, revisionStage, inProc], v) => {
        const snapshot: CaseSnapshot = {
          caseCode: code,
          stage: revisionStage,
          exploitationForms: [],
          victims,
          minors,
          victimsInProceedings: inProc,
          protectedWitnesses: 0,
          sections: { OVERVIEW: '', INVESTIGATION: '', PROSECUTION: '', VICTIM_SUPPORT: '' },
        };
        em.create(CaseSummaryRevision, {
          caseSummary: summary,
          version: v + 1,
          author: by,
          at: revisionAt,
          changed: v === 0 ? ['caseCode', 'stage', 'counts'] : ['stage', 'counts'],
          snapshot,
        });
      });
    }
  }
}

/** Writes `years` of benchmark-density history into every task force; returns what it wrote. */
export async function seedHistory(orm: MikroORM, years: number): Promise<{ meetings: number; items: number }> {
  let meetings = 0;
  let items = 0;
  const taskForces = await orm.em.fork().find(TaskForce, {}, { orderBy: { code: 'asc' } });
  for (const taskForce of taskForces) {
    const em = orm.em.fork();
    const members = (await em.find(Membership, { taskForce: taskForce.id }, { populate: ['member'] })).map(
      (m) => m.member,
    );
    if (!members.length) continue;
    seedDemoHistory(em, await em.findOneOrFail(TaskForce, { id: taskForce.id }), members, {
      months: 12 * years,
      ...BENCH_HISTORY_PER_MONTH,
      codePrefix: 'B',
    });
    await em.flush();
    meetings += await em.count(Meeting, { taskForce: taskForce.id });
    items += await em.count(ActionItem, { taskForce: taskForce.id });
  }
  return { meetings, items };
}

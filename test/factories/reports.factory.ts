import { type EntityManager } from '@mikro-orm/core';
import { ActionItem, ActionItemStatus } from '@hub/action-items';
import { type CaseSnapshot, type CaseStage, CaseSummary, CaseSummaryRevision } from '@hub/case-summaries';
import { type Agency, type Member } from '@hub/identity';
import { AgendaItem, Attendance, AttendanceMode, Decision, Meeting, MeetingStatus } from '@hub/meetings';
import { type TaskForce } from '@hub/task-forces';

/** Rows with the timestamps a scenario needs, written straight to the database (history the services would stamp "now"). */
export class ReportsFactory {
  constructor(
    private readonly em: EntityManager,
    private readonly taskForce: TaskForce,
    private readonly by: Member,
  ) {}

  meeting(startsAt: string, status: MeetingStatus, attendees: Member[] = []): Meeting {
    const start = new Date(startsAt);
    const meeting = this.em.create(Meeting, {
      taskForce: this.taskForce,
      title: 'Coordination meeting',
      startsAt: start,
      endsAt: new Date(start.getTime() + 7_200_000),
      status,
      startedAt: status === MeetingStatus.ENDED ? start : null,
      endedAt: status === MeetingStatus.ENDED ? new Date(start.getTime() + 7_200_000) : null,
      createdBy: this.by,
      createdAt: start,
    });
    for (const member of attendees)
      this.em.create(Attendance, {
        meeting,
        member,
        mode: AttendanceMode.IN_PERSON,
        arrivedAt: start,
        markedBy: member,
      });
    return meeting;
  }

  decision(meeting: Meeting): Decision {
    const agendaItem = this.em.create(AgendaItem, { meeting, position: 0, title: 'Item', createdAt: meeting.startsAt });
    return this.em.create(Decision, {
      meeting,
      agendaItem,
      text: 'Decided',
      recordedBy: this.by,
      createdAt: meeting.startsAt,
    });
  }

  item(options: {
    createdAt: string;
    dueOn: string;
    status?: ActionItemStatus;
    completedAt?: string;
    agency?: Agency;
    member?: Member;
    decision?: Decision;
  }): ActionItem {
    return this.em.create(ActionItem, {
      taskForce: this.taskForce,
      title: 'Do it',
      dueOn: options.dueOn,
      status: options.status ?? ActionItemStatus.OPEN,
      completedAt: options.completedAt ? new Date(options.completedAt) : null,
      assigneeAgency: options.agency ?? null,
      assigneeMember: options.member ?? null,
      decision: options.decision ?? null,
      createdBy: this.by,
      createdAt: new Date(options.createdAt),
      updatedAt: new Date(options.createdAt),
    });
  }

  /** A case summary and its revisions: [at, stage, victims, minors, victimsInProceedings] each. */
  caseSummary(code: string, revisions: [string, CaseStage, number, number, number][]): CaseSummary {
    const [lastAt, stage, victims, minors, victimsInProceedings] = revisions[revisions.length - 1];
    const summary = this.em.create(CaseSummary, {
      taskForce: this.taskForce,
      caseCode: code,
      stage,
      victims,
      minors,
      victimsInProceedings,
      createdBy: this.by,
      updatedBy: this.by,
      createdAt: new Date(revisions[0][0]),
      updatedAt: new Date(lastAt),
      version: revisions.length,
    });
    revisions.forEach(([at, stage, victims, minors, victimsInProceedings], i) => {
      const snapshot: CaseSnapshot = {
        caseCode: code,
        stage,
        exploitationForms: [],
        victims,
        minors,
        victimsInProceedings,
        protectedWitnesses: 0,
        sections: { OVERVIEW: '', INVESTIGATION: '', PROSECUTION: '', VICTIM_SUPPORT: '' },
      };
      this.em.create(CaseSummaryRevision, {
        caseSummary: summary,
        version: i + 1,
        author: this.by,
        at: new Date(at),
        changed: i === 0 ? ['caseCode', 'stage', 'counts'] : ['stage', 'counts'],
        snapshot,
      });
    });
    return summary;
  }
}

import { type EntityManager } from '@mikro-orm/core';
import { ActionItem, ActionItemStatus } from '@hub/action-items';
import { type CaseSnapshot, type CaseStage, CaseSummary, CaseSummaryRevision } from '@hub/case-summaries';
import { type Agency, type Member } from '@hub/identity';
import { AgendaItem, Attendance, AttendanceMode, Decision, Meeting, MeetingStatus } from '@hub/meetings';
import {
  ConsentPoint,
  Hearing,
  HearingKind,
  HearingReadinessItem,
  ReadinessItem,
  type ReadinessState,
  Referral,
  ReferralConsent,
  ReferralPurpose,
  ReferralStatus,
} from '@hub/referrals';
import { CaseSection } from '@hub/access';
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

  /** A given consent from `from` to `to` for assistance, withdrawn at `withdrawnAt` if given. */
  consent(summary: CaseSummary, from: Agency, to: Agency, givenAt: string, withdrawnAt?: string): ReferralConsent {
    return this.em.create(ReferralConsent, {
      taskForce: this.taskForce,
      caseSummary: summary,
      agency: from,
      recordedBy: this.by,
      purposes: [ReferralPurpose.ASSISTANCE],
      receivers: [to.id],
      sections: [CaseSection.VICTIM_SUPPORT],
      language: 'română',
      interpreterUsed: false,
      explainedPoints: Object.values(ConsentPoint),
      readBack: true,
      givenAt: new Date(givenAt),
      withdrawnAt: withdrawnAt ? new Date(withdrawnAt) : null,
      withdrawnBy: withdrawnAt ? this.by : null,
    });
  }

  /** A referral requested at `requestedAt`, due `respondBy`, answered at `answeredAt`; no consent means overridden. */
  referral(options: {
    summary: CaseSummary;
    from: Agency;
    to: Agency;
    consent: ReferralConsent | null;
    requestedAt: string;
    respondBy: string;
    answeredAt?: string;
    status?: ReferralStatus;
  }): Referral {
    return this.em.create(Referral, {
      taskForce: this.taskForce,
      caseSummary: options.summary,
      fromAgency: options.from,
      toAgency: options.to,
      purpose: ReferralPurpose.ASSISTANCE,
      sections: [CaseSection.VICTIM_SUPPORT],
      respondBy: new Date(options.respondBy),
      status: options.status ?? (options.answeredAt ? ReferralStatus.ACCEPTED : ReferralStatus.REQUESTED),
      consent: options.consent,
      overrideReason: options.consent ? null : 'Urgent shelter needed tonight',
      requestedBy: this.by,
      requestedAt: new Date(options.requestedAt),
      answeredAt: options.answeredAt ? new Date(options.answeredAt) : null,
      updatedAt: new Date(options.answeredAt ?? options.requestedAt),
    });
  }

  /** A hearing whose checklist items were each last changed at [state, at], owned by `owner`. */
  hearing(summary: CaseSummary, startsAt: string, owner: Agency, items: [ReadinessState, string][]): Hearing {
    const hearing = this.em.create(Hearing, {
      taskForce: this.taskForce,
      caseSummary: summary,
      court: 'Tribunalul Dolj',
      startsAt: new Date(startsAt),
      kind: HearingKind.VICTIM_HEARING,
      createdBy: this.by,
      createdAt: new Date(items[0]?.[1] ?? startsAt),
    });
    const kinds = Object.values(ReadinessItem);
    items.forEach(([state, at], i) =>
      this.em.create(HearingReadinessItem, {
        hearing,
        item: kinds[i],
        ownerAgency: owner,
        state,
        updatedAt: new Date(at),
      }),
    );
    return hearing;
  }
}
